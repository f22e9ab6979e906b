package io.sibyl.actors.messaging;

import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

import java.util.UUID;

/**
 * The schema the inter-node serializer decodes with: messages name tables by id, and only the
 * node's own schema knows what an id means. One per ActorSystem (a Pekko extension), because Pekko
 * creates the serializer, not Sibyl; the node points it at its {@link SchemaStore} when it starts
 * its replica actors or coordinator. Until then every table is unknown, and requests naming one are
 * answered with an UNKNOWN_TABLE failure.
 */
public final class SchemaLookup implements Extension {

    private static final AbstractExtensionId<SchemaLookup> ID = new AbstractExtensionId<>() {
        @Override
        public SchemaLookup createExtension(ExtendedActorSystem system) {
            return new SchemaLookup();
        }
    };

    private volatile SchemaStore store;

    private SchemaLookup() {
    }

    public static SchemaLookup get(ActorSystem<?> system) {
        return ID.get(Adapter.toClassic(system));
    }

    static SchemaLookup get(org.apache.pekko.actor.ActorSystem classic) {
        return ID.get(classic);
    }

    public void use(SchemaStore schema) {
        this.store = schema;
    }

    /** The table with this id in the current schema, or null. */
    public TableMetadata table(UUID id) {
        SchemaStore s = store;
        return s == null ? null : s.current().tableById(id);
    }
}
