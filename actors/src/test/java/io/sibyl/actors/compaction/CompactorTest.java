package io.sibyl.actors.compaction;

import com.typesafe.config.ConfigFactory;
import io.sibyl.storage.compaction.CompactionSettings;
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
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
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

class CompactorTest {

    static final CqlType BIGINT = CqlTypes.parse("bigint");
    static final TableMetadata KV = new TableMetadata("ks", "kv", UUID.fromString("00000000-0000-0000-0000-0000000000cc"),
            List.of(ColumnMetadata.partitionKey("k", BIGINT, 0), ColumnMetadata.regular("v", BIGINT)),
            TableParams.DEFAULT.withCompaction(Map.of("class", "SizeTieredCompactionStrategy", "min_threshold", "3")));
    static final CompactionSettings SETTINGS = new CompactionSettings(1, 0, Duration.ofMillis(200));

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

    StorageEngine open() throws Exception {
        StorageEngine e = StorageEngine.open(dir, StorageSettings.defaults(), id -> id.equals(KV.id()) ? KV : null,
                Materializer.matFromSystem(kit.system()));
        e.createTable(KV);
        return e;
    }

    static DecoratedKey key(long k) {
        byte[] b = BIGINT.serialize(k);
        return new DecoratedKey(Murmur3Partitioner.token(b), b);
    }

    static void put(StorageEngine e, long k, long v, long ts) throws Exception {
        e.write(Mutation.of(PartitionUpdate.builder(KV, key(k))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.create(ts, 0, 100), DeletionTime.LIVE,
                        List.of(Cell.live("v", BIGINT.serialize(v), ts)), Map.of()))
                .build())).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static long get(StorageEngine e, long k) {
        var r = e.table(KV.id()).read(SinglePartitionReadCommand.fullPartition(KV, key(k), 1000));
        return r.filtered().isEmpty() ? -1 : (Long) BIGINT.deserialize(r.filtered().get(0).rows().get(0).cell("v").value());
    }

    private static void writeRounds(StorageEngine e, int from, int to) throws Exception {
        for (int round = from; round < to; round++) {
            for (int k = 0; k < 100; k++) {
                put(e, k, k * 10 + round, 10 + round);
            }
            e.flush(KV.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Compactor.Status status(ActorRef<Compactor.Command> compactor) {
        try {
            return Compactor.status(compactor, kit.system().scheduler(), Duration.ofSeconds(5))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no compactor status", e);
        }
    }

    private static void awaitCondition(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void flushesTriggerTheTablesStrategy() throws Exception {
        StorageEngine engine = open();
        ActorRef<Compactor.Command> compactor = kit.spawn(Compactor.create(engine, SETTINGS));
        TableStore t = engine.table(KV.id());
        writeRounds(engine, 0, 2);
        Thread.sleep(300);
        assertEquals(2, t.sstables().size(), "below min_threshold 3: nothing to do");
        writeRounds(engine, 2, 3);
        awaitCondition(() -> t.sstables().size() == 1, "the size-tiered compaction of 3 SSTables");
        for (int k = 0; k < 100; k++) {
            assertEquals(k * 10 + 2, get(engine, k));
        }
        // the swap is visible a moment before the task reports itself finished
        awaitCondition(() -> status(compactor).running().isEmpty(), "the compaction to report itself done");
        assertEquals(1, status(compactor).concurrentCompactors());
        assertEquals(1, t.stats().compaction().compactionsCompleted());
        kit.stop(compactor);
        engine.close();
    }

    @Test
    void majorCompactionOnRequestAndUnknownTablesRefused() throws Exception {
        StorageEngine engine = open();
        TableStore t = engine.table(KV.id());
        writeRounds(engine, 0, 2);
        ActorRef<Compactor.Command> compactor = kit.spawn(Compactor.create(engine, SETTINGS));
        List<String> done = Compactor.compact(compactor, kit.system().scheduler(), "ks", "kv", Duration.ofSeconds(20))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(List.of("ks.kv"), done);
        assertEquals(1, t.sstables().size());
        assertEquals(51, get(engine, 5));
        var unknown = Compactor.compact(compactor, kit.system().scheduler(), "ks", "nope", Duration.ofSeconds(5))
                .toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> unknown.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
        kit.stop(compactor);
        engine.close();
    }

    @Test
    void throttledCompactionReportsProgressWhileReadsGoOn() throws Exception {
        StorageEngine engine = open();
        TableStore t = engine.table(KV.id());
        writeRounds(engine, 0, 2);
        // ~8 KiB/s against tens of KiB of data: the compaction takes a few seconds.
        ActorRef<Compactor.Command> compactor = kit.spawn(Compactor.create(engine,
                new CompactionSettings(1, 8 << 10, Duration.ofSeconds(60))));
        var major = Compactor.compact(compactor, kit.system().scheduler(), null, null, Duration.ofSeconds(60))
                .toCompletableFuture();
        Compactor.Status running = null;
        for (int i = 0; i < 100 && (running == null || running.running().isEmpty()); i++) {
            running = Compactor.status(compactor, kit.system().scheduler(), Duration.ofSeconds(5)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            Thread.sleep(10);
        }
        assertEquals(1, running.running().size());
        var p = running.running().get(0);
        assertEquals("kv", p.table());
        assertTrue(p.bytesTotal() > 0 && p.bytesDone() <= p.bytesTotal(), p.toString());
        long t0 = System.nanoTime();
        assertEquals(51, get(engine, 5), "reads are served from the old SSTables meanwhile");
        put(engine, 1000, 1, 99);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "reads and writes do not wait");
        assertTrue(!major.isDone());
        major.get(60, TimeUnit.SECONDS);
        assertEquals(1, t.sstables().size());
        kit.stop(compactor);
        engine.close();
    }

    @Test
    void aMajorCompactionQueuedBehindAnotherIsAnsweredWhenItsTablesHaveNothingToDo() throws Exception {
        TableMetadata empty = new TableMetadata("ks", "empty", UUID.fromString("00000000-0000-0000-0000-0000000000cd"),
                KV.columns(), KV.params());
        StorageEngine engine = StorageEngine.open(dir, StorageSettings.defaults(),
                id -> id.equals(KV.id()) ? KV : id.equals(empty.id()) ? empty : null, Materializer.matFromSystem(kit.system()));
        engine.createTable(KV);
        engine.createTable(empty);
        writeRounds(engine, 0, 2);
        // One slot, throttled: the first major compaction holds it for a few seconds.
        ActorRef<Compactor.Command> compactor = kit.spawn(Compactor.create(engine,
                new CompactionSettings(1, 8 << 10, Duration.ofSeconds(60))));
        var first = Compactor.compact(compactor, kit.system().scheduler(), "ks", "kv", Duration.ofSeconds(60))
                .toCompletableFuture();
        awaitCondition(() -> !status(compactor).running().isEmpty(), "the first major compaction to start");
        var queued = Compactor.compact(compactor, kit.system().scheduler(), "ks", "empty", Duration.ofSeconds(60))
                .toCompletableFuture();
        assertEquals(List.of("ks.kv"), first.get(60, TimeUnit.SECONDS));
        assertEquals(List.of("ks.empty"), queued.get(10, TimeUnit.SECONDS),
                "the queued request is answered once its slot frees, though its table had nothing to compact");
        kit.stop(compactor);
        engine.close();
    }
}
