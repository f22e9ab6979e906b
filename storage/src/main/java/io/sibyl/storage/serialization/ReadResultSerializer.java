package io.sibyl.storage.serialization;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.ReadStats;
import io.sibyl.storage.read.ReadThresholds;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The binary encoding of a replica's {@link ReadResult}: the unfiltered partitions (each as the
 * commit log encodes an update body, so the row encoding is shared), the filter and "now" they were
 * read with, the scan statistics (tombstone warnings travel back to the coordinator) and whether the
 * limit stopped the read.
 *
 * <pre>
 * tableId(16) flags(1: 0x01 limitReached) filter nowInSec(vint32)
 * stats: partitions rows liveRows tombstones (vint each) warn(vint) failure(vint) table(utf8)
 * partitions: n, then per partition key(token:8, bytes) body (MutationSerializer.serializeBody)
 * </pre>
 */
public final class ReadResultSerializer {

    private static final int LIMIT_REACHED = 0x01;

    private ReadResultSerializer() {
    }

    public static void serialize(ReadResult r, DataOutputBuffer out) {
        out.writeUuid(r.metadata().id());
        out.writeByte(r.limitReached() ? LIMIT_REACHED : 0);
        ReadCommandSerializer.writeFilter(out, r.filter());
        out.writeUnsignedVInt32(r.nowInSec());
        ReadStats s = r.stats() == null ? new ReadStats() : r.stats();
        out.writeUnsignedVInt(s.partitionsScanned());
        out.writeUnsignedVInt(s.rowsScanned());
        out.writeUnsignedVInt(s.liveRowsScanned());
        out.writeUnsignedVInt(s.tombstonesScanned());
        out.writeUnsignedVInt(s.thresholds().tombstoneWarn());
        out.writeUnsignedVInt(s.thresholds().tombstoneFailure());
        out.writeString(s.table());
        out.writeUnsignedVInt(r.partitions().size());
        for (PartitionUpdate p : r.partitions()) {
            ReadCommandSerializer.writeKey(out, p.key());
            MutationSerializer.serializeBody(p, out);
        }
    }

    public static byte[] serialize(ReadResult r) {
        DataOutputBuffer out = new DataOutputBuffer(512);
        serialize(r, out);
        return out.toByteArray();
    }

    /** @throws io.sibyl.storage.schema.UnknownTableException when {@code schema} does not know the table */
    public static ReadResult deserialize(DataInputPlus in, Function<UUID, TableMetadata> schema) {
        TableMetadata table = ReadCommandSerializer.table(in, schema);
        int flags = in.readUnsignedByte();
        ClusteringFilter filter = ReadCommandSerializer.readFilter(in);
        int now = in.readUnsignedVInt32();
        long partitions = in.readUnsignedVInt();
        long rows = in.readUnsignedVInt();
        long liveRows = in.readUnsignedVInt();
        long tombstones = in.readUnsignedVInt();
        ReadThresholds thresholds;
        try {
            thresholds = new ReadThresholds(in.readUnsignedVInt(), in.readUnsignedVInt());
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid thresholds: " + e.getMessage(), e);
        }
        ReadStats stats = new ReadStats(thresholds, in.readString(), partitions, rows, liveRows, tombstones);
        int n = in.readLength();
        List<PartitionUpdate> updates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DecoratedKey key = ReadCommandSerializer.readKey(in);
            updates.add(MutationSerializer.deserializeBody(in, table, key));
        }
        return new ReadResult(table, filter, now, updates, stats, (flags & LIMIT_REACHED) != 0);
    }
}
