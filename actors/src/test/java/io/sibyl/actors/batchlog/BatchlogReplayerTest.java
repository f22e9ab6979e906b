package io.sibyl.actors.batchlog;

import io.sibyl.actors.paxos.PaxosTable;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import io.sibyl.storage.types.TimeUUIDs;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.sibyl.actors.batchlog.BatchlogStoreTest.KV;
import static io.sibyl.actors.batchlog.BatchlogStoreTest.get;
import static io.sibyl.actors.batchlog.BatchlogStoreTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replay rounds against a real batchlog store and a recording write path. */
class BatchlogReplayerTest {

    static ActorSystem<Void> system;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "batchlog-replayer-test");
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    @Test
    void replaysOnlyEntriesOlderThanTheTimeoutRemovesThemAndRetriesFailures() throws Exception {
        StorageEngine engine = StorageEngine.open(dir, StorageSettings.defaults(),
                PaxosTable.withSystemTables(id -> id.equals(KV.id()) ? KV : null), Materializer.matFromSystem(system));
        engine.createTable(KV);
        BatchlogStore store = new BatchlogStore(engine);
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        List<List<Mutation>> written = new CopyOnWriteArrayList<>();
        AtomicBoolean failWrites = new AtomicBoolean(true);
        BatchlogReplayer replayer = new BatchlogReplayer(store, id -> id.equals(KV.id()) ? KV : null, ms -> {
            written.add(ms);
            return failWrites.get() ? CompletableFuture.failedFuture(new IllegalStateException("replicas away"))
                    : CompletableFuture.completedFuture(null);
        }, new BatchlogSettings(Duration.ofSeconds(10), Duration.ofSeconds(4)), now::get);

        List<Mutation> left = List.of(put(KV, 1, 10, 1111), put(KV, 2, 20, 1111));
        Batch batch = new Batch(TimeUUIDs.minFor(now.get() - 1000), Batch.encode(left));
        get(store.store(batch));
        assertEquals(0, get(replayer.replayDue()), "younger than the timeout: its coordinator may still apply it");
        assertTrue(written.isEmpty());

        now.addAndGet(5000);
        assertEquals(0, get(replayer.replayDue()), "the write failed");
        assertEquals(List.of(left), written);
        assertEquals(List.of(batch), store.all(), "a failed replay keeps the entry for the next round");

        failWrites.set(false);
        assertEquals(1, get(replayer.replayDue()));
        assertEquals(List.of(left, left), written, "the same mutations, timestamps included");
        assertTrue(store.all().isEmpty(), "replayed entries are removed");
        assertEquals(0, get(replayer.replayDue()));
        assertEquals(1, replayer.replayedCount());
        engine.close();
    }

    @Test
    void theScheduleReplaysWithoutBeingAsked() throws Exception {
        StorageEngine engine = StorageEngine.open(dir, StorageSettings.defaults(),
                PaxosTable.withSystemTables(id -> id.equals(KV.id()) ? KV : null), Materializer.matFromSystem(system));
        engine.createTable(KV);
        BatchlogStore store = new BatchlogStore(engine);
        List<List<Mutation>> written = new CopyOnWriteArrayList<>();
        get(store.store(Batch.of(List.of(put(KV, 5, 50, 1)))));
        try (BatchlogReplayer replayer = new BatchlogReplayer(store, id -> KV, ms -> {
            written.add(ms);
            return CompletableFuture.completedFuture(null);
        }, new BatchlogSettings(Duration.ofMillis(100), Duration.ZERO), System::currentTimeMillis)
                .start(system.scheduler(), system.executionContext())) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!store.all().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(store.all().isEmpty());
            assertEquals(1, written.size());
        }
        engine.close();
    }
}
