package io.sibyl.app.cql;

import java.util.List;
import java.util.Map;

/**
 * The answer to a CQL request (docs/api.md): column specs, rows as ordered maps of JSON-ready values
 * (see {@code TypeCoercion.toJson}), the paging state of the next page (null when none),
 * {@code applied} for conditional statements only (null otherwise), and warnings.
 */
public record QueryResult(List<ResultColumn> columns, List<Map<String, Object>> rows, String pagingState,
                          Boolean applied, List<String> warnings) {

    public record ResultColumn(String name, String type) {}

    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        warnings = List.copyOf(warnings);
    }

    public static QueryResult empty() {
        return new QueryResult(List.of(), List.of(), null, null, List.of());
    }

    public static QueryResult empty(List<String> warnings) {
        return new QueryResult(List.of(), List.of(), null, null, warnings);
    }
}
