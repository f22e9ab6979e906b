package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The coordinator of a node that is alone in its ring: it is the one replica of every token.
 * Consistency levels are still checked against the keyspace's replication, as Cassandra does:
 * on one node an RF=3 keyspace cannot meet QUORUM and answers UNAVAILABLE.
 */
public final class LocalCoordinator implements Coordinator {
    private final LocalReplica replica;
    private final SchemaStore schema;
    private final NodeInfo self;
    private final PartitionLocks locks = new PartitionLocks(1024);

    public LocalCoordinator(LocalReplica replica, SchemaStore schema, NodeInfo self) {
        this.replica = replica;
        this.schema = schema;
        this.self = self;
    }

    /**
     * On one node the one replica decides alone: a per-partition lock around read, decide and write
     * is linearizable. The update keeps the timestamps the caller gave it (there is no ballot to
     * take them from), so tests with a fixed clock see their clock's write times.
     */
    @Override
    public CompletionStage<CasResult> cas(SinglePartitionReadCommand read, CasDecision decide, ConsistencyLevel serialCl,
                                          ConsistencyLevel commitCl) {
        try {
            PaxosCoordinator.checkLevels(serialCl, commitCl);
            ReplicationStrategy strategy = strategy(read.metadata().keyspace());
            serialCl.assureSufficientLiveNodesForRead(strategy, self.dc(), List.of(self));
            commitCl.assureSufficientLiveNodesForWrite(strategy, self.dc(), List.of(self));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return locks.withLock(read.key(), () -> {
            ReadResult current = replica.read(read);
            PartitionUpdate update = decide.decide(current);
            if (update == null) {
                return CompletableFuture.completedFuture(new CasResult(false, current));
            }
            return replica.apply(Mutation.of(update)).thenApply(v -> new CasResult(true, current));
        });
    }

    @Override
    public CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        try {
            cl.validateForWrite();
            for (Mutation m : mutations) {
                cl.assureSufficientLiveNodesForWrite(strategy(m.keyspace()), self.dc(), List.of(self));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (mutations.size() == 1) {
            return replica.apply(mutations.get(0));
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[mutations.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = replica.apply(mutations.get(i)).toCompletableFuture();
        }
        return CompletableFuture.allOf(all);
    }

    @Override
    public CompletionStage<ReadResult> read(SinglePartitionReadCommand command, ConsistencyLevel cl) {
        try {
            cl.assureSufficientLiveNodesForRead(strategy(command.metadata().keyspace()), self.dc(), List.of(self));
            return CompletableFuture.completedFuture(replica.read(command));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<ReadResult> scan(PartitionRangeReadCommand command, ConsistencyLevel cl) {
        try {
            cl.assureSufficientLiveNodesForRead(strategy(command.metadata().keyspace()), self.dc(), List.of(self));
            return CompletableFuture.completedFuture(replica.scan(command));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Void> truncate(TableMetadata table) {
        try {
            replica.truncate(table.id());
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ReplicationStrategy strategy(String keyspace) {
        ReplicationStrategy strategy = schema.current().strategy(keyspace);
        if (strategy == null) {
            throw new IllegalStateException("keyspace " + keyspace + " does not exist");
        }
        return strategy;
    }
}
