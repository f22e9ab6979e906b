package io.sibyl.actors.paxos;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.FilteredPartition;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.MutationSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * This node as a Paxos acceptor: prepare, propose and commit on the state kept in
 * {@link PaxosTable system.paxos} (Cassandra's {@code PaxosState} + {@code SystemKeyspace} paxos
 * methods). Thread-safe.
 *
 * <p>Each operation loads the partition's state, computes the transition ({@link PaxosState}) and
 * writes what changed through the storage engine — memtable and commit log — all under one lock
 * stripe of the (table, key), so operations on one partition are serialized and different
 * partitions proceed in parallel. The answer is given only once the write is durable (per
 * {@code commitlog_sync}); the lock is released before that wait: a later operation on the same
 * partition already sees the new state in the memtable, and its own write is appended to the commit
 * log after this one, so whatever it answers becomes durable no earlier than what it read.
 */
public final class PaxosReplica {

    private final StorageEngine engine;
    private final ReentrantLock[] stripes;

    public PaxosReplica(StorageEngine engine) {
        this(engine, 1024);
    }

    public PaxosReplica(StorageEngine engine, int stripes) {
        this.engine = engine;
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
        engine.createTable(PaxosTable.METADATA);
    }

    /** Promises {@code ballot} if it is later than every promise so far; see {@link PaxosState#prepare}. */
    public CompletionStage<PrepareResponse> prepare(TableMetadata table, DecoratedKey key, Ballot ballot) {
        return locked(table, key, state -> {
            PaxosState.Prepared p = state.prepare(ballot);
            if (!p.response().promised()) {
                return CompletableFuture.completedFuture(p.response());
            }
            Row row = row(table, List.of(ballotCell(PaxosTable.PROMISED, ballot, table)));
            return write(key, row).thenApply(v -> p.response());
        });
    }

    /** Accepts the proposal if its ballot is the promised one or later; see {@link PaxosState#propose}. */
    public CompletionStage<Boolean> propose(Proposal proposal) {
        TableMetadata table = proposal.update().metadata();
        return locked(table, proposal.update().key(), state -> {
            PaxosState.Proposed p = state.propose(proposal);
            if (!p.accepted()) {
                return CompletableFuture.completedFuture(false);
            }
            List<Cell> cells = new ArrayList<>(3);
            if (!p.state().promised().equals(state.promised())) {
                cells.add(ballotCell(PaxosTable.PROMISED, proposal.ballot(), table));
            }
            cells.add(ballotCell(PaxosTable.PROPOSAL_BALLOT, proposal.ballot(), table));
            cells.add(updateCell(PaxosTable.PROPOSAL, proposal, table));
            return write(proposal.update().key(), row(table, cells)).thenApply(v -> true);
        });
    }

    /**
     * Applies the committed update to its table as an ordinary write (its timestamps are the ballot's)
     * and records it as the most recent commit; completes when both are durable.
     */
    public CompletionStage<Void> commit(Proposal commit) {
        PartitionUpdate update = commit.update();
        TableMetadata table = update.metadata();
        return locked(table, update.key(), state -> {
            CompletableFuture<Void> applied = update.isEmpty() ? CompletableFuture.completedFuture(null)
                    : engine.write(Mutation.of(update)).toCompletableFuture();
            PaxosState next = state.commit(commit);
            long t = commit.ballot().micros();
            int now = nowInSec();
            List<Cell> cells = new ArrayList<>(4);
            if (state.accepted() != null && next.accepted() == null) {
                cells.add(Cell.tombstone(PaxosTable.PROPOSAL_BALLOT, null, t, now));
                cells.add(Cell.tombstone(PaxosTable.PROPOSAL, null, t, now));
            }
            if (next.mostRecentCommit() == commit) {
                cells.add(ballotCell(PaxosTable.COMMIT_BALLOT, commit.ballot(), table));
                cells.add(updateCell(PaxosTable.COMMIT, commit, table));
            }
            CompletableFuture<Void> recorded = cells.isEmpty() ? CompletableFuture.completedFuture(null)
                    : write(update.key(), row(table, cells));
            return CompletableFuture.allOf(applied, recorded);
        });
    }

    /** A partition of a table whose Paxos state this replica holds. */
    public record PaxosKey(TableMetadata table, DecoratedKey key) {
    }

