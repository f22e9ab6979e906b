package io.sibyl.app.cql.exec;

import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gathers the writes of a statement or a batch, merged per partition: one {@link Mutation} per
 * (keyspace, partition key), holding one update per table. Nothing is sent until {@link #mutations}.
 */
final class MutationCollector {

    private record PartitionId(String keyspace, DecoratedKey key) {}

    /**
     * A write that needs the row's current content first (list element by index, list removal by value):
     * {@code write} turns the current row (null when absent) into the row to write.
     */
    record ReadBeforeWrite(TableMetadata table, DecoratedKey key, Clustering clustering,
                           java.util.function.Function<Row, Row> write) {}

    /**
     * The first partition's update, kept without maps: most writes (a row, a REST or bulk line) touch one
     * partition of one table, and the two maps per row were most of what a bulk line allocated here.
     */
    private PartitionId firstId;
    private UUID firstTable;
    private PartitionUpdate.Builder first;
    /** Every (partition, table) once a second one is written; null until then. */
    private Map<PartitionId, Map<UUID, PartitionUpdate.Builder>> partitions;
    private final List<ReadBeforeWrite> readsBeforeWrite = new ArrayList<>(0);

    PartitionUpdate.Builder partition(TableMetadata table, DecoratedKey key) {
        PartitionId id = new PartitionId(table.keyspace(), key);
        if (partitions == null) {
            if (first == null) {
                firstId = id;
                firstTable = table.id();
                first = PartitionUpdate.builder(table, key);
                return first;
            }
            if (firstId.equals(id) && firstTable.equals(table.id())) {
                return first;
            }
            partitions = new LinkedHashMap<>();
            partitions.computeIfAbsent(firstId, k -> new LinkedHashMap<>()).put(firstTable, first);
        }
        return partitions.computeIfAbsent(id, k -> new LinkedHashMap<>())
                .computeIfAbsent(table.id(), t -> PartitionUpdate.builder(table, key));
    }

    void add(TableMetadata table, DecoratedKey key, Row row) {
        partition(table, key).add(row);
    }

    void readBeforeWrite(TableMetadata table, DecoratedKey key, Clustering clustering,
                         java.util.function.Function<Row, Row> write) {
        partition(table, key); // the partition is written, whatever the read finds
        readsBeforeWrite.add(new ReadBeforeWrite(table, key, clustering, write));
    }

    /** The pending read-before-writes, removed from the collector. */
    List<ReadBeforeWrite> takeReadsBeforeWrite() {
        List<ReadBeforeWrite> out = List.copyOf(readsBeforeWrite);
        readsBeforeWrite.clear();
        return out;
    }

    boolean isEmpty() {
        return first == null;
    }

    /** How many distinct partitions (of any table) are written. */
    int partitionCount() {
        return partitions != null ? partitions.size() : first == null ? 0 : 1;
    }

    List<Mutation> mutations() {
        if (partitions == null) {
            return first == null ? List.of() : List.of(new Mutation(firstId.keyspace(), firstId.key(), List.of(first.build())));
        }
        List<Mutation> out = new ArrayList<>(partitions.size());
        for (Map.Entry<PartitionId, Map<UUID, PartitionUpdate.Builder>> e : partitions.entrySet()) {
            List<PartitionUpdate> updates = new ArrayList<>(e.getValue().size());
            for (PartitionUpdate.Builder b : e.getValue().values()) {
                updates.add(b.build());
            }
            out.add(new Mutation(e.getKey().keyspace(), e.getKey().key(), updates));
        }
        return out;
    }
}
