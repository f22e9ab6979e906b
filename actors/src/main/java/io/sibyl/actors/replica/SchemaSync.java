package io.sibyl.actors.replica;

import io.sibyl.actors.paxos.PaxosTable;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the storage engine's table stores in step with the schema: create, alter, drop. */
public final class SchemaSync {
    private static final Logger log = LoggerFactory.getLogger(SchemaSync.class);

    private SchemaSync() {}

    public static synchronized void apply(StorageEngine engine, Schema schema) {
        Set<UUID> wanted = new HashSet<>();
        for (KeyspaceMetadata ks : schema.keyspaces().values()) {
            for (TableMetadata t : ks.tables().values()) {
                wanted.add(t.id());
                TableStore store = engine.tableOrNull(t.id());
                if (store == null) {
                    engine.createTable(t);
                    log.info("table {}.{} ({}) created", t.keyspace(), t.name(), t.id());
                } else if (!store.metadata().equals(t)) {
                    engine.updateTable(t);
                    log.info("table {}.{} altered", t.keyspace(), t.name());
                }
            }
        }
        List<UUID> drop = new ArrayList<>();
        for (TableStore s : engine.tables()) {
            // system.paxos is in no schema: it belongs to the node, not to the cluster's schema.
            if (!wanted.contains(s.metadata().id()) && !PaxosTable.isSystemTable(s.metadata().id())) {
                drop.add(s.metadata().id());
            }
        }
        for (UUID id : drop) {
            engine.dropTable(id);
            log.info("table {} dropped", id);
        }
    }
}
