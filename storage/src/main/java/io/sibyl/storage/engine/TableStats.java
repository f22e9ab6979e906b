package io.sibyl.storage.engine;

import java.util.UUID;

/**
 * What {@code GET /v1/admin/tables} shows for one table on this node.
 *
 * @param memtableBytes             estimated data in the current and flushing memtables
 * @param estimatedPartitions       partitions in memtables plus SSTables (a key in several counts several times)
 * @param bloomFilterFalseRatio     false positives / (false + true positives) of point reads that passed the filter
 * @param droppableTombstones       estimated tombstones past gc_grace in the SSTables now
 * @param tombstoneWarnings         reads that passed tombstone_warn_threshold
 * @param tombstoneFailures         reads aborted by tombstone_failure_threshold
 * @param corruptSSTableReads       reads failed by an SSTable checksum mismatch
 * @param tombstonesScanned         tombstones scanned by reads since the node started
 * @param compaction                bytes flushed and compacted, write amplification, pending compactions
 */
public record TableStats(String keyspace, String table, UUID id, long memtableBytes, long memtablePartitions,
                         int flushingMemtables, int sstableCount, long sstableBytes, long estimatedPartitions,
                         long bloomFilterFalsePositives, double bloomFilterFalseRatio, long bloomFilterBytes,
                         long droppableTombstones, Latency readLatency, Latency writeLatency, long tombstoneWarnings,
                         long tombstoneFailures, long corruptSSTableReads, long tombstonesScanned,
                         io.sibyl.storage.compaction.CompactionStats compaction) {

    /** Latency percentiles in microseconds over the node's lifetime. */
    public record Latency(long count, long p50Micros, long p95Micros, long p99Micros, long maxMicros) {
        public static final Latency EMPTY = new Latency(0, 0, 0, 0, 0);
    }
}
