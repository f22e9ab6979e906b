package io.sibyl.storage.engine;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.schema.TableMetadata;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All tables of this node by id. Applies mutations (the commit log will append them first) and hands
 * out {@link TableStore}s for reads.
 */
public final class StorageEngine {

    private final ConcurrentHashMap<UUID, TableStore> tables = new ConcurrentHashMap<>();

    /** Creates the store of a table, or returns the existing one (same id): creation is idempotent. */
    public TableStore createTable(TableMetadata metadata) {
        return tables.computeIfAbsent(metadata.id(), id -> new TableStore(metadata));
    }

    /** Drops a table's store and its data; returns whether it existed. */
    public boolean dropTable(UUID tableId) {
        TableStore removed = tables.remove(tableId);
        if (removed != null) {
            removed.truncate();
        }
        return removed != null;
    }

    /** ALTER TABLE: installs new metadata for an existing table. */
    public void updateTable(TableMetadata metadata) {
        table(metadata.id()).updateMetadata(metadata);
    }

    public TableStore table(UUID tableId) {
        TableStore t = tables.get(tableId);
        if (t == null) {
            throw new UnknownTableException(tableId);
        }
        return t;
    }

    public TableStore tableOrNull(UUID tableId) {
        return tables.get(tableId);
    }

    public Collection<TableStore> tables() {
        return List.copyOf(tables.values());
    }

    /**
     * Applies every update of a mutation. All tables are checked first so that a mutation naming an
     * unknown table is rejected whole rather than half applied.
     */
    public void apply(Mutation mutation) {
        List<PartitionUpdate> updates = mutation.updates();
        TableStore[] stores = new TableStore[updates.size()];
        for (int i = 0; i < stores.length; i++) {
            stores[i] = table(updates.get(i).tableId());
        }
        for (int i = 0; i < stores.length; i++) {
            stores[i].apply(updates.get(i));
        }
    }
}
