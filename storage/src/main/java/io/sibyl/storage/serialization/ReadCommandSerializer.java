package io.sibyl.storage.serialization;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.schema.UnknownTableException;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The binary encoding of read commands, as coordinators send them to replicas. The table is named by
 * id and resolved through the receiver's schema; a table the receiver does not know fails the decode
 * with {@link UnknownTableException} (the replica answers that as an explicit failure).
 *
 * <pre>
 * single: tableId(16) key(token:8, bytes) filter nowInSec(vint32) limits
 * range:  tableId(16) keyRange filter nowInSec(vint32) limits
 * filter: flags(1: 0x01 reversed, 0x02 has columns) slices(n, start bound, end bound)* [columns(n, utf8)*]
 * limits: rows(vint32) perPartitionRows(vint32)
 * keyRange: flags(1: 0x01 startInclusive, 0x02 has end, 0x04 endInclusive) start(key) [end(key)]
 * </pre>
 */
public final class ReadCommandSerializer {

    private static final int FILTER_REVERSED = 0x01;
    private static final int FILTER_HAS_COLUMNS = 0x02;
    private static final int RANGE_START_INCLUSIVE = 0x01;
    private static final int RANGE_HAS_END = 0x02;
    private static final int RANGE_END_INCLUSIVE = 0x04;

    private ReadCommandSerializer() {
    }

    public static void serialize(SinglePartitionReadCommand c, DataOutputBuffer out) {
        out.writeUuid(c.metadata().id());
        writeKey(out, c.key());
        writeFilter(out, c.filter());
        out.writeUnsignedVInt32(c.nowInSec());
        writeLimits(out, c.limits());
    }

    public static SinglePartitionReadCommand deserializeSingle(DataInputPlus in, Function<UUID, TableMetadata> schema) {
        TableMetadata table = table(in, schema);
        DecoratedKey key = readKey(in);
        ClusteringFilter filter = readFilter(in);
        int now = in.readUnsignedVInt32();
        return new SinglePartitionReadCommand(table, key, filter, now, readLimits(in));
    }

    public static void serialize(PartitionRangeReadCommand c, DataOutputBuffer out) {
        out.writeUuid(c.metadata().id());
        writeKeyRange(out, c.range());
        writeFilter(out, c.filter());
        out.writeUnsignedVInt32(c.nowInSec());
        writeLimits(out, c.limits());
    }

    public static PartitionRangeReadCommand deserializeRange(DataInputPlus in, Function<UUID, TableMetadata> schema) {
        TableMetadata table = table(in, schema);
        KeyRange range = readKeyRange(in);
        ClusteringFilter filter = readFilter(in);
        int now = in.readUnsignedVInt32();
        return new PartitionRangeReadCommand(table, range, filter, now, readLimits(in));
    }

    static TableMetadata table(DataInputPlus in, Function<UUID, TableMetadata> schema) {
        UUID id = in.readUuid();
        TableMetadata table = schema.apply(id);
        if (table == null) {
            throw new UnknownTableException(id);
        }
        return table;
    }

    public static void writeKey(DataOutputBuffer out, DecoratedKey key) {
        out.writeLong(key.token());
        out.writeBytes(key.key());
    }

    public static DecoratedKey readKey(DataInputPlus in) {
        return new DecoratedKey(in.readLong(), in.readBytes());
    }

    public static void writeFilter(DataOutputBuffer out, ClusteringFilter f) {
        out.writeByte((f.reversed() ? FILTER_REVERSED : 0) | (f.columns() != null ? FILTER_HAS_COLUMNS : 0));
        out.writeUnsignedVInt(f.slices().size());
        for (Slice s : f.slices()) {
            RowSerializer.writeBound(out, s.start());
            RowSerializer.writeBound(out, s.end());
        }
        if (f.columns() != null) {
            // Sorted, so equal filters encode to equal bytes.
            List<String> columns = new ArrayList<>(f.columns());
            columns.sort(null);
            out.writeUnsignedVInt(columns.size());
            for (String c : columns) {
                out.writeString(c);
            }
        }
    }

    public static ClusteringFilter readFilter(DataInputPlus in) {
        int flags = in.readUnsignedByte();
        int n = in.readLength();
        List<Slice> slices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                slices.add(new Slice(RowSerializer.readBound(in), RowSerializer.readBound(in)));
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException("invalid slice: " + e.getMessage(), e);
            }
        }
        Set<String> columns = null;
        if ((flags & FILTER_HAS_COLUMNS) != 0) {
            int m = in.readLength();
            columns = new HashSet<>();
            for (int i = 0; i < m; i++) {
                columns.add(in.readString());
            }
        }
        return new ClusteringFilter(slices, (flags & FILTER_REVERSED) != 0, columns);
    }

    public static void writeLimits(DataOutputBuffer out, DataLimits l) {
        out.writeUnsignedVInt32(l.rows());
        out.writeUnsignedVInt32(l.perPartitionRows());
    }

    public static DataLimits readLimits(DataInputPlus in) {
        try {
            return new DataLimits(in.readUnsignedVInt32(), in.readUnsignedVInt32());
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid limits: " + e.getMessage(), e);
        }
    }

    public static void writeKeyRange(DataOutputBuffer out, KeyRange r) {
        out.writeByte((r.startInclusive() ? RANGE_START_INCLUSIVE : 0) | (r.end() != null ? RANGE_HAS_END : 0)
                | (r.endInclusive() ? RANGE_END_INCLUSIVE : 0));
        writeKey(out, r.start());
        if (r.end() != null) {
            writeKey(out, r.end());
        }
    }

    public static KeyRange readKeyRange(DataInputPlus in) {
        int flags = in.readUnsignedByte();
        DecoratedKey start = readKey(in);
        DecoratedKey end = (flags & RANGE_HAS_END) != 0 ? readKey(in) : null;
        return new KeyRange(start, (flags & RANGE_START_INCLUSIVE) != 0, end, (flags & RANGE_END_INCLUSIVE) != 0);
    }
}
