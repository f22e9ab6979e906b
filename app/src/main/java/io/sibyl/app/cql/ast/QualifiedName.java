package io.sibyl.app.cql.ast;

import java.util.Objects;
import java.util.Optional;

/** A table name, optionally prefixed by its keyspace ({@code ks.t}); names are already case-normalized. */
public record QualifiedName(String keyspace, String name) {

    public QualifiedName {
        Objects.requireNonNull(name, "name");
    }

    /** An unqualified name, resolved later against the session's or request's keyspace. */
    public static QualifiedName of(String name) {
        return new QualifiedName(null, name);
    }

    public Optional<String> keyspaceName() {
        return Optional.ofNullable(keyspace);
    }

    public String toCql() {
        String table = CqlIdentifiers.quoteIfNeeded(name);
        return keyspace == null ? table : CqlIdentifiers.quoteIfNeeded(keyspace) + "." + table;
    }
}
