package io.sibyl.app.cql.auth;

import java.util.Objects;

/**
 * A resource permissions are granted on: all keyspaces, one keyspace, or one table. Named as in
 * Cassandra's {@code system_auth.role_permissions}: {@code data}, {@code data/ks}, {@code data/ks/t}.
 * A permission on a resource applies to everything under it.
 */
public record DataResource(String keyspace, String table) {

    public static final DataResource ROOT = new DataResource(null, null);

    public DataResource {
        if (keyspace == null && table != null) throw new IllegalArgumentException("a table needs its keyspace");
    }

    public static DataResource keyspace(String keyspace) {
        return new DataResource(Objects.requireNonNull(keyspace), null);
    }

    public static DataResource table(String keyspace, String table) {
        return new DataResource(Objects.requireNonNull(keyspace), Objects.requireNonNull(table));
    }

    public boolean isRoot() {
        return keyspace == null;
    }

    public boolean isTable() {
        return table != null;
    }

    /** The resource one level up; null for the root. */
    public DataResource parent() {
        if (table != null) return keyspace(keyspace);
        if (keyspace != null) return ROOT;
        return null;
    }

    public String name() {
        if (keyspace == null) return "data";
        if (table == null) return "data/" + keyspace;
        return "data/" + keyspace + "/" + table;
    }

    /** The resource {@link #name()} names; null if the text is not such a name. */
    public static DataResource fromName(String name) {
        String[] parts = name.split("/", -1);
        if (!parts[0].equals("data") || parts.length > 3) return null;
        for (String p : parts) if (p.isEmpty()) return null;
        return switch (parts.length) {
            case 1 -> ROOT;
            case 2 -> keyspace(parts[1]);
            default -> table(parts[1], parts[2]);
        };
    }

    /** As CQL writes it: {@code ALL KEYSPACES}, {@code KEYSPACE ks}, {@code TABLE ks.t}. */
    public String toCql() {
        if (keyspace == null) return "ALL KEYSPACES";
        if (table == null) return "KEYSPACE " + keyspace;
        return "TABLE " + keyspace + "." + table;
    }

    @Override
    public String toString() {
        return toCql();
    }
}
