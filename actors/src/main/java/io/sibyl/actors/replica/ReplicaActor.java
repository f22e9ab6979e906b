package io.sibyl.actors.replica;

import io.sibyl.actors.batchlog.Batch;
import io.sibyl.actors.paxos.Ballot;
import io.sibyl.actors.paxos.PrepareResponse;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.schema.UnknownTableException;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.read.TombstoneOverwhelmingException;
import io.sibyl.storage.repair.MerkleTree;
import io.sibyl.storage.repair.TokenSubrange;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * This node as a replica for requests from other coordinators: applies mutations and serves data,
 * digest and range reads on the thread-safe {@link LocalReplica}. Every request gets exactly one
 * reply; a failure is a {@link ReplicaFailure}, never silence, so a coordinator only waits for the
 * timeout when a replica is really unreachable or stalled.
 *
 * <p>The actor only dispatches: a mutation runs to its memtable insert on the actor's thread and
 * completes on the commit log's thread; reads (which may touch disk) run on the read executor. Each
 * node runs a fixed pool of these actors (see {@link ReplicaActors}), so no mailbox carries all of a
 * node's traffic.
 */
public final class ReplicaActor {

    /** Requests a coordinator sends to a replica. */
    public sealed interface Command {
        ActorRef<Reply> replyTo();
    }

    /** Apply a mutation durably, then answer {@link MutateAck}. */
    public record Mutate(Mutation mutation, ActorRef<Reply> replyTo) implements Command {
        public Mutate {
            Objects.requireNonNull(mutation, "mutation");
        }
    }

    /** Read a partition and answer the full (unfiltered) {@link DataResponse}. */
    public record ReadData(SinglePartitionReadCommand command, ActorRef<Reply> replyTo) implements Command {
    }

    /** Read a partition and answer only its {@link DigestResponse}. */
    public record ReadDigest(SinglePartitionReadCommand command, ActorRef<Reply> replyTo) implements Command {
    }

    /** Read a range of partitions and answer a {@link DataResponse}. */
    public record RangeRead(PartitionRangeReadCommand command, ActorRef<Reply> replyTo) implements Command {
    }

    /** TRUNCATE this node's part of a table, then answer {@link TruncateAck}. */
    public record Truncate(UUID tableId, ActorRef<Reply> replyTo) implements Command {
        public Truncate {
            Objects.requireNonNull(tableId, "tableId");
        }
    }

    /**
     * Repair: build the Merkle tree of this replica's data of a table in {@code range} (every replica
     * of a session gets the same range, depth and {@code nowInSec}, so equal data gives equal trees)
     * and answer {@link MerkleTreeResponse}.
     */
    public record BuildMerkleTree(UUID tableId, TokenSubrange range, int depth, int nowInSec,
                                  ActorRef<Reply> replyTo) implements Command {
        public BuildMerkleTree {
            Objects.requireNonNull(tableId, "tableId");
            Objects.requireNonNull(range, "range");
        }
    }

    /**
     * Repair: read a range of raw partitions (tombstones included, no tombstone thresholds) and
     * answer a {@link DataResponse}, or RESPONSE_TOO_LARGE, upon which the session asks for halves.
     */
    public record RepairRead(PartitionRangeReadCommand command, ActorRef<Reply> replyTo) implements Command {
    }

    /** Repair: apply every mutation durably, then answer {@link MutateAck}. */
    public record ApplyBatch(List<Mutation> mutations, ActorRef<Reply> replyTo) implements Command {
        public ApplyBatch {
            mutations = List.copyOf(mutations);
        }
    }

    /** Paxos phase 1: promise {@code ballot} for the partition, answer {@link PaxosPromise}. */
    public record PaxosPrepare(TableMetadata table, DecoratedKey key, Ballot ballot, ActorRef<Reply> replyTo)
            implements Command {
        public PaxosPrepare {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(ballot, "ballot");
        }
    }

