package io.sibyl.actors.batchlog;

import io.sibyl.actors.paxos.PaxosTable;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.TimeUUIDs;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** system.batches on a real engine: round trip, removal, durability across a crash (commit log replay). */
class BatchlogStoreTest {

    static final CqlType BIGINT = CqlTypes.parse("bigint");
    static final TableMetadata KV = new TableMetadata("ks", "kv", UUID.fromString("00000000-0000-0000-0000-00000000ba01"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);
    static final TableMetadata OTHER = new TableMetadata("ks", "other", UUID.fromString("00000000-0000-0000-0000-00000000ba02"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);

    static ActorSystem<Void> system;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "batchlog-store-test");
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    StorageEngine open() throws Exception {
        StorageEngine e = StorageEngine.open(dir, StorageSettings.defaults(),
                PaxosTable.withSystemTables(id -> id.equals(KV.id()) ? KV : id.equals(OTHER.id()) ? OTHER : null),
                Materializer.matFromSystem(system));
        e.createTable(KV);
        e.createTable(OTHER);
        return e;
    }

    static DecoratedKey key(long k) {
        byte[] b = BIGINT.serialize(k);
        return new DecoratedKey(Murmur3Partitioner.token(b), b);
    }

    static Mutation put(TableMetadata t, long k, long v, long ts) {
        return Mutation.of(PartitionUpdate.builder(t, key(k)).add(Row.of(Clustering.EMPTY, LivenessInfo.create(ts, 0, 100),
                DeletionTime.LIVE, List.of(Cell.live("v", BIGINT.serialize(v), ts)), Map.of())).build());
    }

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void batchEncodingRoundTripsAndSkipsDroppedTables() {
        List<Mutation> ms = List.of(put(KV, 1, 10, 1000), put(KV, 2, 20, 1000), put(OTHER, 3, 30, 1000));
        Batch b = Batch.of(ms);
        assertEquals(1, b.id().version());
        assertTrue(Math.abs(b.writtenAtMillis() - System.currentTimeMillis()) < 5000);
        assertEquals(ms, b.decode(id -> id.equals(KV.id()) ? KV : id.equals(OTHER.id()) ? OTHER : null, id -> {
            throw new AssertionError("unexpected unknown table " + id);
        }));
        List<UUID> unknown = new ArrayList<>();
        assertEquals(ms.subList(0, 2), b.decode(id -> id.equals(KV.id()) ? KV : null, unknown::add));
        assertEquals(List.of(OTHER.id()), unknown);
        assertThrows(IllegalArgumentException.class, () -> new Batch(UUID.randomUUID(), new byte[0]));
    }

    @Test
    void storedBatchesSurviveACrashAndRemovalsToo() throws Exception {
        StorageEngine engine = open();
        BatchlogStore store = new BatchlogStore(engine);
        Batch kept = Batch.of(List.of(put(KV, 1, 10, 1000), put(KV, 2, 20, 1000)));
        Batch removed = Batch.of(List.of(put(KV, 3, 30, 1000), put(OTHER, 4, 40, 1000)));
        get(store.store(kept));
        get(store.store(removed));
        assertEquals(2, store.all().size());
        get(store.remove(removed.id()));
        assertEquals(List.of(kept), store.all());
        // A store that arrives after the removal (a retried or late message) stays removed.
        get(store.store(removed));
        assertEquals(List.of(kept), store.all());
        engine.closeWithoutFlush().toCompletableFuture().get(10, TimeUnit.SECONDS); // as after kill -9

        StorageEngine reopened = open();
        BatchlogStore again = new BatchlogStore(reopened);
        assertEquals(List.of(kept), again.all(), "the batchlog is replayed from the commit log");
        reopened.close();
    }

    @Test
    void writtenBeforeSelectsOnlyOldEnoughEntriesOldestFirst() throws Exception {
        StorageEngine engine = open();
        BatchlogStore store = new BatchlogStore(engine);
        long now = System.currentTimeMillis();
        Batch old = new Batch(TimeUUIDs.minFor(now - 60_000), Batch.encode(List.of(put(KV, 1, 1, 1))));
        Batch older = new Batch(TimeUUIDs.minFor(now - 120_000), Batch.encode(List.of(put(KV, 2, 2, 1))));
        Batch young = Batch.of(List.of(put(KV, 3, 3, 1)));
        get(store.store(young));
        get(store.store(old));
        get(store.store(older));
        assertEquals(List.of(older, old), store.writtenBefore(now - 30_000));
        assertEquals(3, store.writtenBefore(now + 1000).size());
        engine.close();
    }
}
