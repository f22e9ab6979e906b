package io.sibyl.actors.batchlog;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.read.FilteredPartition;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.token.Murmur3Partitioner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This node's batchlog: the {@link Batch}es it holds in {@link BatchlogTable system.batches}, stored
 * and removed through the storage engine (memtable and commit log), so an entry that was acked
 * survives kill -9. Thread-safe (the engine is).
 *
 * <p>An entry's cell and its removal's partition tombstone carry the same timestamp, the batch's
 * write time: the tombstone shadows the entry whatever order they arrive in, so a late or repeated
 * store of a batch already removed stays removed.
 */
public final class BatchlogStore {

    private final StorageEngine engine;

    public BatchlogStore(StorageEngine engine) {
        this.engine = engine;
        engine.createTable(BatchlogTable.METADATA);
    }

    /**
     * Fails fast with the engine's MutationTooLargeException when the batch as one entry would not fit
     * one commit-log record (its mutations each may, together they need not).
     */
    public void checkSize(Batch batch) {
        engine.checkMutationSize(entry(batch));
    }

    /** Stores the batch; completes once it is durable per {@code commitlog_sync}. */
    public CompletionStage<Void> store(Batch batch) {
        try {
            return engine.write(entry(batch));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Removes the batch (a partition tombstone at its write time); idempotent. */
    public CompletionStage<Void> remove(UUID id) {
        try {
            DeletionTime deletion = new DeletionTime(timestamp(id), nowInSec());
            return engine.write(Mutation.of(PartitionUpdate.partitionDeletion(BatchlogTable.METADATA, key(id), deletion)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The batches held here that were written before {@code writtenBeforeMillis}, oldest first. */
    public List<Batch> writtenBefore(long writtenBeforeMillis) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : all()) {
            if (b.writtenAtMillis() < writtenBeforeMillis) {
                out.add(b);
            }
        }
        out.sort((a, b) -> Long.compare(a.writtenAtMillis(), b.writtenAtMillis()));
        return out;
    }

    /**
     * Every batch held here. Reads past tombstones without the tombstone thresholds: removed entries
     * are tombstones until compaction purges them, and a threshold would stop replay altogether.
     */
    public List<Batch> all() {
        PartitionRangeReadCommand scan = PartitionRangeReadCommand.all(BatchlogTable.METADATA, nowInSec());
        List<Batch> out = new ArrayList<>();
        for (FilteredPartition p : engine.table(BatchlogTable.ID).scanUnbounded(scan).filtered()) {
            for (Row row : p.rows()) {
                Cell c = row.cell(BatchlogTable.MUTATIONS);
                if (c != null) {
                    out.add(new Batch((UUID) BatchlogTable.TIMEUUID.deserialize(p.key().key()), c.value()));
                }
            }
        }
        return out;
    }

    private static Mutation entry(Batch batch) {
        Row row = Row.of(Clustering.EMPTY, LivenessInfo.EMPTY, DeletionTime.LIVE,
                List.of(Cell.live(BatchlogTable.MUTATIONS, batch.mutations(), timestamp(batch.id()))), Map.of());
        return Mutation.of(PartitionUpdate.builder(BatchlogTable.METADATA, key(batch.id())).add(row).build());
    }

    private static DecoratedKey key(UUID id) {
        byte[] bytes = BatchlogTable.TIMEUUID.serialize(id);
        return new DecoratedKey(Murmur3Partitioner.token(bytes), bytes);
    }

    /** The batch's write time in microseconds: the timestamp of its entry and of its removal. */
    private static long timestamp(UUID id) {
        return io.sibyl.storage.types.TimeUUIDs.unixMillis(id) * 1000;
    }

    private static int nowInSec() {
        return (int) (System.currentTimeMillis() / 1000);
    }
}