    /**
     * The partitions whose token {@code tokenIn} accepts and whose state here holds a proposal accepted but
     * not committed (newer than the most recent commit): the in-flight LWT decisions a topology change must
     * finish before reads move (docs/adr: "range streaming and cleanup", Paxos repair). Tables {@code tables}
     * does not know (dropped) are skipped.
     */
    public List<PaxosKey> uncommitted(Function<UUID, TableMetadata> tables, java.util.function.LongPredicate tokenIn) {
        io.sibyl.storage.engine.TableStore paxos = engine.tableOrNull(PaxosTable.ID);
        if (paxos == null) {
            return List.of();
        }
        List<PaxosKey> out = new ArrayList<>();
        ReadResult all = paxos.scanUnbounded(new io.sibyl.storage.read.PartitionRangeReadCommand(PaxosTable.METADATA,
                io.sibyl.storage.read.KeyRange.all(), ClusteringFilter.ALL, nowInSec(), DataLimits.NONE));
        for (FilteredPartition p : all.filtered()) {
            if (!tokenIn.test(p.key().token())) {
                continue;
            }
            for (Row row : p.rows()) {
                if (row.cell(PaxosTable.PROPOSAL_BALLOT) == null) {
                    continue;
                }
                UUID tableId = (UUID) PaxosTable.UUID_TYPE.deserialize(row.clustering().get(0));
                TableMetadata table = tables.apply(tableId);
                if (table == null) {
                    continue;
                }
                PaxosState state = load(table, p.key());
                if (state.accepted() != null && state.accepted().isAfter(state.mostRecentCommit())) {
                    out.add(new PaxosKey(table, p.key()));
                }
            }
        }
        return out;
    }

    /** The durable state of the partition (what a prepare would look at). */
    public PaxosState state(TableMetadata table, DecoratedKey key) {
        return load(table, key);
    }

    private <T> CompletableFuture<T> locked(TableMetadata table, DecoratedKey key,
                                            Function<PaxosState, CompletableFuture<T>> op) {
        ReentrantLock lock = stripes[Math.floorMod(31 * table.id().hashCode() + key.hashCode(), stripes.length)];
        lock.lock();
        try {
            return op.apply(load(table, key));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
    }

    private PaxosState load(TableMetadata table, DecoratedKey key) {
        SinglePartitionReadCommand read = new SinglePartitionReadCommand(PaxosTable.METADATA, key,
                ClusteringFilter.row(clustering(table.id())), nowInSec(), DataLimits.NONE);
        ReadResult r = engine.table(PaxosTable.ID).read(read);
        List<FilteredPartition> partitions = r.filtered();
        if (partitions.isEmpty() || partitions.get(0).rows().isEmpty()) {
            return PaxosState.EMPTY;
        }
        Row row = partitions.get(0).rows().get(0);
        Ballot promised = ballot(row.cell(PaxosTable.PROMISED));
        Proposal accepted = proposal(row.cell(PaxosTable.PROPOSAL_BALLOT), row.cell(PaxosTable.PROPOSAL), table, key);
        Proposal commit = proposal(row.cell(PaxosTable.COMMIT_BALLOT), row.cell(PaxosTable.COMMIT), table, key);
        return new PaxosState(promised, accepted, commit);
    }

    private CompletableFuture<Void> write(DecoratedKey key, Row row) {
        PartitionUpdate u = PartitionUpdate.builder(PaxosTable.METADATA, key).add(row).build();
        return engine.write(Mutation.of(u)).toCompletableFuture();
    }

    private static Row row(TableMetadata table, List<Cell> cells) {
        return Row.of(clustering(table.id()), LivenessInfo.EMPTY, DeletionTime.LIVE, cells, Map.of());
    }

    private static Clustering clustering(UUID tableId) {
        return Clustering.of(PaxosTable.UUID_TYPE.serialize(tableId));
    }

    private static Cell ballotCell(String column, Ballot ballot, TableMetadata table) {
        return Cell.expiring(column, null, PaxosTable.TIMEUUID.serialize(ballot.uuid()), ballot.micros(),
                PaxosTable.ttlSeconds(table), nowInSec());
    }

    private static Cell updateCell(String column, Proposal p, TableMetadata table) {
        DataOutputBuffer out = new DataOutputBuffer(256);
        MutationSerializer.serializeBody(p.update(), out);
        return Cell.expiring(column, null, out.toByteArray(), p.ballot().micros(), PaxosTable.ttlSeconds(table), nowInSec());
    }

    private static Ballot ballot(Cell c) {
        return c == null ? null : new Ballot((UUID) PaxosTable.TIMEUUID.deserialize(c.value()));
    }

    private static Proposal proposal(Cell ballot, Cell update, TableMetadata table, DecoratedKey key) {
        if (ballot == null || update == null) {
            return null;
        }
        return new Proposal(ballot(ballot), MutationSerializer.deserializeBody(new DataInputBuffer(update.value()), table, key));
    }

    private static int nowInSec() {
        return (int) (System.currentTimeMillis() / 1000);
    }
}
