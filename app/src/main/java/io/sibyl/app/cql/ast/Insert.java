package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code INSERT INTO t (cols) VALUES (terms) [IF NOT EXISTS] [USING ...]}. The parser does not check
 * that columns and values have the same count: that is Cassandra's INVALID "Unmatched column names/values".
 */
public record Insert(QualifiedName table, List<String> columns, List<Term> values, boolean ifNotExists,
                     Using using) implements Modification {

    public Insert {
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        values = List.copyOf(values);
        Objects.requireNonNull(using, "using");
    }

    @Override
    public String toCql() {
        return "INSERT INTO " + table.toCql()
                + " (" + columns.stream().map(CqlIdentifiers::quoteIfNeeded).collect(Collectors.joining(", ")) + ")"
                + " VALUES (" + values.stream().map(Term::toCql).collect(Collectors.joining(", ")) + ")"
                + (ifNotExists ? " IF NOT EXISTS" : "") + using.toCql();
    }
}
