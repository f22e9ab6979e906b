package io.sibyl.app.cql.ast;

import java.util.Objects;

/** {@code USE ks}. */
public record Use(String keyspace) implements Statement {

    public Use {
        Objects.requireNonNull(keyspace, "keyspace");
    }

    @Override
    public String toCql() {
        return "USE " + CqlIdentifiers.quoteIfNeeded(keyspace);
    }
}
