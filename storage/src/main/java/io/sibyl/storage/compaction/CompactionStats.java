package io.sibyl.storage.compaction;

/**
 * A table's compaction figures since the node started, for {@code GET /v1/admin/tables}.
 *
 * @param bytesFlushed       uncompressed bytes written by memtable flushes
 * @param bytesCompactedRead uncompressed input bytes of finished compactions
 * @param bytesCompacted     uncompressed bytes written by finished compactions
 * @param writeAmplification bytes written to SSTables per byte flushed: (flushed + compacted) / flushed
 *                           (1.0 before anything was compacted)
 * @param tombstonesPurged   tombstones and expired cells dropped by compactions
 * @param sstablesDropped    fully expired SSTables deleted without rewriting (TWCS)
 */
public record CompactionStats(long compactionsCompleted, long bytesFlushed, long bytesCompactedRead, long bytesCompacted,
                              double writeAmplification, long tombstonesPurged, long sstablesDropped,
                              int pendingTasks) {
}
