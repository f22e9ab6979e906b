package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.StatementExecutor;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.concurrent.CompletionStage;

/** PLACEHOLDER until the executor lands: every statement of this kind is refused. */
public final class ModificationExecutor implements StatementExecutor<Modification> {
    public ModificationExecutor(CqlContext context) {}

    @Override
    public CompletionStage<QueryResult> execute(Modification statement, QueryRequest request) {
        throw new InvalidRequestException("not implemented yet");
    }
}
