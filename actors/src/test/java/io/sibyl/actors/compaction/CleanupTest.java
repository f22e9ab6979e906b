package io.sibyl.actors.compaction;

import io.sibyl.actors.ring.TokenRange;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import static io.sibyl.actors.compaction.CompactorTest.KV;
import static io.sibyl.actors.compaction.CompactorTest.key;
import static io.sibyl.actors.compaction.CompactorTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cleanup through the Compactor: partitions outside the owned ranges leave the SSTables, the rest stays. */
class CleanupTest {

    static final io.sibyl.storage.compaction.CompactionSettings SETTINGS = CompactorTest.SETTINGS;
    static org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit kit;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void start() {
        kit = org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create(
                com.typesafe.config.ConfigFactory.parseString("pekko.loglevel = WARNING"));
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    StorageEngine open() throws Exception {
        StorageEngine e = StorageEngine.open(dir, io.sibyl.storage.engine.StorageSettings.defaults(),
                id -> id.equals(KV.id()) ? KV : null, org.apache.pekko.stream.Materializer.matFromSystem(kit.system()));
        e.createTable(KV);
        return e;
    }

    static long get(StorageEngine e, long k) {
        return CompactorTest.get(e, k);
    }

    static int partitionsOf(StorageEngine e) {
        return e.table(KV.id()).scanUnbounded(new PartitionRangeReadCommand(KV, KeyRange.all(), ClusteringFilter.ALL,
                (int) (System.currentTimeMillis() / 1000), DataLimits.NONE)).partitions().size();
    }

    static List<io.sibyl.storage.data.PartitionUpdate> partition(StorageEngine e, long k) {
        return e.table(KV.id()).scanUnbounded(new PartitionRangeReadCommand(KV, new KeyRange(key(k), true, key(k), true),
                ClusteringFilter.ALL, (int) (System.currentTimeMillis() / 1000), DataLimits.NONE)).partitions();
    }

    @Test
    void dropsForeignPartitionsAndKeepsOwnedDataAndTombstones() throws Exception {
        StorageEngine engine = open();
        ActorRef<Compactor.Command> compactor = kit.spawn(Compactor.create(engine, SETTINGS));
        int now = (int) (System.currentTimeMillis() / 1000);
        for (int k = 0; k < 100; k++) {
            if (k % 5 == 0) {
                engine.write(Mutation.of(PartitionUpdate.partitionDeletion(KV, key(k), new DeletionTime(50, now))))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
            } else {
                put(engine, k, k, 10);
            }
            if (k == 50) {
                engine.flush(KV.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        // the rest stays in the memtable: NodeCleanup flushes first, as here
        engine.flush(KV.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        TableStore t = engine.table(KV.id());
        assertEquals(2, t.sstables().size());
        // this node keeps (MIN, 0] only
        LongPredicate owned = NodeCleanup.owned(List.of(new TokenRange(Long.MIN_VALUE, 0)));
        List<String> cleaned = Compactor.cleanup(compactor, kit.system().scheduler(), "ks", null, md -> owned,
                Duration.ofSeconds(30)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(List.of("ks.kv"), cleaned);
        int ownedCount = 0;
        int ownedTombstones = 0;
        for (int k = 0; k < 100; k++) {
            List<io.sibyl.storage.data.PartitionUpdate> p = partition(engine, k);
            if (owned.test(key(k).token())) {
                ownedCount++;
                assertEquals(1, p.size(), "owned partition " + k + " kept");
                if (k % 5 == 0) {
                    ownedTombstones++;
                    assertFalse(p.get(0).partitionDeletion().isLive(), "owned tombstone " + k + " kept");
                } else {
                    assertEquals(k, get(engine, k));
                }
            } else {
                assertTrue(p.isEmpty(), "foreign partition " + k + " dropped");
            }
        }
        assertTrue(ownedCount > 20 && ownedCount < 80 && ownedTombstones > 0, ownedCount + " " + ownedTombstones);
        assertEquals(ownedCount, partitionsOf(engine));
        for (var r : t.sstables()) {
            assertTrue(owned.test(r.first().token()) && owned.test(r.last().token()), "no foreign data left in " + r);
        }
        // a table that does not exist
        ExecutionException e = assertThrows(ExecutionException.class, () -> Compactor.cleanup(compactor,
                kit.system().scheduler(), "ks", "nope", md -> owned, Duration.ofSeconds(5)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        kit.stop(compactor);
        engine.close();
    }

    @Test
    void nothingOwnedEmptiesTheTable() throws Exception {
        StorageEngine engine = open();
        ActorRef<Compactor.Command> compactor = kit.spawn(Compactor.create(engine, SETTINGS));
        for (int k = 0; k < 20; k++) {
            put(engine, k, k, 10);
        }
        engine.flush(KV.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Compactor.cleanup(compactor, kit.system().scheduler(), "ks", "kv", md -> tok -> false, Duration.ofSeconds(30))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(0, partitionsOf(engine));
        assertTrue(engine.table(KV.id()).sstables().isEmpty(), "an SSTable with nothing left is removed");
        kit.stop(compactor);
        engine.close();
    }
}
