package io.sibyl.storage.compaction;

import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.sstable.StatsMetadata;

/**
 * What a planner knows of one SSTable: its size, token range, timestamps and tombstone statistics. A
 * plain value, so planners are pure functions testable on synthetic sets (and the simulator needs no disk).
 *
 * @param sizeBytes            bytes on disk (all components)
 * @param dataBytes            uncompressed partition data (LCS sizes levels by this)
 * @param maxLocalDeletionTime the latest second any of its data expires or was deleted; Integer.MAX_VALUE
 *                             if it holds data that never expires
 * @param droppableTombstones  tombstones (and expired cells) whose drop time is before the plan's gcBefore
 * @param cellsAndRows         cells plus rows, the denominator of the droppable-tombstone ratio
 */
public record SSTableInfo(int generation, long sizeBytes, long dataBytes, long firstToken, long lastToken,
                          long minTimestamp, long maxTimestamp, int maxLocalDeletionTime, int level,
                          long droppableTombstones, long cellsAndRows, long createdAtMillis) {

    public static SSTableInfo of(SSTableReader r, int gcBefore) {
        StatsMetadata s = r.stats();
        return new SSTableInfo(r.descriptor().generation(), r.bytesOnDisk(), r.uncompressedLength(), r.first().token(),
                r.last().token(), s.minTimestamp(), s.maxTimestamp(), s.maxLocalDeletionTime(), s.level(),
                s.estimatedDroppableTombstones(gcBefore), s.cellCount() + s.rowCount(), s.createdAtMillis());
    }

    public double droppableTombstoneRatio() {
        return droppableTombstones / (double) Math.max(1, cellsAndRows);
    }

    /** Token ranges intersect (keys of one token may sit in both). */
    public boolean overlaps(SSTableInfo o) {
        return firstToken <= o.lastToken && o.firstToken <= lastToken;
    }

    public boolean overlaps(long first, long last) {
        return firstToken <= last && first <= lastToken;
    }

    public SSTableInfo withLevel(int newLevel) {
        return new SSTableInfo(generation, sizeBytes, dataBytes, firstToken, lastToken, minTimestamp, maxTimestamp,
                maxLocalDeletionTime, newLevel, droppableTombstones, cellsAndRows, createdAtMillis);
    }
}
