package io.sibyl.app.cql.exec;

import io.sibyl.actors.consistency.WriteType;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.StatementExecutor;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.cql.ast.BatchType;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * BEGIN [UNLOGGED] BATCH: every statement is validated and built before anything is written, writes to
 * the same partition are merged into one mutation, and the whole lot goes to the coordinator at once
 * (write type BATCH or UNLOGGED_BATCH). A LOGGED batch over several partitions is atomic: the
 * coordinator stores it in the batchlog of other nodes before applying it (see
 * {@link io.sibyl.actors.coordinator.Coordinator#write}); UNLOGGED skips that. Conditional batches must
 * stay in one partition of one table (Cassandra's rule) and apply all or nothing under that partition's lock.
 */
public final class BatchExecutor implements StatementExecutor<Batch> {

    private final CqlContext context;
    private final ModificationExecutor modifications;

    public BatchExecutor(CqlContext context, ModificationExecutor modifications) {
        this.context = context;
        this.modifications = modifications;
    }

    @Override
    public CompletionStage<QueryResult> execute(Batch batch, QueryRequest request) {
        try {
            if (batch.type() == BatchType.COUNTER) {
                throw new InvalidRequestException("Counter batches are not supported: Sibyl has no counter columns");
            }
            TermBinder binder = new TermBinder(BoundValues.of(batch, request.values()), context.clock());
            Long batchTimestamp = batch.timestamp() == null ? null : binder.bindLong(batch.timestamp(), "timestamp");
            if (batchTimestamp == null) {
                batchTimestamp = request.timestamp();
            }
            boolean conditional = batch.statements().stream().anyMatch(ModificationBuilder::isConditional);
            if (conditional && batch.timestamp() != null) {
                throw new InvalidRequestException("Cannot provide custom timestamp for conditional BATCH");
            }
            if (conditional && batchTimestamp == null) {
                // One timestamp for the whole conditional batch, as Paxos would give it.
                batchTimestamp = context.clock().nextMicros();
            }
            MutationCollector out = new MutationCollector();
            List<CasCheck> checks = new ArrayList<>();
            TableMetadata conditionalTable = null;
            for (Modification m : batch.statements()) {
                TableMetadata table = Tables.resolve(context.schema().current(), m.table(), request.keyspace());
                if (conditional) {
                    if (conditionalTable != null && !conditionalTable.id().equals(table.id())) {
                        throw new InvalidRequestException("Batch with conditions cannot span multiple tables");
                    }
                    conditionalTable = table;
                }
                // A batch-level timestamp is the default; a statement's own USING TIMESTAMP would conflict.
                Long statementDefault = batch.timestamp() != null ? batchTimestamp : null;
                Long requestDefault = batch.timestamp() != null ? null : batchTimestamp;
                CasCheck check = modifications.builder().add(m, table, binder, statementDefault, requestDefault, out);
                if (check != null) {
                    checks.add(check);
                }
            }
            if (conditional) {
                if (out.partitionCount() > 1) {
                    throw new InvalidRequestException("Batch with conditions cannot span multiple partitions");
                }
                return modifications.conditional(checks, out, request, WriteType.CAS, true);
            }
            WriteType type = batch.type() == BatchType.UNLOGGED ? WriteType.UNLOGGED_BATCH : WriteType.BATCH;
            var cl = ModificationExecutor.consistency(request);
            return modifications.readBeforeWrite(out, cl)
                    .thenCompose(x -> modifications.write(out.mutations(), cl, type))
                    .thenApply(v -> QueryResult.empty());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
