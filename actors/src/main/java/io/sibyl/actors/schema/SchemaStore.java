package io.sibyl.actors.schema;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where a node keeps the schema. Changes are functions of the current schema applied atomically
 * (they may throw to reject a change); listeners see every new schema (the storage engine creates
 * and drops table stores from them).
 */
public interface SchemaStore {
    Schema current();

    /** Applies {@code change} atomically and durably; the stage completes with the new schema. */
    CompletionStage<Schema> update(UnaryOperator<Schema> change);

    void addListener(Consumer<Schema> listener);

    /**
     * Like {@link #update}, and in a cluster also waits until the live nodes report the new schema
     * version; when they do not in time the change still stands and the answer carries a warning.
     */
    default CompletionStage<SchemaUpdate> updateAndAwait(UnaryOperator<Schema> change) {
        return update(change).thenApply(s -> new SchemaUpdate(s, List.of()));
    }
}
