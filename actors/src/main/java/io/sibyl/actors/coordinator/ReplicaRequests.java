package io.sibyl.actors.coordinator;

import io.sibyl.actors.batchlog.Batch;
import io.sibyl.actors.messaging.ReplicaClient;
import io.sibyl.actors.paxos.Ballot;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActor.Reply;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicaProximity;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.actor.typed.ActorRef;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One request to one replica, wherever it is: the local replica is called directly (no actor hop,
 * no serialization; reads run on the caller's thread, after the remote requests went out), other
 * nodes through the {@link ReplicaClient}. Every answer is a {@link Reply} — a local exception
 * becomes a {@link ReplicaActor.ReplicaFailure} just as a remote one does — or a future failed with
 * a TimeoutException. Response times feed the {@link ReplicaProximity} that orders replicas for reads.
 */
final class ReplicaRequests {

    private volatile DistributedCoordinator.ReadRepairListener readRepairListener;

    void onReadRepair(DistributedCoordinator.ReadRepairListener listener) {
        this.readRepairListener = listener;
    }

    void readRepaired(io.sibyl.actors.consistency.ConsistencyLevel cl, io.sibyl.storage.schema.TableMetadata table, int replicas) {
        DistributedCoordinator.ReadRepairListener l = readRepairListener;
        if (l != null) {
            l.repaired(cl, table, replicas);
        }
    }

    private final ReplicaClient client;
    private final LocalReplica local;
    private final NodeId self;
    private final ReplicaProximity proximity;

    ReplicaRequests(ReplicaClient client, LocalReplica local, NodeId self, ReplicaProximity proximity) {
        this.client = client;
        this.local = local;
        this.self = self;
        this.proximity = proximity;
    }

    ReplicaClient client() {
        return client;
    }

    ReplicaProximity proximity() {
        return proximity;
    }

    boolean isSelf(NodeInfo n) {
        return n.id().equals(self);
    }

    /**
     * @param acquired whether the caller already holds an in-flight slot for {@code to} (else one is
     *                 taken here, and the future fails with OverloadedException when there is none)
     */
    CompletableFuture<Reply> mutate(NodeInfo to, Mutation m, Duration timeout, boolean acquired) {
        if (isSelf(to)) {
            CompletableFuture<Reply> f = new CompletableFuture<>();
            try {
                local.apply(m).whenComplete((v, e) -> f.complete(e == null ? ReplicaActor.MutateAck.INSTANCE : ReplicaActor.failure(e)));
            } catch (RuntimeException e) {
                f.complete(ReplicaActor.failure(e));
            }
            return f;
        }
        return remote(to, m.key().token(), r -> new ReplicaActor.Mutate(m, r), timeout, acquired);
    }

    CompletableFuture<Reply> readData(NodeInfo from, SinglePartitionReadCommand c, Duration timeout, boolean acquired) {
        if (isSelf(from)) {
            return localRead(() -> new ReplicaActor.DataResponse(local.read(c)));
        }
        return remote(from, c.key().token(), r -> new ReplicaActor.ReadData(c, r), timeout, acquired);
    }

    CompletableFuture<Reply> readDigest(NodeInfo from, SinglePartitionReadCommand c, Duration timeout, boolean acquired) {
        if (isSelf(from)) {
            return localRead(() -> new ReplicaActor.DigestResponse(local.read(c).digest()));
        }
        return remote(from, c.key().token(), r -> new ReplicaActor.ReadDigest(c, r), timeout, acquired);
    }

    CompletableFuture<Reply> rangeRead(NodeInfo from, PartitionRangeReadCommand c, Duration timeout, boolean acquired) {
        if (isSelf(from)) {
            return localRead(() -> new ReplicaActor.DataResponse(local.scan(c)));
        }
        return remote(from, c.range().start().token(), r -> new ReplicaActor.RangeRead(c, r), timeout, acquired);
    }

    CompletableFuture<Reply> paxosPrepare(NodeInfo to, TableMetadata table, DecoratedKey key, Ballot ballot, Duration timeout) {
        if (isSelf(to)) {
            return local(() -> local.paxos().prepare(table, key, ballot).thenApply(ReplicaActor.PaxosPromise::new));
        }
        return remote(to, key.token(), r -> new ReplicaActor.PaxosPrepare(table, key, ballot, r), timeout, false);
    }

    CompletableFuture<Reply> paxosPropose(NodeInfo to, Proposal proposal, Duration timeout) {
        if (isSelf(to)) {
            return local(() -> local.paxos().propose(proposal)
                    .thenApply(ok -> ok ? ReplicaActor.PaxosAccepted.YES : ReplicaActor.PaxosAccepted.NO));
        }
        return remote(to, proposal.update().key().token(), r -> new ReplicaActor.PaxosPropose(proposal, r), timeout, false);
    }

    /** @param acquired as for {@link #mutate} */
    CompletableFuture<Reply> paxosCommit(NodeInfo to, Proposal commit, Duration timeout, boolean acquired) {
        if (isSelf(to)) {
            return local(() -> local.paxos().commit(commit).thenApply(v -> ReplicaActor.MutateAck.INSTANCE));
        }
        return remote(to, commit.update().key().token(), r -> new ReplicaActor.PaxosCommit(commit, r), timeout, acquired);
    }

    /** Batchlog: holds {@code batch} on {@code to} (the local batchlog when {@code to} is this node). */
    CompletableFuture<Reply> storeBatch(NodeInfo to, Batch batch, Duration timeout) {
        if (isSelf(to)) {
            return local(() -> local.batchlog().store(batch).thenApply(v -> ReplicaActor.MutateAck.INSTANCE));
        }
        return remote(to, batchToken(batch.id()), r -> new ReplicaActor.StoreBatch(batch, r), timeout, false);
    }

    /** Batchlog: removes the entry of batch {@code id} from {@code to}. */
    CompletableFuture<Reply> removeBatch(NodeInfo to, java.util.UUID id, Duration timeout) {
        if (isSelf(to)) {
            return local(() -> local.batchlog().remove(id).thenApply(v -> ReplicaActor.MutateAck.INSTANCE));
        }
        return remote(to, batchToken(id), r -> new ReplicaActor.RemoveBatch(id, r), timeout, false);
    }

    /** Spreads batchlog requests over the peer's replica actors (a batch has no token of its own). */
    private static long batchToken(java.util.UUID id) {
        return id.getMostSignificantBits() ^ id.getLeastSignificantBits();
    }

    /** A local asynchronous operation whose failure (thrown or in the stage) becomes a ReplicaFailure reply. */
    private static CompletableFuture<Reply> local(Supplier<CompletionStage<? extends Reply>> op) {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        try {
            op.get().whenComplete((r, e) -> f.complete(e == null ? r : ReplicaActor.failure(e)));
        } catch (RuntimeException e) {
            f.complete(ReplicaActor.failure(e));
        }
        return f;
    }

    // Not timed for ReplicaProximity: execution alone is no round trip, and the coordinator's own replica comes first anyway.
    private CompletableFuture<Reply> localRead(Supplier<Reply> read) {
        Reply reply;
        try {
            reply = read.get();
        } catch (RuntimeException e) {
            reply = ReplicaActor.failure(e);
        }
        return CompletableFuture.completedFuture(reply);
    }

    private CompletableFuture<Reply> remote(NodeInfo to, long token,
                                            Function<ActorRef<Reply>, ReplicaActor.Command> request,
                                            Duration timeout, boolean acquired) {
        long start = System.nanoTime();
        proximity.requestSent(to.id());
        CompletionStage<Reply> stage;
        try {
            stage = acquired ? client.sendAcquired(to, token, request, timeout) : client.send(to, token, request, timeout);
        } catch (RuntimeException e) {
            proximity.requestEnded(to.id());
            throw e;
        }
        return stage.toCompletableFuture().whenComplete((r, e) -> {
            if (e == null) {
                proximity.recordLatency(to.id(), System.nanoTime() - start);
            } else if (e instanceof java.util.concurrent.TimeoutException
                    || e.getCause() instanceof java.util.concurrent.TimeoutException) {
                // A replica that does not answer must look slow, or reads would keep picking it first.
                proximity.recordLatency(to.id(), timeout.toNanos());
            } else {
                proximity.requestEnded(to.id());
            }
        });
    }
}
