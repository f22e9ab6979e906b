package io.sibyl.actors.schema;

import io.sibyl.storage.schema.TableMetadata;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure half of the distributed schema: the replicated map of {@link SchemaEntry} values turned
 * into a {@link Schema} ({@link #materialize}), and a schema change turned into the entries to
 * write ({@link #diff}). Every node materializes the same map to the same schema, so once the
 * map has converged (Distributed Data guarantees that) the schema versions agree.
 */
public final class SchemaEntries {
    private SchemaEntries() {}

    static final String KEYSPACE_PREFIX = "k:";
    static final String TABLE_PREFIX = "t:";

    public static String keyspaceKey(String keyspace) {
        return KEYSPACE_PREFIX + keyspace;
    }

    public static String tableKey(String keyspace, String table) {
        return TABLE_PREFIX + keyspace + "." + table;
    }

    /** The schema the entries describe: live keyspaces, each with its live tables of the same incarnation. */
    public static Schema materialize(Map<String, SchemaEntry> entries) {
        Map<String, Map<String, TableMetadata>> tables = new HashMap<>();
        for (Map.Entry<String, SchemaEntry> e : entries.entrySet()) {
            if (!e.getKey().startsWith(TABLE_PREFIX) || e.getValue().deleted()) {
                continue;
            }
            String name = e.getKey().substring(TABLE_PREFIX.length());
            int dot = name.indexOf('.');
            String ks = name.substring(0, dot);
            String table = name.substring(dot + 1);
            SchemaEntry k = entries.get(keyspaceKey(ks));
            if (k == null || k.deleted() || k.incarnation() != e.getValue().incarnation()) {
                continue;
            }
            tables.computeIfAbsent(ks, x -> new TreeMap<>())
                    .put(table, SchemaCodec.decodeTableJson(ks, table, e.getValue().json()));
        }
        Map<String, KeyspaceMetadata> keyspaces = new TreeMap<>();
        for (Map.Entry<String, SchemaEntry> e : entries.entrySet()) {
            if (!e.getKey().startsWith(KEYSPACE_PREFIX) || e.getValue().deleted()) {
                continue;
            }
            String ks = e.getKey().substring(KEYSPACE_PREFIX.length());
            keyspaces.put(ks, SchemaCodec.decodeKeyspaceJson(ks, e.getValue().json(), tables.getOrDefault(ks, Map.of())));
        }
        return new Schema(keyspaces);
    }

    /**
     * The entries to write so that the map describes {@code next} where it described {@code current}.
     *
     * @param entries the map as this node knows it ({@code current} is its materialization)
     */
    public static Map<String, SchemaEntry> diff(Map<String, SchemaEntry> entries, Schema current, Schema next) {
        Map<String, SchemaEntry> puts = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>(current.keyspaces().keySet());
        names.addAll(next.keyspaces().keySet());
        for (String ks : names) {
            KeyspaceMetadata before = current.keyspace(ks);
            KeyspaceMetadata after = next.keyspace(ks);
            SchemaEntry existing = entries.get(keyspaceKey(ks));
            if (after == null) {
                long inc = existing == null ? 1 : existing.incarnation();
                puts.put(keyspaceKey(ks), new SchemaEntry(SchemaCodec.encodeKeyspaceJson(before), inc, true));
                for (TableMetadata t : before.tables().values()) {
                    puts.put(tableKey(ks, t.name()), new SchemaEntry(SchemaCodec.encodeTableJson(t), inc, true));
                }
                continue;
            }
            long inc;
            if (before == null) {
                // A new life of the name: one past the last one anyone here has seen.
                inc = existing == null ? 1 : existing.incarnation() + 1;
                puts.put(keyspaceKey(ks), new SchemaEntry(SchemaCodec.encodeKeyspaceJson(after), inc, false));
            } else {
                inc = existing == null ? 1 : existing.incarnation();
                if (existing == null || !before.replication().equals(after.replication())
                        || before.durableWrites() != after.durableWrites()) {
                    puts.put(keyspaceKey(ks), new SchemaEntry(SchemaCodec.encodeKeyspaceJson(after), inc, false));
                }
            }
            Map<String, TableMetadata> old = before == null ? Map.of() : before.tables();
            for (TableMetadata t : after.tables().values()) {
                TableMetadata was = old.get(t.name());
                if (was == null || !was.equals(t) || before == null) {
                    puts.put(tableKey(ks, t.name()), new SchemaEntry(SchemaCodec.encodeTableJson(t), inc, false));
                }
            }
            for (TableMetadata t : old.values()) {
                if (after.table(t.name()) == null) {
                    puts.put(tableKey(ks, t.name()), new SchemaEntry(SchemaCodec.encodeTableJson(t), inc, true));
                }
            }
        }
        return puts;
    }

    /** The entries describing {@code schema} from scratch (seeding the map from a node's local copy). */
    public static Map<String, SchemaEntry> of(Schema schema) {
        return diff(Map.of(), Schema.EMPTY, schema);
    }
}
