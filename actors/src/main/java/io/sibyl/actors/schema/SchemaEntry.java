package io.sibyl.actors.schema;

import io.sibyl.actors.cluster.CborSerializable;
import java.util.Objects;

/**
 * One value of the replicated schema map: a keyspace's options (key {@code k:<ks>}) or one table
 * (key {@code t:<ks>.<table>}), as canonical JSON. A drop writes a tombstone ({@code deleted})
 * rather than removing the key, so that last-writer-wins also orders a drop against a concurrent
 * change and a dropped name never comes back from an old copy.
 *
 * @param json        the canonical JSON of the keyspace options or of the table
 * @param incarnation which life of the keyspace this belongs to: 1 when a keyspace is first
 *                    created, one more each time it is created again after a drop. A table
 *                    belongs to the schema only while its incarnation is the keyspace's, so the
 *                    tables of a dropped keyspace never reappear when the name is reused, while
 *                    two nodes that create the same new keyspace concurrently agree on it.
 * @param deleted     a tombstone
 */
public record SchemaEntry(String json, long incarnation, boolean deleted) implements CborSerializable {
    public SchemaEntry {
        Objects.requireNonNull(json, "json");
    }

    SchemaEntry tombstone() {
        return new SchemaEntry(json, incarnation, true);
    }
}
