package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.StatementExecutor;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.concurrent.CompletionStage;

/** PLACEHOLDER until the executor lands: every statement of this kind is refused. */
public final class SelectExecutor implements StatementExecutor<Select> {
    public SelectExecutor(CqlContext context) {}

    @Override
    public CompletionStage<QueryResult> execute(Select statement, QueryRequest request) {
        throw new InvalidRequestException("not implemented yet");
    }
}
