package io.sibyl.app.cql.ast;

import java.util.Objects;

/** {@code DROP KEYSPACE [IF EXISTS] ks}. */
public record DropKeyspace(String keyspace, boolean ifExists) implements Statement {

    public DropKeyspace {
        Objects.requireNonNull(keyspace, "keyspace");
    }

    @Override
    public String toCql() {
        return "DROP KEYSPACE " + (ifExists ? "IF EXISTS " : "") + CqlIdentifiers.quoteIfNeeded(keyspace);
    }
}
