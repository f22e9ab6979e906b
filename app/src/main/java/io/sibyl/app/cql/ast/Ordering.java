package io.sibyl.app.cql.ast;

import java.util.Objects;

/** One element of {@code CLUSTERING ORDER BY (...)} or of a SELECT's {@code ORDER BY}. */
public record Ordering(String column, SortOrder order) {

    public Ordering {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(order, "order");
    }

    public String toCql() {
        return CqlIdentifiers.quoteIfNeeded(column) + " " + order;
    }
}
