package io.sibyl.storage.memtable;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Reconciler;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.serialization.ColumnNames;
import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.RowSerializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A memtable row as one handle to its bytes in a {@link MemtableAllocator} region: the only per-row object
 * a memtable keeps besides its index entry. The row becomes {@link Row} and {@link Cell} objects again only
 * while it is read, merged or flushed. Immutable: a merge either packs the update alone as a delta on top
 * of the current version (a chain of at most a few handles, while the deltas are smaller than the row) or
 * folds the chain and the update into a whole row packed anew.
 *
 * <p>Layout (docs/storage-format.md, "Memtable rows"): a flags byte; the row marker's timestamp (and ttl,
 * expiry if expiring); the row deletion; the complex deletions as (column number, deletion); the cells in
 * {@link RowSerializer#writeCell}'s encoding. Timestamps are zigzag varints relative to the memtable's base
 * timestamp, column numbers index the memtable's {@link MemtableColumns}. The clustering is not stored: it
 * is the key the handle is found under.
 */
final class PackedRow {

    private static final int HAS_LIVENESS = 0x02;
    private static final int LIVENESS_EXPIRING = 0x04;
    private static final int HAS_DELETION = 0x08;
    private static final int HAS_COMPLEX_DELETIONS = 0x10;
    private static final int HAS_CELLS = 0x20;

    /** Heap bytes of this handle (header, two references, two ints), for memtable accounting. */
    static final long HANDLE_SIZE = 32;

    private final byte[] buf;
    private final int offset;
    private final int length;
    /** Null for a whole row; for a delta (a later update packed alone), the version it applies on top of. */
    private final PackedRow older;

    PackedRow(byte[] buf, int offset, int length, PackedRow older) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        this.older = older;
    }

    PackedRow older() {
        return older;
    }

    /** Handles in this version's chain: 1 for a whole row. */
    int chainLength() {
        int n = 1;
        for (PackedRow p = older; p != null; p = p.older) {
            n++;
        }
        return n;
    }

    /** Bytes of the deltas on top of the whole row at the end of the chain. */
    int deltaBytes() {
        int n = 0;
        for (PackedRow p = this; p.older != null; p = p.older) {
            n += p.length;
        }
        return n;
    }

    /** Bytes of the whole row at the end of the chain. */
    int baseLength() {
        PackedRow p = this;
        while (p.older != null) {
            p = p.older;
        }
        return p.length;
    }

    /** The row this version stands for: its whole row merged with every delta on top, oldest first. */
    Row unpack(Clustering clustering, ColumnNames columns, long baseTimestamp) {
        if (older == null) {
            return decode(clustering, columns, baseTimestamp);
        }
        PackedRow[] chain = new PackedRow[chainLength()];
        int i = chain.length;
        for (PackedRow p = this; p != null; p = p.older) {
            chain[--i] = p;
        }
        Row row = chain[0].decode(clustering, columns, baseTimestamp);
        for (int k = 1; k < chain.length; k++) {
            row = Reconciler.merge(row, chain[k].decode(clustering, columns, baseTimestamp));
        }
        return row;
    }

    int length() {
        return length;
    }

    /** The array holding the row: a slab region shared with other rows, or the row's own. */
    byte[] buffer() {
        return buf;
    }

    int offset() {
        return offset;
    }

    /** Appends the encoding of {@code row} (all but its clustering) to {@code out}. */
    static void encode(Row row, DataOutputBuffer out, ColumnNames columns, long baseTimestamp) {
        LivenessInfo li = row.primaryKeyLivenessInfo();
        int flags = (li.isEmpty() ? 0 : HAS_LIVENESS)
                | (!li.isEmpty() && li.isExpiring() ? LIVENESS_EXPIRING : 0)
                | (row.deletion().isLive() ? 0 : HAS_DELETION)
                | (row.complexDeletions().isEmpty() ? 0 : HAS_COMPLEX_DELETIONS)
                | (row.cells().isEmpty() ? 0 : HAS_CELLS);
        out.writeByte(flags);
        if (!li.isEmpty()) {
            out.writeVInt(li.timestamp() - baseTimestamp);
            if (li.isExpiring()) {
                out.writeUnsignedVInt32(li.ttl());
                out.writeUnsignedVInt32(li.localExpirationTime());
            }
        }
        if (!row.deletion().isLive()) {
            RowSerializer.writeDeletion(out, row.deletion(), baseTimestamp);
        }
        if (!row.complexDeletions().isEmpty()) {
            out.writeUnsignedVInt(row.complexDeletions().size());
            for (Map.Entry<String, DeletionTime> e : row.complexDeletions().entrySet()) {
                out.writeUnsignedVInt(columns.indexOf(e.getKey()));
                RowSerializer.writeDeletion(out, e.getValue(), baseTimestamp);
            }
        }
        if (!row.cells().isEmpty()) {
            out.writeUnsignedVInt(row.cells().size());
            for (Cell c : row.cells()) {
                RowSerializer.writeCell(out, c, columns, baseTimestamp);
            }
        }
    }

    /** This handle's own bytes as a row (a delta alone, without the versions under it). */
    Row decode(Clustering clustering, ColumnNames columns, long baseTimestamp) {
        DataInputBuffer in = new DataInputBuffer(buf, offset, length);
        int flags = in.readUnsignedByte();
        LivenessInfo li = LivenessInfo.EMPTY;
        if ((flags & HAS_LIVENESS) != 0) {
            long ts = baseTimestamp + in.readVInt();
            li = (flags & LIVENESS_EXPIRING) != 0
                    ? new LivenessInfo(ts, in.readUnsignedVInt32(), in.readUnsignedVInt32())
                    : new LivenessInfo(ts, Cell.NO_TTL, Cell.NO_DELETION_TIME);
        }
        DeletionTime deletion = (flags & HAS_DELETION) != 0
                ? RowSerializer.readDeletion(in, baseTimestamp) : DeletionTime.LIVE;
        Map<String, DeletionTime> complex = Map.of();
        if ((flags & HAS_COMPLEX_DELETIONS) != 0) {
            int n = in.readLength();
            complex = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String column = columns.name(in.readUnsignedVInt32());
                complex.put(column, RowSerializer.readDeletion(in, baseTimestamp));
            }
        }
        List<Cell> cells = List.of();
        if ((flags & HAS_CELLS) != 0) {
            int n = in.readLength();
            Cell[] read = new Cell[n];
            for (int i = 0; i < n; i++) {
                read[i] = RowSerializer.readCell(in, columns, baseTimestamp);
            }
            cells = List.of(read);
        }
        return new Row(clustering, li, deletion, cells, complex);
    }
}
