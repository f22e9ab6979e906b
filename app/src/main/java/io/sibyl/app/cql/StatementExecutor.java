package io.sibyl.app.cql;

import io.sibyl.app.cql.ast.Statement;
import java.util.concurrent.CompletionStage;

/** Executes one kind of parsed statement. Implementations are stateless and thread-safe. */
public interface StatementExecutor<S extends Statement> {
    CompletionStage<QueryResult> execute(S statement, QueryRequest request);
}
