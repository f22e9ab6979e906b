package io.sibyl.actors.hints;

import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.MalformedDataException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The binary encoding of hint events and queue snapshots in the journal and snapshot store (layout
 * in docs/storage-format.md). Integers are big-endian or unsigned vints; the mutation stays in its
 * MutationSerializer bytes, so a hint is never decoded before delivery.
 */
public final class HintSerializer extends SerializerWithStringManifest {

    /** Unique among the node's serializers (Pekko reserves 0-40). */
    public static final int IDENTIFIER = 7301;
    static final String STORED = "HS1";
    static final String DELIVERED = "HD1";
    static final String SNAPSHOT = "HQ1";

    public HintSerializer(ExtendedActorSystem system) {
    }

    /** For tests and tools that have no actor system. */
    public HintSerializer() {
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof HintEvent.HintStored) {
            return STORED;
        } else if (o instanceof HintEvent.HintsDelivered) {
            return DELIVERED;
        } else if (o instanceof HintQueueSnapshot) {
            return SNAPSHOT;
        }
        throw new IllegalArgumentException("cannot serialize " + o.getClass());
    }

    @Override
    public byte[] toBinary(Object o) {
        DataOutputBuffer out = new DataOutputBuffer(64);
        if (o instanceof HintEvent.HintStored s) {
            writeHint(out, 0, s.createdAtMillis(), s.ttlSeconds(), s.tableIds(), s.mutation());
        } else if (o instanceof HintEvent.HintsDelivered d) {
            out.writeLong(d.upToId());
        } else if (o instanceof HintQueueSnapshot q) {
            out.writeLong(q.nextId());
            out.writeUnsignedVInt(q.hints().size());
            for (PendingHint h : q.hints()) {
                writeHint(out, h.id(), h.createdAtMillis(), h.ttlSeconds(), h.tableIds(), h.mutation());
            }
        } else {
            throw new IllegalArgumentException("cannot serialize " + o.getClass());
        }
        return out.toByteArray();
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        try {
            return decode(bytes, manifest);
        } catch (MalformedDataException e) {
            throw new NotSerializableException("malformed " + manifest + ": " + e.getMessage());
        }
    }

    private static Object decode(byte[] bytes, String manifest) throws NotSerializableException {
        DataInputBuffer in = new DataInputBuffer(bytes);
        Object result;
        switch (manifest) {
            case STORED -> {
                PendingHint h = readHint(in);
                result = new HintEvent.HintStored(h.createdAtMillis(), h.ttlSeconds(), h.tableIds(), h.mutation());
            }
            case DELIVERED -> result = new HintEvent.HintsDelivered(in.readLong());
            case SNAPSHOT -> {
                long nextId = in.readLong();
                int n = in.readLength();
                List<PendingHint> hints = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    hints.add(readHint(in));
                }
                result = new HintQueueSnapshot(nextId, hints);
            }
            default -> throw new NotSerializableException("unknown hint manifest '" + manifest + "'");
        }
        if (in.remaining() != 0) {
            throw new NotSerializableException(in.remaining() + " stray bytes after a " + manifest);
        }
        return result;
    }

    // hint: id unsigned vint | created-at millis long | ttl seconds unsigned vint
    //       | table count unsigned vint | table ids (16 bytes each) | mutation length unsigned vint | mutation
    private static void writeHint(DataOutputBuffer out, long id, long createdAt, int ttl, List<UUID> tables, byte[] mutation) {
        out.writeUnsignedVInt(id);
        out.writeLong(createdAt);
        out.writeUnsignedVInt(ttl);
        out.writeUnsignedVInt(tables.size());
        for (UUID t : tables) {
            out.writeUuid(t);
        }
        out.writeBytes(mutation);
    }

    private static PendingHint readHint(DataInputBuffer in) {
        long id = in.readUnsignedVInt();
        long createdAt = in.readLong();
        int ttl = in.readUnsignedVInt32();
        int n = in.readLength();
        List<UUID> tables = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tables.add(in.readUuid());
        }
        return new PendingHint(id, createdAt, ttl, tables, in.readBytes());
    }
}
