package io.sibyl.storage.sstable;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.serialization.DataInputPlus;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.RowSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The Statistics component: what an SSTable holds, for reads (skip by timestamp or clustering), for
 * compaction (tombstones, level) and for replay ({@code commitLogUpperBound}: every record of this table
 * before that position is in this SSTable or an older one). {@code columns} is the column dictionary
 * the data file's cells refer to; {@code baseTimestamp} what their timestamps are relative to.
 *
 * @param minClustering null when the SSTable has no rows (only partition-level data)
 */
public record StatsMetadata(UUID tableId, long baseTimestamp, long minTimestamp, long maxTimestamp,
                            int minLocalDeletionTime, int maxLocalDeletionTime,
                            Clustering minClustering, Clustering maxClustering,
                            long partitionCount, long rowCount, long cellCount, long tombstoneCount,
                            TombstoneHistogram dropTimes, int level, CommitLogPosition commitLogUpperBound,
                            List<String> columns, long createdAtMillis) {

    static final int VERSION = 1;

    /** About how many tombstones could be purged at {@code gcBefore} (the second now minus gc_grace_seconds). */
    public long estimatedDroppableTombstones(int gcBefore) {
        return dropTimes.sum(gcBefore);
    }

    /** Droppable tombstones over all cells and rows, as Cassandra's droppable-tombstone ratio. */
    public double droppableTombstoneRatio(int gcBefore) {
        return estimatedDroppableTombstones(gcBefore) / (double) Math.max(1, cellCount + rowCount);
    }

    void write(DataOutputBuffer out) {
        out.writeInt(VERSION);
        out.writeUuid(tableId);
        out.writeLong(baseTimestamp);
        out.writeLong(minTimestamp);
        out.writeLong(maxTimestamp);
        out.writeInt(minLocalDeletionTime);
        out.writeInt(maxLocalDeletionTime);
        out.writeByte(minClustering == null ? 0 : 1);
        if (minClustering != null) {
            RowSerializer.writeClustering(out, minClustering);
            RowSerializer.writeClustering(out, maxClustering);
        }
        out.writeUnsignedVInt(partitionCount);
        out.writeUnsignedVInt(rowCount);
        out.writeUnsignedVInt(cellCount);
        out.writeUnsignedVInt(tombstoneCount);
        dropTimes.write(out);
        out.writeInt(level);
        out.writeLong(commitLogUpperBound.segmentId());
        out.writeInt(commitLogUpperBound.offset());
        out.writeUnsignedVInt(columns.size());
        for (String c : columns) {
            out.writeString(c);
        }
        out.writeLong(createdAtMillis);
    }

    static StatsMetadata read(DataInputPlus in) {
        int version = in.readInt();
        if (version != VERSION) {
            throw new io.sibyl.storage.serialization.MalformedDataException("unknown statistics version " + version);
        }
        UUID tableId = in.readUuid();
        long base = in.readLong();
        long minTs = in.readLong();
        long maxTs = in.readLong();
        int minLdt = in.readInt();
        int maxLdt = in.readInt();
        Clustering minC = null;
        Clustering maxC = null;
        if (in.readUnsignedByte() == 1) {
            minC = RowSerializer.readClustering(in);
            maxC = RowSerializer.readClustering(in);
        }
        long partitions = in.readUnsignedVInt();
        long rows = in.readUnsignedVInt();
        long cells = in.readUnsignedVInt();
        long tombstones = in.readUnsignedVInt();
        TombstoneHistogram hist = TombstoneHistogram.read(in);
        int level = in.readInt();
        CommitLogPosition upper = new CommitLogPosition(in.readLong(), in.readInt());
        int n = in.readLength();
        List<String> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            columns.add(in.readString());
        }
        long created = in.readLong();
        return new StatsMetadata(tableId, base, minTs, maxTs, minLdt, maxLdt, minC, maxC, partitions, rows, cells,
                tombstones, hist, level, upper, columns, created);
    }
}
