package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The coordinator of a node whose cluster layer is away (restarting after the cluster downed it): no
 * other node can be reached, so only this node's replica counts, and the last ring view the layer had
 * says which keys it holds. A read of a key this node replicates is served when the consistency level
 * is met by one replica (ONE, LOCAL_ONE in this node's DC); everything else answers
 * {@code UNAVAILABLE} at once, nothing done. Writes are refused too, even at ONE: the hint journal lives
 * in the cluster layer, and a write applied here without hints for the other replicas would leave them
 * behind until a repair (see the ADR on the long-lived node).
 */
public final class DetachedCoordinator implements Coordinator {
    private final RingView lastView;
    private final SchemaStore schema;
    private final LocalReplica replica;

    public DetachedCoordinator(RingView lastView, SchemaStore schema, LocalReplica replica) {
        this.lastView = lastView;
        this.schema = schema;
        this.replica = replica;
    }

    @Override
    public CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        return CompletableFuture.failedFuture(writesRefused(cl, mutations.isEmpty() ? null : mutations.get(0).keyspace()));
    }

    @Override
    public CompletionStage<ReadResult> read(SinglePartitionReadCommand command, ConsistencyLevel cl) {
        try {
            ReplicationStrategy strategy = strategy(command.metadata().keyspace());
            NodeInfo self = lastView.self();
            boolean holdsKey = lastView.ring().replicasFor(strategy, command.key().token()).stream()
                    .anyMatch(n -> n.id().equals(self.id()));
            cl.assureSufficientLiveNodesForRead(strategy, self.dc(), holdsKey ? List.of(self) : List.of());
            return CompletableFuture.completedFuture(replica.read(command));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A scan needs every range; one replica alone holds all of them only when no other node exists. */
    @Override
    public CompletionStage<ReadResult> scan(PartitionRangeReadCommand command, ConsistencyLevel cl) {
        try {
            ReplicationStrategy strategy = strategy(command.metadata().keyspace());
            NodeInfo self = lastView.self();
            boolean alone = lastView.ring().nodeCount() <= 1;
            cl.assureSufficientLiveNodesForRead(strategy, self.dc(), alone ? List.of(self) : List.of());
            if (!alone) {
                throw new UnavailableException(cl, cl.blockFor(strategy, self.dc()), 0);
            }
            return CompletableFuture.completedFuture(replica.scan(command));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<CasResult> cas(SinglePartitionReadCommand read, CasDecision decide, ConsistencyLevel serialCl,
                                          ConsistencyLevel commitCl) {
        return CompletableFuture.failedFuture(writesRefused(serialCl, read.metadata().keyspace()));
    }

    @Override
    public CompletionStage<Void> truncate(TableMetadata table) {
        return CompletableFuture.failedFuture(
                new UnavailableException(ConsistencyLevel.ALL, Math.max(1, lastView.ring().nodeCount()), 0));
    }

    private UnavailableException writesRefused(ConsistencyLevel cl, String keyspace) {
        ReplicationStrategy strategy = keyspace == null ? null : schema.current().strategy(keyspace);
        int required = strategy == null ? 1 : Math.max(1, cl.blockForWrite(strategy, lastView.self().dc(), List.of()));
        return new UnavailableException(cl, required, 0);
    }

    private ReplicationStrategy strategy(String keyspace) {
        ReplicationStrategy strategy = schema.current().strategy(keyspace);
        if (strategy == null) {
            throw new IllegalStateException("keyspace " + keyspace + " does not exist");
        }
        return strategy;
    }
}
