package io.sibyl.actors.repair;

import java.util.List;

/**
 * A snapshot of a repair session's progress and outcome ({@code GET /v1/admin/repair/{id}}).
 *
 * @param rangesTotal        token ranges (per table) the session compares
 * @param rangesDone         those compared and, where they differed, repaired
 * @param mismatchedLeaves   Merkle tree leaves on which the replicas disagreed
 * @param partitionsStreamed merged partitions sent to replicas that lacked (part of) them
 * @param error              why the session failed, or null
 */
public record RepairStatus(String id, String keyspace, List<String> tables, RepairState state, long rangesTotal,
                           long rangesDone, long mismatchedLeaves, long partitionsStreamed, String error) {

    public RepairStatus {
        tables = List.copyOf(tables);
    }
}
