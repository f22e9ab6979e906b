package io.sibyl.actors.replica;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
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

    /**
     * Applies the mutation to the memtables and appends it to the commit log; completes once it is durable
     * per {@code commitlog_sync} (group/batch: after the fsync covering it; periodic: once written to the
     * file). Fails with UnknownTableException, MutationTooLargeException or CommitLogFailedException.
     */
    public CompletionStage<Void> apply(Mutation mutation) {
        return engine.write(mutation);
    }

    public ReadResult read(SinglePartitionReadCommand command) {
        return engine.table(command.metadata().id()).read(command);
    }

    public ReadResult scan(PartitionRangeReadCommand command) {
        return engine.table(command.metadata().id()).scan(command);
    }
}
