package io.sibyl.app.cql.schema;

import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.StatementExecutor;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.concurrent.CompletionStage;

public final class SchemaStatementExecutor implements StatementExecutor<Statement> {
    public SchemaStatementExecutor(CqlContext context) {}

    @Override
    public CompletionStage<QueryResult> execute(Statement statement, QueryRequest request) {
        throw new InvalidRequestException("not implemented yet");
    }
}
