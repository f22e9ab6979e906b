package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the query layer asks of the database: write mutations and read partitions at a consistency
 * level. The node that receives a client request coordinates it. Failures arrive as the stage's
 * exception: {@code UnavailableException} (nothing written), {@code WriteTimeoutException},
 * {@code ReadTimeoutException}, {@code ReadFailureException}.
 */
public interface Coordinator {

    /**
     * Writes every mutation (each to its own replicas); completes when {@code cl} is met for all. A
     * logged batch — write type BATCH with more than one mutation (partition) — is atomic as in
     * Cassandra: it is stored in the batchlog of other nodes first (a failure there is
     * {@code WriteTimeoutException} of write type BATCH_LOG, nothing applied) and replayed by them if
     * it is not applied in full; UNLOGGED_BATCH skips the batchlog.
     */
    CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType);

    /**
     * Writes each mutation as a write of its own (a bulk load's rows): one outcome per mutation, in order,
     * each failing or succeeding as {@link #write} of that mutation alone would. An implementation may
     * share work between them (one commit-log group for those this node alone stores), so several may
     * complete together or fail with the same exception.
     */
    default List<CompletableFuture<Void>> writeEach(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        List<CompletableFuture<Void>> out = new ArrayList<>(mutations.size());
        for (Mutation m : mutations) {
            CompletableFuture<Void> f;
            try {
                f = write(List.of(m), cl, writeType).toCompletableFuture();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            out.add(f);
        }
        return out;
    }

    /** Reads one partition (slice, limits) reconciled across the replicas {@code cl} requires. */
    CompletionStage<ReadResult> read(SinglePartitionReadCommand command, ConsistencyLevel cl);

    /** Reads a token/key range of partitions, in ring order, for scans and paging. */
    CompletionStage<ReadResult> scan(PartitionRangeReadCommand command, ConsistencyLevel cl);

    /**
     * A lightweight transaction (compare-and-set) on the read's partition, linearizable across
     * coordinators (Cassandra's Paxos v1, {@code StorageProxy.cas}): reads the partition inside a
     * Paxos round at {@code serialCl} (SERIAL: a quorum of all replicas; LOCAL_SERIAL: of the local
     * data center's), lets {@code decide} choose the update from it, and commits the update at
     * {@code commitCl} (ANY allowed). With {@link CasDecision#READ_ONLY} it is a SERIAL read: any
     * in-progress transaction is completed first. Fails with {@code UnavailableException} (nothing done)
     * when too few replicas are alive, {@code WriteTimeoutException} of write type CAS when the Paxos
     * phases time out, stay contended past {@code cas_contention_timeout}, or a proposal was accepted
     * by some replicas but not a quorum (the outcome is then unknown), and of write type SIMPLE when
     * the commit does not reach {@code commitCl} in time.
     */
    CompletionStage<CasResult> cas(SinglePartitionReadCommand read, CasDecision decide, ConsistencyLevel serialCl,
                                   ConsistencyLevel commitCl);

    /**
     * TRUNCATE: discards the table's data on every node of the ring, as Cassandra does. Fails with
     * {@code UnavailableException} (nothing truncated) unless every node is alive, and with
     * {@code WriteTimeoutException} (write type TRUNCATE) when not every node acked in time.
     */
    CompletionStage<Void> truncate(TableMetadata table);
}
