package io.sibyl.actors.flush;

import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.replica.LocalReplica;
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
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemtableFlusherTest {

    static final CqlType BIGINT = CqlTypes.parse("bigint");
    static final TableMetadata KV = new TableMetadata("ks", "kv", UUID.fromString("00000000-0000-0000-0000-0000000000aa"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)), TableParams.DEFAULT);

    static ActorTestKit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create(ConfigFactory.parseString("pekko.loglevel = WARNING"));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static Mutation put(long k, long v) {
        byte[] key = BIGINT.serialize(k);
        return Mutation.of(PartitionUpdate.builder(KV, new DecoratedKey(Murmur3Partitioner.token(key), key))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.create(1, 0, 100), DeletionTime.LIVE,
                        List.of(Cell.live("v", BIGINT.serialize(v), 1)), Map.of()))
                .build());
    }

    static long get(LocalReplica replica, long k) {
        byte[] key = BIGINT.serialize(k);
        var r = replica.read(SinglePartitionReadCommand.fullPartition(KV,
                new DecoratedKey(Murmur3Partitioner.token(key), key), 1000));
        return r.filtered().isEmpty() ? -1 : (Long) BIGINT.deserialize(r.filtered().get(0).rows().get(0).cell("v").value());
    }

    StorageEngine open(StorageSettings settings) throws Exception {
        StorageEngine e = StorageEngine.open(dir, settings, id -> id.equals(KV.id()) ? KV : null,
                Materializer.matFromSystem(kit.system()));
        e.createTable(KV);
        return e;
    }

    @Test
    void flushRequestsWriteSSTablesAndReply() throws Exception {
        StorageEngine engine = open(StorageSettings.defaults());
        LocalReplica replica = new LocalReplica(engine);
        for (int k = 0; k < 100; k++) {
            replica.apply(put(k, k * 2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        ActorRef<MemtableFlusher.Command> flusher = kit.spawn(MemtableFlusher.create(engine));
        TestProbe<MemtableFlusher.FlushReply> probe = kit.createTestProbe();
        flusher.tell(new MemtableFlusher.Flush("ks", "kv", probe.ref()));
        probe.expectMessageClass(MemtableFlusher.Flushed.class, Duration.ofSeconds(10));
        assertEquals(1, engine.table(KV.id()).sstables().size());
        assertEquals(0, engine.table(KV.id()).currentMemtable().partitionCount());
        assertEquals(84, get(replica, 42));

        MemtableFlusher.flush(flusher, kit.system().scheduler(), null, null, Duration.ofSeconds(10))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        var unknown = MemtableFlusher.flush(flusher, kit.system().scheduler(), "ks", "nope", Duration.ofSeconds(10))
                .toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> unknown.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
        kit.stop(flusher);
        engine.close();
    }

    @Test
    void memoryPressureFlushesWithoutBeingAsked() throws Exception {
        StorageSettings settings = StorageSettings.fromConfig(ConfigFactory.parseString(
                "sibyl.storage { memtable_heap_space = 20000, memtable_flush_check_interval = 50ms }"));
        StorageEngine engine = open(settings);
        LocalReplica replica = new LocalReplica(engine);
        ActorRef<MemtableFlusher.Command> flusher = kit.spawn(MemtableFlusher.create(engine));
        for (int k = 0; k < 300; k++) {
            replica.apply(put(k, k)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        TestProbe<Object> probe = kit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(10), () -> {
            assertTrue(engine.table(KV.id()).sstables().size() >= 1, "flushed for memory");
            assertTrue(engine.unflushedMemtableBytes() <= settings.memtableCleanupBytes(),
                    engine.unflushedMemtableBytes() + " bytes still unflushed");
            return null;
        });
        for (int k = 0; k < 300; k++) {
            assertEquals(k, get(replica, k));
        }
        kit.stop(flusher);
        engine.close();
    }

    @Test
    void aWriteCrossingTheCleanupThresholdFlushesWithoutWaitingForTheTimer() throws Exception {
        StorageSettings settings = StorageSettings.fromConfig(ConfigFactory.parseString(
                "sibyl.storage { memtable_heap_space = 20000, memtable_flush_check_interval = 1h }"));
        StorageEngine engine = open(settings);
        LocalReplica replica = new LocalReplica(engine);
        ActorRef<MemtableFlusher.Command> flusher = kit.spawn(MemtableFlusher.create(engine));
        TestProbe<Object> probe = kit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(5), () -> {
            flusher.tell(MemtableFlusher.CheckMemory.INSTANCE); // the actor is set up (its first check) ...
            return null;
        });
        Thread.sleep(100);
        int k = 0;
        while (engine.table(KV.id()).currentMemtable().liveDataSize() <= settings.memtableCleanupBytes()) {
            replica.apply(put(k, k)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            k++;
        }
        // ... and the timer would not tick for an hour: only the crossing write can have asked.
        probe.awaitAssert(Duration.ofSeconds(10), () -> {
            assertTrue(engine.table(KV.id()).sstables().size() >= 1, "flushed for memory");
            return null;
        });
        kit.stop(flusher);
        engine.close();
    }

    @Test
    void aTableIsSwitchedAgainWhileItsEarlierFlushStillWaits() throws Exception {
        StorageSettings settings = StorageSettings.fromConfig(ConfigFactory.parseString(
                "sibyl.storage { memtable_heap_space = 20000, memtable_flush_check_interval = 20ms,"
                        + " memtable_flush_writers = 1 }"));
        StorageEngine engine = open(settings);
        java.util.concurrent.CompletableFuture<Void> gate = new java.util.concurrent.CompletableFuture<>();
        engine.flushWriters().submit(() -> gate); // the only writer is busy: no flush can write
        LocalReplica replica = new LocalReplica(engine);
        ActorRef<MemtableFlusher.Command> flusher = kit.spawn(MemtableFlusher.create(engine));
        var table = engine.table(KV.id());
        int k = 0;
        TestProbe<Object> probe = kit.createTestProbe();
        for (int round = 1; round <= 2; round++) {
            // Write until the flusher has switched the memtable (the crossing write asks it at once).
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (table.flushingCount() < round && System.nanoTime() < deadline) {
                if (table.currentMemtable().liveDataSize() <= settings.memtableCleanupBytes()) {
                    replica.apply(put(k, k)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    k++;
                } else {
                    Thread.sleep(1);
                }
            }
            assertEquals(round, table.flushingCount(), "memtables switched for memory");
        }
        assertEquals(2, engine.flushWriters().queued(), "the second flush queued behind the first");
        assertTrue(table.sstables().isEmpty());
        gate.complete(null);
        probe.awaitAssert(Duration.ofSeconds(10), () -> {
            assertEquals(0, table.flushingCount());
            assertEquals(2, table.sstables().size());
            return null;
        });
        for (int i = 0; i < k; i += 13) {
            assertEquals(i, get(replica, i));
        }
        kit.stop(flusher);
        engine.close();
    }

    @Test
    void acknowledgedWritesSurviveACrashAndCleanShutdownLeavesNothingToReplay() throws Exception {
        StorageEngine engine = open(StorageSettings.defaults());
        LocalReplica replica = new LocalReplica(engine);
        for (int k = 0; k < 50; k++) {
            replica.apply(put(k, k + 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        engine.closeWithoutFlush().toCompletableFuture().get(10, TimeUnit.SECONDS); // as after kill -9
        StorageEngine reopened = open(StorageSettings.defaults());
        LocalReplica r2 = new LocalReplica(reopened);
        for (int k = 0; k < 50; k++) {
            assertEquals(k + 1, get(r2, k));
        }
        r2.apply(put(99, 7)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        reopened.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(reopened.commitLog().segmentFiles().isEmpty(), "clean close: every segment deleted");
        StorageEngine third = open(StorageSettings.defaults());
        assertEquals(7, get(new LocalReplica(third), 99));
        third.close();
    }

    @Test
    void writesPastTheThresholdFlushWhileEveryAcknowledgedRowStaysReadable() throws Exception {
        StorageSettings settings = StorageSettings.fromConfig(ConfigFactory.parseString(
                "sibyl.storage { memtable_heap_space = 30000, memtable_flush_check_interval = 20ms,"
                        + " commitlog_segment_size = 32KiB }"));
        StorageEngine engine = open(settings);
        LocalReplica replica = new LocalReplica(engine);
        ActorRef<MemtableFlusher.Command> flusher = kit.spawn(MemtableFlusher.create(engine));
        int n = 2000;
        java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<String> misses = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();
        // A reader racing the flushes: every row acknowledged so far must be readable at every moment,
        // from the current memtable, a flushing one, or an SSTable.
        Thread reader = new Thread(() -> {
            java.util.Random rnd = new java.util.Random(7);
            while (!done.get()) {
                int upTo = acked.get();
                if (upTo == 0) {
                    continue;
                }
                int k = upTo - 1 - rnd.nextInt(Math.min(upTo, 200)); // mostly recent rows: the ones being flushed
                long v = get(replica, k);
                checks.incrementAndGet();
                if (v != k * 3L) {
                    misses.add(k + " -> " + v);
                }
            }
        });
        reader.start();
        for (int k = 0; k < n; k++) {
            replica.apply(put(k, k * 3L)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            acked.set(k + 1);
        }
        TestProbe<Object> probe = kit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(20), () -> {
            assertTrue(engine.unflushedMemtableBytes() <= settings.memtableCleanupBytes(),
                    engine.unflushedMemtableBytes() + " bytes still unflushed");
            assertTrue(!engine.table(KV.id()).isFlushing());
            return null;
        });
        done.set(true);
        reader.join(10_000);
        assertTrue(misses.isEmpty(), "rows unreadable during flushes: " + misses);
        assertTrue(checks.get() > 100, "the reader ran: " + checks.get());
        var table = engine.table(KV.id());
        assertTrue(table.sstables().size() >= 2, "several memory flushes: " + table.sstables().size());

        // Everything on disk now: each memtable went to exactly one SSTable (no double flush), and the
        // commit-log segments the flushes cover are gone (only the active one is left).
        MemtableFlusher.flush(flusher, kit.system().scheduler(), "ks", "kv", Duration.ofSeconds(10))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        long partitions = table.sstables().stream().mapToLong(r -> r.stats().partitionCount()).sum();
        assertEquals(n, partitions, "each row flushed once");
        assertEquals(1, engine.commitLog().segmentFiles().size(), "covered segments released: "
                + engine.commitLog().segmentFiles());
        for (int k = 0; k < n; k += 97) {
            assertEquals(k * 3L, get(replica, k));
        }
        kit.stop(flusher);
        engine.close();
    }

    @Test
    void flushesRequestedDuringShutdownDoNothingAndTheShutdownFlushWaitsForARunningOne() throws Exception {
        StorageEngine engine = open(StorageSettings.defaults());
        LocalReplica replica = new LocalReplica(engine);
        for (int k = 0; k < 500; k++) {
            replica.apply(put(k, k)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        ActorRef<MemtableFlusher.Command> flusher = kit.spawn(MemtableFlusher.create(engine));
        var running = MemtableFlusher.flush(flusher, kit.system().scheduler(), null, null, Duration.ofSeconds(10))
                .toCompletableFuture();
        for (int k = 500; k < 600; k++) {
            replica.apply(put(k, k)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        var closed = engine.closeAsync().toCompletableFuture();
        assertTrue(engine.isClosing());
        // asked after the close began: answered, but writes no SSTable
        MemtableFlusher.flush(flusher, kit.system().scheduler(), null, null, Duration.ofSeconds(10))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        running.get(10, TimeUnit.SECONDS);
        closed.get(10, TimeUnit.SECONDS);
        var table = engine.table(KV.id());
        long partitions = table.sstables().stream().mapToLong(r -> r.stats().partitionCount()).sum();
        assertEquals(600, partitions, "every row flushed exactly once: " + table.sstables().size() + " SSTables");
        assertTrue(engine.commitLog().segmentFiles().isEmpty(), "clean close leaves no segment");
        kit.stop(flusher);

        StorageEngine reopened = open(StorageSettings.defaults());
        LocalReplica r2 = new LocalReplica(reopened);
        assertEquals(599, get(r2, 599));
        assertEquals(0, get(r2, 0));
        reopened.close();
    }
}