    /** Paxos phase 2: accept the proposal if no later ballot was promised, answer {@link PaxosAccepted}. */
    public record PaxosPropose(Proposal proposal, ActorRef<Reply> replyTo) implements Command {
        public PaxosPropose {
            Objects.requireNonNull(proposal, "proposal");
        }
    }

    /**
     * Store {@code mutation} as a hint for {@code target} in this node's hint store, then answer
     * {@link MutateAck} once it is durable: a decommissioning node hands its hints for other (down) nodes
     * over before it leaves, so that they are still replayed when the target comes back.
     */
    public record StoreHint(io.sibyl.actors.ring.NodeId target, Mutation mutation, ActorRef<Reply> replyTo)
            implements Command {
        public StoreHint {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(mutation, "mutation");
        }
    }

    /** Paxos commit: apply the update and record it as the most recent commit, then answer {@link MutateAck}. */
    public record PaxosCommit(Proposal proposal, ActorRef<Reply> replyTo) implements Command {
        public PaxosCommit {
            Objects.requireNonNull(proposal, "proposal");
        }
    }

    /** Batchlog: hold the logged batch durably in {@code system.batches}, then answer {@link MutateAck}. */
    public record StoreBatch(Batch batch, ActorRef<Reply> replyTo) implements Command {
        public StoreBatch {
            Objects.requireNonNull(batch, "batch");
        }
    }

