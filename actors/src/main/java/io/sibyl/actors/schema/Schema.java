package io.sibyl.actors.schema;

import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.actors.ring.ReplicationStrategy;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole schema of the cluster: keyspaces and their tables. Immutable; every change makes a new
 * instance. {@link #version()} is a digest of the content, so two nodes agree exactly when their
 * versions are equal (Cassandra's schema version works the same way).
 */
public final class Schema {
    public static final Schema EMPTY = new Schema(Map.of());

    private final Map<String, KeyspaceMetadata> keyspaces;
    private final Map<UUID, TableMetadata> tablesById = new HashMap<>();
    // Derived once per schema version: requests look strategies up on every read and write.
    private final Map<String, ReplicationStrategy> strategies = new ConcurrentHashMap<>();
    private volatile UUID version;

    public Schema(Map<String, KeyspaceMetadata> keyspaces) {
        this.keyspaces = Collections.unmodifiableMap(new TreeMap<>(keyspaces));
        for (KeyspaceMetadata ks : this.keyspaces.values()) {
            for (TableMetadata t : ks.tables().values()) {
                tablesById.put(t.id(), t);
            }
        }
    }

    public Map<String, KeyspaceMetadata> keyspaces() {
        return keyspaces;
    }

    public KeyspaceMetadata keyspace(String name) {
        return keyspaces.get(name);
    }

    public TableMetadata table(String keyspace, String table) {
        KeyspaceMetadata ks = keyspaces.get(keyspace);
        return ks == null ? null : ks.table(table);
    }

    public TableMetadata tableById(UUID id) {
        return tablesById.get(id);
    }

    /** The keyspace's replication strategy, or null when the keyspace does not exist. */
    public ReplicationStrategy strategy(String keyspace) {
        KeyspaceMetadata ks = keyspaces.get(keyspace);
        return ks == null ? null : strategies.computeIfAbsent(keyspace, k -> ks.strategy());
    }

    public Schema with(KeyspaceMetadata ks) {
        Map<String, KeyspaceMetadata> m = new TreeMap<>(keyspaces);
        m.put(ks.name(), ks);
        return new Schema(m);
    }

    public Schema without(String keyspace) {
        Map<String, KeyspaceMetadata> m = new TreeMap<>(keyspaces);
        m.remove(keyspace);
        return new Schema(m);
    }

    /** A name-based UUID of the canonical JSON form. */
    public UUID version() {
        UUID v = version;
        if (v == null) {
            try {
                byte[] json = SchemaCodec.encode(this);
                MessageDigest md = MessageDigest.getInstance("MD5");
                v = UUID.nameUUIDFromBytes(md.digest(json));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            version = v;
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && keyspaces.equals(s.keyspaces);
    }

    @Override
    public int hashCode() {
        return keyspaces.hashCode();
    }

    @Override
    public String toString() {
        return "Schema" + keyspaces.keySet() + "@" + version();
    }
}
