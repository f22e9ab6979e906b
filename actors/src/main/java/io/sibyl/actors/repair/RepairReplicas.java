package io.sibyl.actors.repair;

import io.sibyl.actors.messaging.ReplicaClient;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActor.Reply;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.repair.MerkleTree;
import io.sibyl.storage.repair.TokenSubrange;
import io.sibyl.storage.schema.TableMetadata;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The replica requests of a repair session, to this node's replica directly or to others' replica
 * actors. Blocking on purpose: a session is a sequence of steps on its own thread, and it waits for
 * each step's answers before the next (sessions are rare and long; the node's request path never
 * waits on them).
 */
final class RepairReplicas {

    private final ReplicaClient client;
    private final LocalReplica local;
    private final NodeId self;
    private final Executor localWork;
    private final Duration timeout;

    RepairReplicas(ReplicaClient client, LocalReplica local, NodeId self, Executor localWork, Duration timeout) {
        this.client = client;
        this.local = local;
        this.self = self;
        this.localWork = localWork;
        this.timeout = timeout;
    }

    boolean isSelf(NodeInfo n) {
        return n.id().equals(self);
    }

    CompletableFuture<Reply> tree(NodeInfo n, TableMetadata table, TokenSubrange range, int depth, int nowInSec) {
        if (isSelf(n)) {
            return locally(() -> new ReplicaActor.MerkleTreeResponse(local.merkleTree(table.id(), range, depth, nowInSec)));
        }
        return client.send(n, range.end(), r -> new ReplicaActor.BuildMerkleTree(table.id(), range, depth, nowInSec, r),
                timeout).toCompletableFuture();
    }

    CompletableFuture<Reply> read(NodeInfo n, PartitionRangeReadCommand command) {
        if (isSelf(n)) {
            return locally(() -> new ReplicaActor.DataResponse(local.scanUnbounded(command)));
        }
        return client.send(n, command.range().start().token(), r -> new ReplicaActor.RepairRead(command, r), timeout)
                .toCompletableFuture();
    }

    CompletableFuture<Reply> apply(NodeInfo n, List<Mutation> batch) {
        if (isSelf(n)) {
            CompletableFuture<Reply> f = new CompletableFuture<>();
            try {
                local.applyAll(batch).whenComplete((v, e) ->
                        f.complete(e == null ? ReplicaActor.MutateAck.INSTANCE : ReplicaActor.failure(e)));
            } catch (RuntimeException e) {
                f.complete(ReplicaActor.failure(e));
            }
            return f;
        }
        return client.send(n, batch.get(0).key().token(), r -> new ReplicaActor.ApplyBatch(batch, r), timeout)
                .toCompletableFuture();
    }

    private CompletableFuture<Reply> locally(Supplier<Reply> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (RuntimeException e) {
                return ReplicaActor.failure(e);
            }
        }, localWork);
    }

    /** The reply of {@code n}, or a RepairException saying why there is none. */
    Reply await(NodeInfo n, CompletableFuture<Reply> f, String what) {
        try {
            return f.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepairException("interrupted waiting for " + n.id() + " to " + what, e);
        } catch (TimeoutException e) {
            throw new RepairException("replica " + n.id() + " did not " + what + " within " + timeout, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof TimeoutException) {
                throw new RepairException("replica " + n.id() + " did not " + what + " within " + timeout, c);
            }
            throw new RepairException("replica " + n.id() + " could not " + what + ": " + c, c);
        }
    }

    /** The tree in {@code reply}, or a RepairException. */
    static MerkleTree treeOf(NodeInfo n, Reply reply) {
        if (reply instanceof ReplicaActor.MerkleTreeResponse t) {
            return t.tree();
        }
        throw failed(n, reply, "build a Merkle tree");
    }

    static RepairException failed(NodeInfo n, Reply reply, String what) {
        if (reply instanceof ReplicaActor.ReplicaFailure f) {
            return new RepairException("replica " + n.id() + " could not " + what + ": " + f.reason() + " " + f.message());
        }
        return new RepairException("replica " + n.id() + " answered " + reply + " when asked to " + what);
    }
}
