package io.sibyl.app.cql.views;

import io.sibyl.app.cql.QueryResult.ResultColumn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A read-only table of {@code system_views} whose rows are computed when read (Cassandra 5's virtual tables).
 *
 * @param name    the table's name in {@code system_views}
 * @param columns its columns, the first being the key
 * @param rows    the rows now, by column name (values as a SELECT result holds them)
 */
public record VirtualTable(String name, List<ResultColumn> columns, Supplier<CompletionStage<List<Map<String, Object>>>> rows) {
    public VirtualTable {
        columns = List.copyOf(columns);
    }
}
