package io.sibyl.actors.schema;

import io.sibyl.storage.schema.TableMetadata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The whole schema of the cluster: keyspaces and their tables. Immutable; every change makes a new
 * instance. {@link #version()} is a digest of the content, so two nodes agree exactly when their
 * versions are equal (Cassandra's schema version works the same way).
 */
public final class Schema {
    public static final Schema EMPTY = new Schema(Map.of());

    private final Map<String, KeyspaceMetadata> keyspaces;
    private volatile UUID version;

    public Schema(Map<String, KeyspaceMetadata> keyspaces) {
        this.keyspaces = Collections.unmodifiableMap(new TreeMap<>(keyspaces));
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
        for (KeyspaceMetadata ks : keyspaces.values()) {
            for (TableMetadata t : ks.tables().values()) {
                if (t.id().equals(id)) return t;
            }
        }
        return null;
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
        return "Schema" + keyspaces.keySet() + "@" + new String(version().toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
