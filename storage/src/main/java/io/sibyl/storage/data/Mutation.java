package io.sibyl.storage.data;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The writes to one partition key across tables of one keyspace, applied together (a single-partition
 * batch). The unit the coordinator sends to replicas and the commit log records.
 */
public record Mutation(String keyspace, DecoratedKey key, List<PartitionUpdate> updates) {

    public Mutation {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(key, "key");
        updates = List.copyOf(updates);
        Set<UUID> tables = new HashSet<>();
        for (PartitionUpdate u : updates) {
            if (!u.key().equals(key)) {
                throw new IllegalArgumentException("update for " + u.key() + " in a mutation of " + key);
            }
            if (!u.metadata().keyspace().equals(keyspace)) {
                throw new IllegalArgumentException("update for keyspace " + u.metadata().keyspace()
                        + " in a mutation of keyspace " + keyspace);
            }
            if (!tables.add(u.tableId())) {
                throw new IllegalArgumentException("two updates for table " + u.metadata().name() + "; merge them first");
            }
        }
    }

    public static Mutation of(PartitionUpdate update) {
        return new Mutation(update.metadata().keyspace(), update.key(), List.of(update));
    }

    public long dataSize() {
        long size = 0;
        for (int i = 0, n = updates.size(); i < n; i++) { // indexed: no iterator per write
            size += updates.get(i).dataSize();
        }
        return size;
    }
}
