package io.sibyl.actors.hints;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One stored write waiting for its target node.
 *
 * @param id              position in its target's queue (increasing; assigned when stored)
 * @param createdAtMillis when the coordinator stored it (epoch millis)
 * @param ttlSeconds      the smallest {@code gc_grace_seconds} of its tables when stored: delivering
 *                        it later could resurrect data whose tombstones compaction has purged
 * @param tableIds        the tables the mutation writes
 * @param mutation        the mutation, as {@link io.sibyl.storage.serialization.MutationSerializer} bytes
 */
public record PendingHint(long id, long createdAtMillis, int ttlSeconds, List<UUID> tableIds, byte[] mutation) {

    public PendingHint {
        tableIds = List.copyOf(tableIds);
        Objects.requireNonNull(mutation, "mutation");
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis - createdAtMillis >= ttlSeconds * 1000L;
    }
}
