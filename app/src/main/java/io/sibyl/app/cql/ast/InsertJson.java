package io.sibyl.app.cql.ast;

import java.util.Objects;

/** {@code INSERT INTO t JSON '{...}' [IF NOT EXISTS] [USING ...]}; the JSON is a string literal or a marker. */
public record InsertJson(QualifiedName table, Term json, boolean ifNotExists, Using using) implements Modification {

    public InsertJson {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(using, "using");
    }

    @Override
    public String toCql() {
        return "INSERT INTO " + table.toCql() + " JSON " + json.toCql()
                + (ifNotExists ? " IF NOT EXISTS" : "") + using.toCql();
    }
}
