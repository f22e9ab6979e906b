package io.sibyl.storage.engine;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.flush.FlushWriters;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.SSTableDirectory;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestStreams;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flushes of one table that overlap: each switches its memtable at once, they write through the node's
 * flush writers, and they become live oldest first (the commit-log claim of each SSTable depends on it).
 */
class ConcurrentFlushTest {

    static final TableMetadata KV = TestTables.kv();

    @TempDir
    Path dir;

    StorageEngine open(StorageSettings settings) throws Exception {
        StorageEngine e = StorageEngine.open(dir, settings, id -> id.equals(KV.id()) ? KV : null,
                TestStreams.materializer());
        e.createTable(KV);
        return e;
    }

    static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static void write(StorageEngine e, int from, int to) throws Exception {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int k = from; k < to; k++) {
            fs.add(e.write(TestMutations.kv(KV, k, k * 10L, 1)).toCompletableFuture());
        }
        await(CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])));
    }

    static long value(StorageEngine e, long k) {
        var r = e.table(KV.id()).read(SinglePartitionReadCommand.fullPartition(KV, TestMutations.murmurKey(k), 2000));
        return r.filtered().isEmpty() ? -1 : TestTypes.bigint(r.filtered().get(0).rows().get(0).cell("v").value());
    }

    /** Occupies one flush writer until the returned future is completed. */
    static CompletableFuture<Void> occupyWriter(FlushWriters writers) {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        writers.submit(() -> gate);
        return gate;
    }

    @Test
    void aSecondFlushSwitchesAtOnceWhileTheFirstWaitsAndBothCommitOldestFirst() throws Exception {
        StorageEngine e = open(StorageSettings.defaults().withMemtableFlushWriters(1));
        TableStore t = e.table(KV.id());
        CompletableFuture<Void> gate = occupyWriter(e.flushWriters());
        write(e, 0, 100);
        CompletableFuture<Void> first = e.flush(KV.id()).toCompletableFuture();
        write(e, 100, 200);
        CompletableFuture<Void> second = e.flush(KV.id()).toCompletableFuture();

        // Both memtables are switched out although neither flush could write yet; the rows stay readable.
        assertEquals(2, t.flushingCount());
        assertEquals(0, t.currentMemtable().partitionCount());
        assertEquals(2, e.flushWriters().queued());
        assertFalse(first.isDone());
        assertTrue(t.sstables().isEmpty());
        assertEquals(50 * 10L, value(e, 50));
        assertEquals(150 * 10L, value(e, 150));

        gate.complete(null);
        await(second);
        assertTrue(first.isDone() && !first.isCompletedExceptionally());
        List<SSTableReader> ssts = new ArrayList<>(t.sstables());
        assertEquals(2, ssts.size());
        ssts.sort(Comparator.comparingInt(r -> r.descriptor().generation()));
        CommitLogPosition a = ssts.get(0).stats().commitLogUpperBound();
        CommitLogPosition b = ssts.get(1).stats().commitLogUpperBound();
        assertTrue(a.compareTo(b) < 0, "the older memtable's SSTable claims the lower position: " + a + " " + b);
        assertEquals(100, ssts.get(0).stats().partitionCount());
        assertEquals(100, ssts.get(1).stats().partitionCount());
        assertEquals(0, t.flushingCount());
        assertTrue(e.commitLog().dirtyTables().values().stream().noneMatch(m -> m.containsKey(KV.id())),
                "kv is clean in every segment: " + e.commitLog().dirtyTables());
        e.close();
    }

    @Test
    void twoWritersWriteTwoFlushesAtOnce() throws Exception {
        StorageEngine e = open(StorageSettings.defaults().withMemtableFlushWriters(2));
        CompletableFuture<Void> gate = occupyWriter(e.flushWriters());
        write(e, 0, 100);
        // One writer is busy: the flush takes the other and completes without waiting for the busy one.
        await(e.flush(KV.id()));
        assertEquals(1, e.table(KV.id()).sstables().size());
        assertEquals(1, e.flushWriters().running());
        gate.complete(null);
        e.close();
    }

    @Test
    void aFailedFlushIsRetriedBeforeANewerMemtableCommits() throws Exception {
        StorageEngine e = open(StorageSettings.defaults());
        TableStore t = e.table(KV.id());
        Path tableDir = SSTableDirectory.of(dir, KV);
        Files.createDirectories(tableDir.getParent());
        Files.deleteIfExists(tableDir);
        Files.writeString(tableDir, "not a directory"); // the SSTable cannot be created
        write(e, 0, 100);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> await(e.flush(KV.id())));
        assertNotNull(failed.getCause());
        assertEquals(1, t.flushingCount(), "the memtable stays, readable and in the commit log");
        assertEquals(70 * 10L, value(e, 70));

        Files.delete(tableDir);
        write(e, 100, 150);
        await(e.flush(KV.id()));
        List<SSTableReader> ssts = new ArrayList<>(t.sstables());
        // (the retry got a later generation than the newer memtable's SSTable: order by what they claim)
        ssts.sort(Comparator.comparing(r -> r.stats().commitLogUpperBound()));
        assertEquals(2, ssts.size());
        assertEquals(100, ssts.get(0).stats().partitionCount(), "the failed memtable is the older one");
        assertEquals(50, ssts.get(1).stats().partitionCount());
        e.closeWithoutFlush().toCompletableFuture().get(10, TimeUnit.SECONDS);
        StorageEngine again = open(StorageSettings.defaults());
        for (int k = 0; k < 150; k += 7) {
            assertEquals(k * 10L, value(again, k), "key " + k);
        }
        again.close();
    }

    @Test
    void writesBelowTheLimitDoNotWaitForARunningFlush() throws Exception {
        StorageEngine e = open(StorageSettings.defaults().withMemtableFlushWriters(1));
        TableStore t = e.table(KV.id());
        CompletableFuture<Void> gate = occupyWriter(e.flushWriters());
        write(e, 0, 100);
        CompletableFuture<Void> flush = e.flush(KV.id()).toCompletableFuture();
        assertNull(t.memoryBackpressure(e.settings().memtableHeapSpace()));
        write(e, 100, 200); // completes although the flush cannot even start
        assertFalse(flush.isDone());
        gate.complete(null);
        await(flush);
        e.close();
    }

    @Test
    void writesAboveTheLimitWaitForTheOldestFlushThenGoThrough() throws Exception {
        StorageEngine e = open(StorageSettings.defaults().withMemtableFlushWriters(1).withMemtableHeapSpace(10_000));
        TableStore t = e.table(KV.id());
        CompletableFuture<Void> gate = occupyWriter(e.flushWriters());
        write(e, 0, 100); // past the limit, but no flush runs: nothing to wait for
        assertTrue(t.currentMemtable().liveDataSize() > 10_000, "the test needs more than the limit");
        CompletableFuture<Void> first = e.flush(KV.id()).toCompletableFuture();
        CompletableFuture<Void> second = e.flush(KV.id()).toCompletableFuture();
        assertEquals(first, t.memoryBackpressure(e.settings().memtableHeapSpace()), "the oldest flush");
        CompletableFuture<Void> waiting = e.write(TestMutations.kv(KV, 500, 5000, 1)).toCompletableFuture();
        Thread.sleep(200);
        assertFalse(waiting.isDone(), "a write past the limit waits while the flush cannot run");
        assertEquals(-1, value(e, 500), "not applied while waiting");
        gate.complete(null);
        await(waiting);
        await(second);
        assertEquals(5000, value(e, 500));
        assertEquals(1, t.sstables().size(), "the second flush found its memtable empty");
        e.close();
    }
}
