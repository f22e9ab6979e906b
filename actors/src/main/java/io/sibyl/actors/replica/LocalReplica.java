package io.sibyl.actors.replica;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This node as a replica: applies mutations to the local storage engine and serves local reads.
 * Thread-safe; it delegates to the engine's concurrent structures, so no single queue serializes
 * the node's writes or reads.
 */
public final class LocalReplica {
    private final StorageEngine engine;

    public LocalReplica(StorageEngine engine) {
        this.engine = engine;
    }

    public StorageEngine engine() {
        return engine;
    }

    /** Completes once the mutation is durable (per the commit-log sync mode) and applied. */
    public CompletionStage<Void> apply(Mutation mutation) {
        try {
            return engine.write(mutation);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public ReadResult read(SinglePartitionReadCommand command) {
        return engine.table(command.metadata().id()).read(command);
    }

    public ReadResult scan(PartitionRangeReadCommand command) {
        return engine.table(command.metadata().id()).scan(command);
    }
}
