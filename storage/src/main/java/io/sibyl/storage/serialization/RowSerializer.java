package io.sibyl.storage.serialization;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.RangeTombstone;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.data.Slice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one binary encoding of rows, cells, deletions and clustering bounds, shared by commit-log
 * records, inter-node messages and SSTable data files. Timestamps are written as zigzag varints relative
 * to a base timestamp the container records once (the update's or the SSTable's minimum), so a typical
 * cell timestamp takes one or two bytes. The layout is in docs/storage-format.md.
 */
public final class RowSerializer {

    static final int ROW_STATIC = 0x01;
    static final int ROW_HAS_LIVENESS = 0x02;
    static final int ROW_LIVENESS_EXPIRING = 0x04;
    static final int ROW_HAS_DELETION = 0x08;
    static final int ROW_HAS_COMPLEX_DELETIONS = 0x10;
    static final int ROW_HAS_CELLS = 0x20;

    static final int CELL_HAS_PATH = 0x01;
    static final int CELL_HAS_VALUE = 0x02;
    static final int CELL_EXPIRING = 0x04;

    static final int BOUND_START = 0x01;
    static final int BOUND_INCLUSIVE = 0x02;

    private RowSerializer() {
    }

    public static void writeRow(DataOutputBuffer out, Row row, ColumnNames dict, long baseTimestamp) {
        LivenessInfo li = row.primaryKeyLivenessInfo();
        int flags = (row.isStatic() ? ROW_STATIC : 0)
                | (li.isEmpty() ? 0 : ROW_HAS_LIVENESS)
                | (!li.isEmpty() && li.isExpiring() ? ROW_LIVENESS_EXPIRING : 0)
                | (row.deletion().isLive() ? 0 : ROW_HAS_DELETION)
                | (row.complexDeletions().isEmpty() ? 0 : ROW_HAS_COMPLEX_DELETIONS)
                | (row.cells().isEmpty() ? 0 : ROW_HAS_CELLS);
        out.writeByte(flags);
        if (!row.isStatic()) {
            writeClustering(out, row.clustering());
        }
        if (!li.isEmpty()) {
            out.writeVInt(li.timestamp() - baseTimestamp);
            if (li.isExpiring()) {
                out.writeUnsignedVInt32(li.ttl());
                out.writeUnsignedVInt32(li.localExpirationTime());
            }
        }
        if (!row.deletion().isLive()) {
            writeDeletion(out, row.deletion(), baseTimestamp);
        }
        if (!row.complexDeletions().isEmpty()) {
            out.writeUnsignedVInt(row.complexDeletions().size());
            for (Map.Entry<String, DeletionTime> e : row.complexDeletions().entrySet()) {
                out.writeUnsignedVInt(dict.indexOf(e.getKey()));
                writeDeletion(out, e.getValue(), baseTimestamp);
            }
        }
        if (!row.cells().isEmpty()) {
            out.writeUnsignedVInt(row.cells().size());
            for (Cell c : row.cells()) {
                writeCell(out, c, dict, baseTimestamp);
            }
        }
    }

