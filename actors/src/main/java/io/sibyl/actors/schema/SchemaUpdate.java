package io.sibyl.actors.schema;

import java.util.List;

/**
 * The outcome of a schema change: the schema this node now has, and warnings for the client
 * (e.g. that some live nodes had not confirmed the new schema version in time).
 */
public record SchemaUpdate(Schema schema, List<String> warnings) {
    public SchemaUpdate {
        warnings = List.copyOf(warnings);
    }
}
