package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.StatementExecutor;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.concurrent.CompletionStage;

/** PLACEHOLDER until the executor lands: every batch is refused. */
public final class BatchExecutor implements StatementExecutor<Batch> {
    public BatchExecutor(CqlContext context, ModificationExecutor modifications) {}

    @Override
    public CompletionStage<QueryResult> execute(Batch statement, QueryRequest request) {
        throw new InvalidRequestException("not implemented yet");
    }
}
