package io.sibyl.actors.batchlog;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.MutationSerializer;
import io.sibyl.storage.types.TimeUUIDs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A logged batch as the batchlog holds it: its id (a time-based UUID whose time is the moment the
 * coordinator wrote it) and its mutations, encoded once by the coordinator and kept as bytes by the
 * nodes that hold it (decoded only to replay). The mutations carry their cells' timestamps, so a
 * replay writes exactly what the coordinator would have, however late, and replaying twice is harmless.
 *
 * <p>Encoding of {@link #mutations}: an unsigned vint count, then each mutation in the commit log's
 * {@link MutationSerializer} layout (see docs/storage-format.md).
 */
public record Batch(UUID id, byte[] mutations) {

    public Batch {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mutations, "mutations");
        if (id.version() != 1) {
            throw new IllegalArgumentException("a batch id must be a time-based (version 1) UUID: " + id);
        }
    }

    /** A new batch of {@code mutations}, written now. */
    public static Batch of(List<Mutation> mutations) {
        return new Batch(TimeUUIDs.next(), encode(mutations));
    }

    /** When the coordinator wrote it to the batchlog (Unix epoch milliseconds). */
    public long writtenAtMillis() {
        return TimeUUIDs.unixMillis(id);
    }

    /**
     * The batch's mutations. Parts of tables {@code schema} does not know (dropped since) are left out
     * and their ids passed to {@code unknownTable}, as Cassandra skips them on replay.
     */
    public List<Mutation> decode(Function<UUID, TableMetadata> schema, Consumer<UUID> unknownTable) {
        DataInputBuffer in = new DataInputBuffer(mutations);
        int n = in.readLength();
        List<Mutation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Mutation m = MutationSerializer.deserialize(in, schema, unknownTable);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    static byte[] encode(List<Mutation> mutations) {
        DataOutputBuffer out = new DataOutputBuffer(1024);
        out.writeUnsignedVInt(mutations.size());
        for (Mutation m : mutations) {
            MutationSerializer.serialize(m, out);
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && id.equals(b.id) && Arrays.equals(mutations, b.mutations);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Batch(" + id + ", " + mutations.length + " bytes)";
    }
}
