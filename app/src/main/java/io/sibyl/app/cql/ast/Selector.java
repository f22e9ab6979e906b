package io.sibyl.app.cql.ast;

import java.util.Objects;

/** One selected expression with its optional {@code AS alias} (null when absent). */
public record Selector(Selectable selectable, String alias) {

    public Selector {
        Objects.requireNonNull(selectable, "selectable");
    }

    public static Selector of(Selectable selectable) {
        return new Selector(selectable, null);
    }

    public String toCql() {
        return selectable.toCql() + (alias == null ? "" : " AS " + CqlIdentifiers.quoteIfNeeded(alias));
    }
}
