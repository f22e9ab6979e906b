package io.sibyl.app.cql.ast;

import java.util.Map;
import java.util.Objects;

/** {@code ALTER KEYSPACE [IF EXISTS] ks WITH ...}; options as in {@link CreateKeyspace}. */
public record AlterKeyspace(String keyspace, boolean ifExists, Map<String, Term> options) implements Statement {

    public AlterKeyspace {
        Objects.requireNonNull(keyspace, "keyspace");
        options = Options.copy(options);
    }

    @Override
    public String toCql() {
        return "ALTER KEYSPACE " + (ifExists ? "IF EXISTS " : "") + CqlIdentifiers.quoteIfNeeded(keyspace)
                + " WITH " + Options.toCql(options);
    }
}
