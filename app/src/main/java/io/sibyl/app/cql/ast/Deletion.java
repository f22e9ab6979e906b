package io.sibyl.app.cql.ast;

import java.util.Objects;

/** One target of {@code DELETE c, c[k] FROM ...}: a whole column, or one element when key is not null. */
public record Deletion(String column, Term key) {

    public Deletion {
        Objects.requireNonNull(column, "column");
    }

    public static Deletion column(String column) {
        return new Deletion(column, null);
    }

    public String toCql() {
        return CqlIdentifiers.quoteIfNeeded(column) + (key == null ? "" : "[" + key.toCql() + "]");
    }
}
