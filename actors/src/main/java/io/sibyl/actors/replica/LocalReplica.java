package io.sibyl.actors.replica;

import io.sibyl.actors.batchlog.BatchlogStore;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.paxos.PaxosReplica;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.repair.MerkleTree;
import io.sibyl.storage.repair.MerkleTreeBuilder;
import io.sibyl.storage.repair.TokenSubrange;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This node as a replica: applies mutations to the local storage engine and serves local reads.
 * Thread-safe; it delegates to the engine's concurrent structures, so no single queue serializes
 * the node's writes or reads.
 */
public final class LocalReplica {
    private final StorageEngine engine;
    private final PaxosReplica paxos;
    private final BatchlogStore batchlog;
    /** Takes the hints other nodes hand over (a decommissioning node's); set by each cluster layer. */
    private volatile HintSink hints;

    public LocalReplica(StorageEngine engine) {
        this.engine = engine;
        this.paxos = new PaxosReplica(engine);
        this.batchlog = new BatchlogStore(engine);
    }

    /** The logged batches this node holds for coordinators (state in {@code system.batches}). */
    public BatchlogStore batchlog() {
        return batchlog;
    }

    /**
     * Where hints handed over by other nodes go (a decommissioning node transfers the hints it holds for
     * down nodes to a remaining one, as Cassandra's HintsService.transferHints): this node's hint store.
     */
    public void acceptHints(HintSink sink) {
        this.hints = sink;
    }

    /** The hint store taking handed-over hints, or null when this node takes none (yet). */
    public HintSink hints() {
        return hints;
    }

    /** This node as a Paxos acceptor for lightweight transactions (state in {@code system.paxos}). */
    public PaxosReplica paxos() {
        return paxos;
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

    /**
     * A range read for repair: every partition, tombstones included, without the tombstone thresholds
     * (a repair that failed on a tombstone-heavy range would leave it unrepaired forever).
     */
    public ReadResult scanUnbounded(PartitionRangeReadCommand command) {
        return engine.table(command.metadata().id()).scanUnbounded(command);
    }

    /** The Merkle tree of this node's data of the table in {@code range}; blocks on disk reads. */
    public MerkleTree merkleTree(UUID tableId, TokenSubrange range, int depth, int nowInSec) {
        return MerkleTreeBuilder.build(engine.table(tableId), range, depth, nowInSec);
    }

    /** TRUNCATE of this node's part of the table; blocks until in-flight writes to the memtable finish. */
    public void truncate(UUID tableId) {
        engine.truncate(tableId);
    }

    /**
     * Applies every mutation (repair streaming, a bulk request's rows) as one commit-log group; completes when
     * all are durable, fails if any fails (an unknown table or a mutation too large fails it up front, with
     * nothing applied).
     */
    public CompletionStage<Void> applyAll(List<Mutation> mutations) {
        try {
            return engine.writeAll(mutations);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
