package io.sibyl.app.cql.exec;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.StatementExecutor;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * INSERT, UPDATE and DELETE: validated and turned into mutations (one per partition) by
 * {@link ModificationBuilder}, then written through the coordinator at the request's consistency.
 *
 * <p>Conditional statements (IF NOT EXISTS, IF EXISTS, IF c = v) are lightweight transactions: the
 * coordinator's Paxos round reads the row, the checks decide, and the write commits only if they hold,
 * linearizably across coordinators (as Cassandra).
 */
public final class ModificationExecutor implements StatementExecutor<Modification> {

    private final CqlContext context;
    private final ModificationBuilder builder;

    public ModificationExecutor(CqlContext context) {
        this.context = context;
        this.builder = new ModificationBuilder(context.clock(), context.maxValueBytes());
    }

    ModificationBuilder builder() {
        return builder;
    }

    CqlContext context() {
        return context;
    }

    @Override
    public CompletionStage<QueryResult> execute(Modification statement, QueryRequest request) {
        try {
            TableMetadata table = Tables.resolve(context.schema().current(), statement.table(), request.keyspace());
            TermBinder binder = new TermBinder(BoundValues.of(statement, request.values()), context.clock());
            MutationCollector out = new MutationCollector();
            CasCheck check = builder.add(statement, table, binder, null, request.timestamp(), out);
            if (check != null) {
                return conditional(List.of(check), out, request, WriteType.CAS, false);
            }
            ConsistencyLevel cl = consistency(request);
            return readBeforeWrite(out, cl).thenCompose(x -> write(out.mutations(), cl, WriteType.SIMPLE))
                    .thenApply(v -> QueryResult.empty());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static ConsistencyLevel consistency(QueryRequest request) {
        return checkWriteConsistency(request.consistency() == null ? ConsistencyLevel.ONE : request.consistency());
    }

    static ConsistencyLevel checkWriteConsistency(ConsistencyLevel cl) {
        if (cl.isSerial()) {
            throw new InvalidRequestException("You must use conditional updates for serializable writes (consistency "
                    + cl + ")");
        }
        return cl;
    }

    CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType type) {
        if (mutations.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return context.coordinator().write(mutations, cl, type);
    }

    /**
     * Resolves the writes that need the current row (list index and list removal): reads each row, then
     * adds what the write makes of it. Runs before anything is written, so its errors write nothing.
     */
    CompletionStage<Void> readBeforeWrite(MutationCollector out, ConsistencyLevel writeConsistency) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        ConsistencyLevel cl = writeConsistency == ConsistencyLevel.ANY ? ConsistencyLevel.ONE
                : writeConsistency == ConsistencyLevel.EACH_QUORUM ? ConsistencyLevel.QUORUM : writeConsistency;
        for (MutationCollector.ReadBeforeWrite r : out.takeReadsBeforeWrite()) {
            chain = chain.thenCompose(x -> {
                ClusteringFilter filter = r.clustering().isStatic() ? ClusteringFilter.ALL
                        : ClusteringFilter.row(r.clustering());
                SinglePartitionReadCommand read = new SinglePartitionReadCommand(r.table(), r.key(), filter,
                        context.clock().nowInSeconds(), r.clustering().isStatic() ? DataLimits.rows(1) : DataLimits.NONE);
                return context.coordinator().read(read, cl).thenAccept(result -> {
                    io.sibyl.storage.data.Row current = null;
                    for (PartitionUpdate p : result.partitions()) {
                        if (r.clustering().isStatic()) {
                            current = p.staticRow();
                        } else {
                            for (io.sibyl.storage.data.Row row : p.rows()) {
                                if (row.clustering().equals(r.clustering())) {
                                    current = row;
                                }
                            }
                        }
                    }
                    out.add(r.table(), r.key(), r.write().apply(current));
                }).toCompletableFuture();
            });
        }
        return chain;
    }

    /**
     * A lightweight transaction: through the coordinator's Paxos ({@link io.sibyl.actors.coordinator.Coordinator#cas}),
     * reads the rows the checks name and writes {@code out} only if every check holds, linearizably
     * across coordinators. All checks are on the partition of the first one (callers enforce
     * Cassandra's one-partition rule). Writes that need the current row (list index, list removal) are
     * resolved from the same read, inside the transaction.
     */
    CompletionStage<QueryResult> conditional(List<CasCheck> checks, MutationCollector out, QueryRequest request,
                                             WriteType writeType, boolean withKeys) {
        CasCheck first = checks.get(0);
        TableMetadata table = first.table();
        DecoratedKey key = first.key();
        ConsistencyLevel serialCl = serialConsistency(request);
        ConsistencyLevel commitCl = consistency(request);
        List<MutationCollector.ReadBeforeWrite> readsBeforeWrite = out.takeReadsBeforeWrite();
        List<Mutation> mutations = out.mutations();
        ClusteringFilter filter = filterFor(checks, readsBeforeWrite);
        // A static-only check reads the whole-partition filter (to get the static row) but one row is enough.
        DataLimits limits = filter.selectsFullPartition() ? DataLimits.rows(1) : DataLimits.NONE;
        SinglePartitionReadCommand read = new SinglePartitionReadCommand(table, key, filter,
                context.clock().nowInSeconds(), limits);
        return context.coordinator().cas(read, current -> {
            CasEvaluator evaluator = new CasEvaluator(current);
            for (CasCheck c : checks) {
                if (!evaluator.applies(c)) {
                    return null;
                }
            }
            return update(table, key, mutations, readsBeforeWrite, current);
        }, serialCl, commitCl).thenApply(r -> r.applied()
                ? new QueryResult(List.of(), List.of(), null, true, List.of())
                : new CasEvaluator(r.current()).notApplied(checks, withKeys));
    }

    /** The one partition update of a conditional statement: the collected writes plus the read-before-writes. */
    private static PartitionUpdate update(TableMetadata table, DecoratedKey key, List<Mutation> mutations,
                                          List<MutationCollector.ReadBeforeWrite> readsBeforeWrite, ReadResult current) {
        PartitionUpdate.Builder b = PartitionUpdate.builder(table, key);
        for (Mutation m : mutations) {
            for (PartitionUpdate u : m.updates()) {
                if (!u.key().equals(key) || !u.tableId().equals(table.id())) {
                    throw new InvalidRequestException("Batch with conditions cannot span multiple partitions");
                }
                b.addAll(u);
            }
        }
        for (MutationCollector.ReadBeforeWrite r : readsBeforeWrite) {
            io.sibyl.storage.data.Row row = null;
            for (PartitionUpdate p : current.partitions()) {
                if (r.clustering().isStatic()) {
                    row = p.staticRow();
                } else {
                    for (io.sibyl.storage.data.Row candidate : p.rows()) {
                        if (candidate.clustering().equals(r.clustering())) {
                            row = candidate;
                        }
                    }
                }
            }
            b.add(r.write().apply(row));
        }
        return b.build();
    }

    /** The rows the checks and the read-before-writes look at; the static row comes with any read of the partition. */
    private static ClusteringFilter filterFor(List<CasCheck> checks, List<MutationCollector.ReadBeforeWrite> reads) {
        List<Slice> slices = new ArrayList<>();
        for (CasCheck c : checks) {
            if (!c.clustering().isStatic()) {
                slices.add(Slice.of(c.clustering()));
            }
        }
        for (MutationCollector.ReadBeforeWrite r : reads) {
            if (r.clustering().isStatic()) {
                return ClusteringFilter.ALL;
            }
            slices.add(Slice.of(r.clustering()));
        }
        return slices.isEmpty() ? ClusteringFilter.ALL : ClusteringFilter.slices(slices, false);
    }

    /** SERIAL (the default) or LOCAL_SERIAL: the Paxos participants are all replicas or the local DC's. */
    static ConsistencyLevel serialConsistency(QueryRequest request) {
        ConsistencyLevel cl = request.serialConsistency() == null ? ConsistencyLevel.SERIAL : request.serialConsistency();
        if (!cl.isSerial()) {
            throw new InvalidRequestException("Invalid serial consistency " + cl
                    + "; a conditional update needs SERIAL or LOCAL_SERIAL");
        }
        return cl;
    }

    // ------------------------------------------------------------------ REST rows

    /**
     * Writes one row, values typed by column (e.g. by the REST routes' JSON reader), as an INSERT of exactly
     * those columns (columns not named are left alone). {@code ttl} and {@code timestamp} may be null.
     */
    public CompletionStage<Void> writeColumns(TableMetadata table, Map<ColumnMetadata, Object> values,
                                              ConsistencyLevel consistency, Integer ttl, Long timestamp) {
        try {
            return write(List.of(rowMutation(table, values, consistency, ttl, timestamp)), consistency, WriteType.SIMPLE);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The mutation of one row given as typed values by column (what {@link #writeColumns} writes, and a bulk
     * line); throws for a bad row or consistency level.
     */
    public Mutation rowMutation(TableMetadata table, Map<ColumnMetadata, Object> values, ConsistencyLevel consistency,
                                Integer ttl, Long timestamp) {
        checkWriteConsistency(consistency);
        WriteOptions o = WriteOptions.of(table, ttl, timestamp, context.clock());
        MutationCollector out = new MutationCollector();
        builder.insertRow(table, values, o, out, false, false);
        List<Mutation> mutations = out.mutations();
        if (mutations.size() != 1) {
            throw new IllegalStateException("a row made " + mutations.size() + " mutations");
        }
        return mutations.get(0);
    }

    /** Writes rows' mutations each on its own, in one coordinator call: one outcome per mutation, in order. */
    public List<CompletableFuture<Void>> writeEach(List<Mutation> mutations, ConsistencyLevel consistency) {
        return context.coordinator().writeEach(mutations, consistency, WriteType.SIMPLE);
    }

    /**
     * Deletes a partition (no clustering values), one row (all clustering values) or the rows under a
     * clustering prefix (a range tombstone). Values are typed.
     */
    public CompletionStage<Void> deleteRows(TableMetadata table, List<Object> partitionKey, List<Object> clusteringPrefix,
                                            ConsistencyLevel consistency, Long timestamp) {
        try {
            checkWriteConsistency(consistency);
            WriteOptions o = WriteOptions.of(table, null, timestamp, context.clock());
            DecoratedKey key = Keys.partitionKey(table, partitionKey);
            PartitionUpdate.Builder update = PartitionUpdate.builder(table, key);
            if (clusteringPrefix.isEmpty()) {
                update.deletePartition(o.deletion());
            } else if (clusteringPrefix.size() == table.clusteringColumns().size()) {
                RowUpdate row = new RowUpdate(Keys.clustering(table, clusteringPrefix), context.maxValueBytes());
                row.deleteRow(o);
                update.add(row.build());
            } else {
                update.addRangeTombstone(Slice.prefix(Keys.clusteringValues(table, clusteringPrefix)), o.deletion());
            }
            return write(List.of(Mutation.of(update.build())), consistency, WriteType.SIMPLE);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