    public static Row readRow(DataInputPlus in, ColumnNames dict, long baseTimestamp) {
        int flags = in.readUnsignedByte();
        Clustering clustering = (flags & ROW_STATIC) != 0 ? Clustering.STATIC : readClustering(in);
        LivenessInfo li = LivenessInfo.EMPTY;
        if ((flags & ROW_HAS_LIVENESS) != 0) {
            long ts = baseTimestamp + in.readVInt();
            li = (flags & ROW_LIVENESS_EXPIRING) != 0
                    ? new LivenessInfo(ts, in.readUnsignedVInt32(), in.readUnsignedVInt32())
                    : new LivenessInfo(ts, Cell.NO_TTL, Cell.NO_DELETION_TIME);
        }
        DeletionTime deletion = (flags & ROW_HAS_DELETION) != 0 ? readDeletion(in, baseTimestamp) : DeletionTime.LIVE;
        Map<String, DeletionTime> complex = Map.of();
        if ((flags & ROW_HAS_COMPLEX_DELETIONS) != 0) {
            int n = in.readLength();
            complex = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String column = dict.name(in.readUnsignedVInt32());
                complex.put(column, readDeletion(in, baseTimestamp));
            }
        }
        List<Cell> cells = List.of();
        if ((flags & ROW_HAS_CELLS) != 0) {
            int n = in.readLength();
            cells = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                cells.add(readCell(in, dict, baseTimestamp));
            }
        }
        try {
            return new Row(clustering, li, deletion, cells, complex);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid row: " + e.getMessage(), e);
        }
    }

    public static void writeCell(DataOutputBuffer out, Cell c, ColumnNames dict, long baseTimestamp) {
        int flags = (c.path() != null ? CELL_HAS_PATH : 0)
                | (c.value() != null ? CELL_HAS_VALUE : 0)
                | (c.isExpiring() ? CELL_EXPIRING : 0);
        out.writeByte(flags);
        out.writeUnsignedVInt(dict.indexOf(c.column()));
        out.writeVInt(c.timestamp() - baseTimestamp);
        if (c.isExpiring()) {
            out.writeUnsignedVInt32(c.ttl());
            out.writeUnsignedVInt32(c.localDeletionTime());
        } else if (c.value() == null) {
            out.writeUnsignedVInt32(c.localDeletionTime());
        }
        if (c.path() != null) {
            out.writeBytes(c.path());
        }
        if (c.value() != null) {
            out.writeBytes(c.value());
        }
    }

    public static Cell readCell(DataInputPlus in, ColumnNames dict, long baseTimestamp) {
        int flags = in.readUnsignedByte();
        String column = dict.name(in.readUnsignedVInt32());
        long ts = baseTimestamp + in.readVInt();
        int ttl = Cell.NO_TTL;
        int ldt = Cell.NO_DELETION_TIME;
        boolean hasValue = (flags & CELL_HAS_VALUE) != 0;
        if ((flags & CELL_EXPIRING) != 0) {
            ttl = in.readUnsignedVInt32();
            ldt = in.readUnsignedVInt32();
        } else if (!hasValue) {
            ldt = in.readUnsignedVInt32();
        }
        byte[] path = (flags & CELL_HAS_PATH) != 0 ? in.readBytes() : null;
        byte[] value = hasValue ? in.readBytes() : null;
        try {
            return new Cell(column, path, value, ts, ttl, ldt);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid cell: " + e.getMessage(), e);
        }
    }

    public static void writeClustering(DataOutputBuffer out, Clustering c) {
        out.writeUnsignedVInt(c.size());
        for (int i = 0; i < c.size(); i++) {
            out.writeBytes(c.get(i));
        }
    }

    public static Clustering readClustering(DataInputPlus in) {
        int n = in.readLength();
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            values[i] = in.readBytes();
        }
        return Clustering.of(values);
    }

    public static void writeDeletion(DataOutputBuffer out, DeletionTime d, long baseTimestamp) {
        out.writeVInt(d.markedForDeleteAt() - baseTimestamp);
        out.writeUnsignedVInt32(d.localDeletionTime());
    }

    public static DeletionTime readDeletion(DataInputPlus in, long baseTimestamp) {
        return new DeletionTime(baseTimestamp + in.readVInt(), in.readUnsignedVInt32());
    }

    public static void writeBound(DataOutputBuffer out, ClusteringBound b) {
        out.writeByte((b.isStart() ? BOUND_START : 0) | (b.isInclusive() ? BOUND_INCLUSIVE : 0));
        out.writeUnsignedVInt(b.size());
        for (int i = 0; i < b.size(); i++) {
            out.writeBytes(b.get(i));
        }
    }

    public static ClusteringBound readBound(DataInputPlus in) {
        int flags = in.readUnsignedByte();
        int n = in.readLength();
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            values[i] = in.readBytes();
        }
        boolean inclusive = (flags & BOUND_INCLUSIVE) != 0;
        return (flags & BOUND_START) != 0 ? ClusteringBound.start(inclusive, values) : ClusteringBound.end(inclusive, values);
    }

    public static void writeRangeTombstones(DataOutputBuffer out, List<RangeTombstone> rts, long baseTimestamp) {
        out.writeUnsignedVInt(rts.size());
        for (RangeTombstone rt : rts) {
            writeBound(out, rt.slice().start());
            writeBound(out, rt.slice().end());
            writeDeletion(out, rt.deletion(), baseTimestamp);
        }
    }

    public static List<RangeTombstone> readRangeTombstones(DataInputPlus in, long baseTimestamp) {
        int n = in.readLength();
        List<RangeTombstone> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ClusteringBound start = readBound(in);
            ClusteringBound end = readBound(in);
            try {
                out.add(new RangeTombstone(new Slice(start, end), readDeletion(in, baseTimestamp)));
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException("invalid range tombstone: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