    /** Batchlog: the batch was applied, remove its entry, then answer {@link MutateAck}. */
    public record RemoveBatch(UUID id, ActorRef<Reply> replyTo) implements Command {
        public RemoveBatch {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * A request that arrived but could not be decoded here, e.g. it names a table this node's schema
     * does not have yet. Never sent: the serializer produces it so the replica can answer the failure.
     */
    public record Undecodable(String reason, ActorRef<Reply> replyTo) implements Command {
    }

    /** What a replica answers. */
    public sealed interface Reply {
    }

    /** The mutation is durable here (per {@code commitlog_sync}). */
    public record MutateAck() implements Reply {
        public static final MutateAck INSTANCE = new MutateAck();
    }

    public record DataResponse(ReadResult result) implements Reply {
    }

    /** The answer to a {@link PaxosPrepare}. */
    public record PaxosPromise(PrepareResponse response) implements Reply {
        public PaxosPromise {
            Objects.requireNonNull(response, "response");
        }
    }

    /** The answer to a {@link PaxosPropose}: whether the proposal was accepted. */
    public record PaxosAccepted(boolean accepted) implements Reply {
        public static final PaxosAccepted YES = new PaxosAccepted(true);
        public static final PaxosAccepted NO = new PaxosAccepted(false);
    }

    /** The table is truncated here. */
    public record TruncateAck() implements Reply {
        public static final TruncateAck INSTANCE = new TruncateAck();
    }

    /** This replica's Merkle tree for a {@link BuildMerkleTree}. */
    public record MerkleTreeResponse(MerkleTree tree) implements Reply {
        public MerkleTreeResponse {
            Objects.requireNonNull(tree, "tree");
        }
    }

    public record DigestResponse(byte[] digest) implements Reply {
        @Override
        public boolean equals(Object o) {
            return o instanceof DigestResponse d && Arrays.equals(digest, d.digest);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }

        @Override
        public String toString() {
            return "DigestResponse(" + java.util.HexFormat.of().formatHex(digest) + ")";
        }
    }

    /** Why a replica could not do what was asked. */
    public enum FailureReason {
        /** The request names a table this replica does not know (schema not here yet, or dropped). */
        UNKNOWN_TABLE,
        /** The read passed {@code tombstone_failure_threshold}. */
        TOMBSTONE_OVERWHELMING,
        /** The answer would not fit one inter-node message; the client should read smaller pages. */
        RESPONSE_TOO_LARGE,
        /** The replica is saturated (its read executor refused the work). */
        OVERLOADED,
        /** Anything else (commit log failure, a bug); the message says what. */
        ERROR
    }

    public record ReplicaFailure(FailureReason reason, String message) implements Reply {
        public ReplicaFailure {
            Objects.requireNonNull(reason, "reason");
            message = message == null ? reason.name() : message;
        }
    }

    private ReplicaActor() {
    }

    /**
     * @param readExecutor     where reads run (they may block on disk)
     * @param maxResponseBytes reads whose data is larger fail with RESPONSE_TOO_LARGE rather than be
     *                         dropped by the transport (Artery drops frames over its maximum size)
     */
    public static Behavior<Command> create(LocalReplica local, Executor readExecutor, long maxResponseBytes) {
        return Behaviors.receive(Command.class)
                .onMessage(Mutate.class, m -> {
                    mutate(local, m);
                    return Behaviors.same();
                })
                .onMessage(ReadData.class, m -> {
                    read(readExecutor, m.replyTo(), () -> new DataResponse(checkSize(local.read(m.command()), maxResponseBytes)));
                    return Behaviors.same();
                })
                .onMessage(ReadDigest.class, m -> {
                    read(readExecutor, m.replyTo(), () -> new DigestResponse(local.read(m.command()).digest()));
                    return Behaviors.same();
                })
                .onMessage(RangeRead.class, m -> {
                    read(readExecutor, m.replyTo(), () -> new DataResponse(checkSize(local.scan(m.command()), maxResponseBytes)));
                    return Behaviors.same();
                })
                .onMessage(RepairRead.class, m -> {
                    read(readExecutor, m.replyTo(), () -> new DataResponse(checkSize(local.scanUnbounded(m.command()), maxResponseBytes)));
                    return Behaviors.same();
                })
                .onMessage(BuildMerkleTree.class, m -> {
                    read(readExecutor, m.replyTo(), () -> new MerkleTreeResponse(
                            local.merkleTree(m.tableId(), m.range(), m.depth(), m.nowInSec())));
                    return Behaviors.same();
                })
                .onMessage(ApplyBatch.class, m -> {
                    try {
                        local.applyAll(m.mutations()).whenComplete((v, e) ->
                                m.replyTo().tell(e == null ? MutateAck.INSTANCE : failure(e)));
                    } catch (RuntimeException e) {
                        m.replyTo().tell(failure(e));
                    }
                    return Behaviors.same();
                })
                .onMessage(Truncate.class, m -> {
                    // Off the actor's thread: truncation waits for in-flight memtable writes.
                    read(readExecutor, m.replyTo(), () -> {
                        local.truncate(m.tableId());
                        return TruncateAck.INSTANCE;
                    });
                    return Behaviors.same();
                })
                .onMessage(PaxosPrepare.class, m -> {
                    paxos(readExecutor, m.replyTo(), () -> local.paxos().prepare(m.table(), m.key(), m.ballot())
                            .thenApply(PaxosPromise::new));
                    return Behaviors.same();
                })
                .onMessage(PaxosPropose.class, m -> {
                    paxos(readExecutor, m.replyTo(), () -> local.paxos().propose(m.proposal())
                            .thenApply(ok -> ok ? PaxosAccepted.YES : PaxosAccepted.NO));
                    return Behaviors.same();
                })
                .onMessage(PaxosCommit.class, m -> {
                    paxos(readExecutor, m.replyTo(), () -> local.paxos().commit(m.proposal())
                            .thenApply(v -> MutateAck.INSTANCE));
                    return Behaviors.same();
                })
                .onMessage(StoreBatch.class, m -> {
                    reply(m.replyTo(), () -> local.batchlog().store(m.batch()));
                    return Behaviors.same();
                })
                .onMessage(RemoveBatch.class, m -> {
                    reply(m.replyTo(), () -> local.batchlog().remove(m.id()));
                    return Behaviors.same();
                })
                .onMessage(StoreHint.class, m -> {
                    storeHint(local, m);
                    return Behaviors.same();
                })
                .onMessage(Undecodable.class, m -> {
                    m.replyTo().tell(new ReplicaFailure(FailureReason.UNKNOWN_TABLE, m.reason()));
                    return Behaviors.same();
                })
                .build();
    }

    private static void mutate(LocalReplica local, Mutate m) {
        try {
            local.apply(m.mutation()).whenComplete((v, e) ->
                    m.replyTo().tell(e == null ? MutateAck.INSTANCE : failure(e)));
        } catch (RuntimeException e) {
            m.replyTo().tell(failure(e));
        }
    }

    private static void storeHint(LocalReplica local, StoreHint m) {
        io.sibyl.actors.hints.HintSink sink = local.hints();
        if (sink == null) {
            m.replyTo().tell(new ReplicaFailure(FailureReason.ERROR, "this node takes no hints yet (its cluster layer is starting)"));
            return;
        }
        try {
            sink.store(m.target(), m.mutation()).whenComplete((stored, e) -> {
                if (e != null) {
                    m.replyTo().tell(failure(e));
                } else if (!stored) {
                    // hinted handoff off here, or the target is past max_hint_window: the sender must not drop it
                    m.replyTo().tell(new ReplicaFailure(FailureReason.ERROR, "hint for " + m.target()
                            + " not stored (hinted handoff disabled, or the target is down longer than max_hint_window)"));
                } else {
                    m.replyTo().tell(MutateAck.INSTANCE);
                }
            });
        } catch (RuntimeException e) {
            m.replyTo().tell(failure(e));
        }
    }

    /** A local write (memtable insert on this thread) answered with MutateAck once durable. */
    private static void reply(ActorRef<Reply> replyTo, Supplier<java.util.concurrent.CompletionStage<Void>> write) {
        try {
            write.get().whenComplete((v, e) -> replyTo.tell(e == null ? MutateAck.INSTANCE : failure(e)));
        } catch (RuntimeException e) {
            replyTo.tell(failure(e));
        }
    }

    private static void read(Executor executor, ActorRef<Reply> replyTo, Supplier<Reply> read) {
        try {
            executor.execute(() -> {
                Reply reply;
                try {
                    reply = read.get();
                } catch (RuntimeException e) {
                    reply = failure(e);
                }
                replyTo.tell(reply);
            });
        } catch (RejectedExecutionException e) {
            replyTo.tell(new ReplicaFailure(FailureReason.OVERLOADED, "replica read executor is saturated"));
        }
    }

    /**
     * Paxos operations read the partition's state (maybe from disk) under a lock stripe: they run on
     * the read executor, and answer once their write is durable.
     */
    private static void paxos(Executor executor, ActorRef<Reply> replyTo,
                              Supplier<java.util.concurrent.CompletionStage<? extends Reply>> op) {
        try {
            executor.execute(() -> {
                try {
                    op.get().whenComplete((r, e) -> replyTo.tell(e == null ? r : failure(e)));
                } catch (RuntimeException e) {
                    replyTo.tell(failure(e));
                }
            });
        } catch (RejectedExecutionException e) {
            replyTo.tell(new ReplicaFailure(FailureReason.OVERLOADED, "replica read executor is saturated"));
        }
    }

    private static ReadResult checkSize(ReadResult r, long maxBytes) {
        long size = 0;
        for (PartitionUpdate p : r.partitions()) {
            size += p.dataSize();
        }
        if (size > maxBytes) {
            throw new ResponseTooLargeException("read result of about " + size + " bytes exceeds the "
                    + maxBytes + "-byte inter-node message limit; use a smaller page size or LIMIT");
        }
        return r;
    }

    /** The reply for a local failure. */
    public static ReplicaFailure failure(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof UnknownTableException) {
            return new ReplicaFailure(FailureReason.UNKNOWN_TABLE, c.getMessage());
        }
        if (c instanceof TombstoneOverwhelmingException) {
            return new ReplicaFailure(FailureReason.TOMBSTONE_OVERWHELMING, c.getMessage());
        }
        if (c instanceof ResponseTooLargeException) {
            return new ReplicaFailure(FailureReason.RESPONSE_TOO_LARGE, c.getMessage());
        }
        return new ReplicaFailure(FailureReason.ERROR, String.valueOf(c));
    }

    private static final class ResponseTooLargeException extends RuntimeException {
        ResponseTooLargeException(String message) {
            super(message, null, false, false);
        }
    }
}
