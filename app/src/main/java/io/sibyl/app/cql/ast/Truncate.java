package io.sibyl.app.cql.ast;

import java.util.Objects;

/** {@code TRUNCATE [TABLE] t}. */
public record Truncate(QualifiedName table) implements Statement {

    public Truncate {
        Objects.requireNonNull(table, "table");
    }

    @Override
    public String toCql() {
        return "TRUNCATE TABLE " + table.toCql();
    }
}
