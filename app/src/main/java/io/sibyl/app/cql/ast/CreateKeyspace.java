package io.sibyl.app.cql.ast;

import java.util.Map;
import java.util.Objects;

/**
 * {@code CREATE KEYSPACE [IF NOT EXISTS] ks WITH replication = {...} AND durable_writes = b}.
 * Options map lower-cased names to a {@link Literal} or a {@link Term.MapLiteral} of literals.
 */
public record CreateKeyspace(String keyspace, boolean ifNotExists, Map<String, Term> options) implements Statement {

    public CreateKeyspace {
        Objects.requireNonNull(keyspace, "keyspace");
        options = Options.copy(options);
    }

    @Override
    public String toCql() {
        return "CREATE KEYSPACE " + (ifNotExists ? "IF NOT EXISTS " : "") + CqlIdentifiers.quoteIfNeeded(keyspace)
                + " WITH " + Options.toCql(options);
    }
}
