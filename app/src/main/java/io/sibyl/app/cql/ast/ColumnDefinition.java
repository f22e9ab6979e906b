package io.sibyl.app.cql.ast;

import java.util.Objects;

/** A column in CREATE TABLE or ALTER TABLE ADD; the type is normalized text such as {@code map<text, frozen<list<int>>>}. */
public record ColumnDefinition(String name, String type, boolean isStatic) {

    public ColumnDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public String toCql() {
        return CqlIdentifiers.quoteIfNeeded(name) + " " + type + (isStatic ? " STATIC" : "");
    }
}
