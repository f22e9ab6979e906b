package io.sibyl.storage.serialization;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.RangeTombstone;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The compact binary encoding of {@link Mutation} and {@link PartitionUpdate}: what the commit log
 * records, and what replicas will exchange. Tables are named by id; decoding resolves each id through
 * a schema lookup, and an update for a table the lookup does not know (dropped, or not yet created
 * here) is skipped whole — each update is length-prefixed for that — and reported to the caller.
 */
public final class MutationSerializer {

    static final int UPDATE_HAS_PARTITION_DELETION = 0x01;
    static final int UPDATE_HAS_RANGE_TOMBSTONES = 0x02;
    static final int UPDATE_HAS_STATIC_ROW = 0x04;

    private MutationSerializer() {
    }

    /** Per-thread scratch buffers (whole mutation, one update's body), so a write allocates only its result. */
    private static final ThreadLocal<DataOutputBuffer[]> SCRATCH =
            ThreadLocal.withInitial(() -> new DataOutputBuffer[] {new DataOutputBuffer(4096), new DataOutputBuffer(4096)});
    /** A scratch buffer grown past this by a huge mutation is dropped rather than kept per thread. */
    private static final int MAX_KEPT_SCRATCH = 1 << 20;

    public static byte[] serialize(Mutation m) {
        DataOutputBuffer[] scratch = SCRATCH.get();
        DataOutputBuffer out = scratch[0];
        out.reset();
        serialize(m, out, scratch[1]);
        byte[] result = out.toByteArray();
        if (out.array().length > MAX_KEPT_SCRATCH || scratch[1].array().length > MAX_KEPT_SCRATCH) {
            SCRATCH.remove();
        }
        return result;
    }

    public static void serialize(Mutation m, DataOutputBuffer out) {
        serialize(m, out, new DataOutputBuffer(256));
    }

    private static void serialize(Mutation m, DataOutputBuffer out, DataOutputBuffer body) {
        out.writeString(m.keyspace());
        out.writeLong(m.key().token());
        out.writeBytes(m.key().key());
        out.writeUnsignedVInt(m.updates().size());
        for (PartitionUpdate u : m.updates()) {
            body.reset();
            serializeBody(u, body);
            out.writeUuid(u.tableId());
            out.writeUnsignedVInt(body.length());
            out.write(body.array(), 0, body.length());
        }
    }

    /**
     * Decodes a mutation. Updates of tables {@code schema} returns null for are skipped and their ids
     * passed to {@code unknownTable}; the result then holds only the known ones (possibly none: null).
     */
    public static Mutation deserialize(byte[] bytes, Function<UUID, TableMetadata> schema, Consumer<UUID> unknownTable) {
        return deserialize(new DataInputBuffer(bytes), schema, unknownTable);
    }

    public static Mutation deserialize(DataInputPlus in, Function<UUID, TableMetadata> schema, Consumer<UUID> unknownTable) {
        String keyspace = in.readString();
        DecoratedKey key = new DecoratedKey(in.readLong(), in.readBytes());
        int n = in.readLength();
        List<PartitionUpdate> updates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            UUID tableId = in.readUuid();
            int length = in.readLength();
            TableMetadata table = schema.apply(tableId);
            if (table == null) {
                in.skip(length);
                unknownTable.accept(tableId);
                continue;
            }
            byte[] body = new byte[length];
            in.readFully(body, 0, length);
            DataInputBuffer bodyIn = new DataInputBuffer(body);
            updates.add(deserializeBody(bodyIn, table, key));
            if (bodyIn.remaining() != 0) {
                throw new MalformedDataException(bodyIn.remaining() + " stray bytes after an update of " + table);
            }
        }
        if (updates.isEmpty()) {
            return null;
        }
        try {
            return new Mutation(keyspace, key, updates);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid mutation: " + e.getMessage(), e);
        }
    }

    /** One update's body (without table id and key, which the mutation carries). */
    public static void serializeBody(PartitionUpdate u, DataOutputBuffer out) {
        ColumnDictionary dict = dictionaryOf(u);
        dict.write(out);
        long base = u.minTimestamp();
        out.writeVInt(base);
        int flags = (u.partitionDeletion().isLive() ? 0 : UPDATE_HAS_PARTITION_DELETION)
                | (u.rangeTombstones().isEmpty() ? 0 : UPDATE_HAS_RANGE_TOMBSTONES)
                | (u.staticRow().isEmpty() ? 0 : UPDATE_HAS_STATIC_ROW);
        out.writeByte(flags);
        if (!u.partitionDeletion().isLive()) {
            RowSerializer.writeDeletion(out, u.partitionDeletion(), base);
        }
        if (!u.rangeTombstones().isEmpty()) {
            RowSerializer.writeRangeTombstones(out, u.rangeTombstones(), base);
        }
        if (!u.staticRow().isEmpty()) {
            RowSerializer.writeRow(out, u.staticRow(), dict, base);
        }
        out.writeUnsignedVInt(u.rows().size());
        for (Row r : u.rows()) {
            RowSerializer.writeRow(out, r, dict, base);
        }
    }

    public static PartitionUpdate deserializeBody(DataInputPlus in, TableMetadata table, DecoratedKey key) {
        ColumnDictionary dict = ColumnDictionary.read(in);
        long base = in.readVInt();
        int flags = in.readUnsignedByte();
        DeletionTime pd = (flags & UPDATE_HAS_PARTITION_DELETION) != 0 ? RowSerializer.readDeletion(in, base) : DeletionTime.LIVE;
        List<RangeTombstone> rts = (flags & UPDATE_HAS_RANGE_TOMBSTONES) != 0
                ? RowSerializer.readRangeTombstones(in, base) : List.of();
        Row staticRow = (flags & UPDATE_HAS_STATIC_ROW) != 0 ? RowSerializer.readRow(in, dict, base) : null;
        int n = in.readLength();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(RowSerializer.readRow(in, dict, base));
        }
        try {
            return new PartitionUpdate(table, key, pd, rts, staticRow, rows);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid update of " + table + ": " + e.getMessage(), e);
        }
    }

    /** Serializes a single update with its table id and key, as a one-update mutation would. */
    public static byte[] serialize(PartitionUpdate u) {
        return serialize(Mutation.of(u));
    }

    private static ColumnDictionary dictionaryOf(PartitionUpdate u) {
        ColumnDictionary dict = new ColumnDictionary();
        addColumns(dict, u.staticRow());
        List<Row> rows = u.rows();
        for (int i = 0, n = rows.size(); i < n; i++) {
            addColumns(dict, rows.get(i));
        }
        return dict;
    }

    private static void addColumns(ColumnDictionary dict, Row r) {
        if (!r.complexDeletions().isEmpty()) {
            for (String c : r.complexDeletions().keySet()) {
                dict.indexOf(c);
            }
        }
        List<Cell> cells = r.cells();
        for (int i = 0, n = cells.size(); i < n; i++) {
            dict.indexOf(cells.get(i).column());
        }
    }
}
