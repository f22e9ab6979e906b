package io.sibyl.actors.schema;

import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.storage.schema.TableMetadata;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A keyspace: its replication options (as given in CQL), durable_writes, and its tables by name. */
public record KeyspaceMetadata(String name, Map<String, String> replication, boolean durableWrites,
                               Map<String, TableMetadata> tables) {

    public KeyspaceMetadata {
        replication = Collections.unmodifiableMap(new TreeMap<>(replication));
        tables = Collections.unmodifiableMap(new TreeMap<>(tables));
    }

    public ReplicationStrategy strategy() {
        return ReplicationStrategy.fromOptions(replication);
    }

    public TableMetadata table(String table) {
        return tables.get(table);
    }

    public KeyspaceMetadata withTable(TableMetadata t) {
        Map<String, TableMetadata> m = new TreeMap<>(tables);
        m.put(t.name(), t);
        return new KeyspaceMetadata(name, replication, durableWrites, m);
    }

    public KeyspaceMetadata withoutTable(String table) {
        Map<String, TableMetadata> m = new TreeMap<>(tables);
        m.remove(table);
        return new KeyspaceMetadata(name, replication, durableWrites, m);
    }

    public KeyspaceMetadata withReplication(Map<String, String> newReplication, boolean newDurableWrites) {
        return new KeyspaceMetadata(name, newReplication, newDurableWrites, tables);
    }
}
