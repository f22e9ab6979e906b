package io.sibyl.storage.engine;

import io.sibyl.storage.commitlog.CommitLogConfig;
import io.sibyl.storage.commitlog.CommitLogReplayer;
import io.sibyl.storage.commitlog.MutationTooLargeException;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.ReadThresholds;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.read.TombstoneOverwhelmingException;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.Component;
import io.sibyl.storage.sstable.CorruptSSTableException;
import io.sibyl.storage.sstable.SSTableConfig;
import io.sibyl.storage.sstable.SSTableDirectory;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestStreams;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageEngineTest {

    static final TableMetadata KV = TestTables.kv();
    static final TableMetadata EVENTS = TestTables.events();

    @TempDir
    Path dir;

    final Map<UUID, TableMetadata> schema = new HashMap<>(Map.of(KV.id(), KV, EVENTS.id(), EVENTS));

    StorageSettings settings = StorageSettings.defaults()
            .withSSTable(new SSTableConfig(4096, 1024, 0.01, 16));

    StorageEngine open() throws Exception {
        StorageEngine e = StorageEngine.open(dir, settings, schema::get, TestStreams.materializer());
        e.createTable(KV);
        e.createTable(EVENTS);
        return e;
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static long value(StorageEngine e, long k) {
        ReadResult r = e.table(KV.id()).read(SinglePartitionReadCommand.fullPartition(KV, TestMutations.murmurKey(k), 2000));
        if (r.filtered().isEmpty()) {
            return -1;
        }
        return TestTypes.bigint(r.filtered().get(0).rows().get(0).cell("v").value());
    }

    void writeKv(StorageEngine e, int from, int to, long ts) throws Exception {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int k = from; k < to; k++) {
            fs.add(e.write(TestMutations.kv(KV, k, k * 10L + ts, ts)).toCompletableFuture());
        }
        await(CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])));
    }

    @Test
    void unflushedWritesSurviveACrashThroughReplay() throws Exception {
        StorageEngine e = open();
        writeKv(e, 0, 200, 1);
        await(e.closeWithoutFlush());
        assertFalse(CommitLogReplayer.segments(dir.resolve("commitlog")).isEmpty());

        StorageEngine e2 = open();
        for (int k = 0; k < 200; k++) {
            assertEquals(k * 10L + 1, value(e2, k));
        }
        assertEquals(1, e2.table(KV.id()).sstables().size(), "replayed data was flushed at start");
        assertEquals(1, CommitLogReplayer.segments(dir.resolve("commitlog")).size(), "only the new segment remains");
        e2.close();
    }

    @Test
    void flushMovesDataToSSTablesAndFreesTheCommitLog() throws Exception {
        StorageEngine e = open();
        writeKv(e, 0, 100, 1);
        await(e.flush(KV.id()));
        writeKv(e, 50, 150, 2);
        TableStore t = e.table(KV.id());
        assertEquals(1, t.sstables().size());
        for (int k = 0; k < 150; k++) {
            assertEquals(k < 50 ? k * 10L + 1 : k * 10L + 2, value(e, k), "key " + k);
        }
        await(e.flush(KV.id()));
        assertEquals(2, t.sstables().size());
        assertEquals(0, t.currentMemtable().partitionCount());
        assertTrue(e.commitLog().dirtyTables().values().stream().noneMatch(m -> m.containsKey(KV.id())),
                "kv is clean in every segment: " + e.commitLog().dirtyTables());
        TableStats stats = t.stats();
        assertEquals(2, stats.sstableCount());
        assertTrue(stats.sstableBytes() > 0);
        assertTrue(stats.readLatency().count() >= 150);
        assertTrue(stats.writeLatency().count() >= 200);
        e.close();
        // clean shutdown: nothing to replay
        StorageEngine e2 = open();
        assertEquals(2, e2.table(KV.id()).sstables().size());
        assertEquals(149 * 10L + 2, value(e2, 149));
        e2.close();
    }

    @Test
    void writesDuringFlushesAreNeverLost() throws Exception {
        settings = settings.withCommitLog(CommitLogConfig.DEFAULT.withSegmentSize(16 << 10));
        StorageEngine e = open();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new ArrayList<>();
        Thread flusher = new Thread(() -> {
            while (!stop.get()) {
                try {
                    await(e.flush(KV.id()));
                } catch (Exception ex) {
                    errors.add(ex);
                }
            }
        });
        flusher.start();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int base = w * 500;
            Thread th = new Thread(() -> {
                try {
                    for (int k = base; k < base + 500; k++) {
                        await(e.write(TestMutations.kv(KV, k, k, 7)));
                    }
                } catch (Exception ex) {
                    errors.add(ex);
                }
            });
            writers.add(th);
            th.start();
        }
        for (Thread th : writers) {
            th.join();
        }
        stop.set(true);
        flusher.join();
        assertEquals(List.of(), errors);
        assertTrue(e.table(KV.id()).sstables().size() > 1, "flushed several times");
        await(e.closeWithoutFlush());
        StorageEngine e2 = open();
        for (int k = 0; k < 2000; k++) {
            assertEquals(k, value(e2, k), "key " + k);
        }
        e2.close();
    }

    @Test
    void truncatedDataStaysGoneAfterACrash() throws Exception {
        StorageEngine e = open();
        writeKv(e, 0, 50, 1);
        await(e.flush(KV.id()));
        writeKv(e, 50, 100, 1);
        e.truncate(KV.id());
        writeKv(e, 200, 210, 3);
        assertEquals(-1, value(e, 10));
        assertEquals(-1, value(e, 60));
        await(e.closeWithoutFlush());
        StorageEngine e2 = open();
        assertEquals(-1, value(e2, 10));
        assertEquals(-1, value(e2, 60));
        assertEquals(200 * 10L + 3, value(e2, 200));
        e2.close();
    }

    @Test
    void droppedTablesLoseTheirFilesAndTheirLogRecords() throws Exception {
        StorageEngine e = open();
        writeKv(e, 0, 20, 1);
        await(e.flush(KV.id()));
        writeKv(e, 20, 40, 1);
        Path tableDir = SSTableDirectory.of(dir, KV);
        assertTrue(Files.isDirectory(tableDir));
        e.dropTable(KV.id());
        schema.remove(KV.id());
        try (var left = Files.list(tableDir)) { // auto_snapshot: only the snapshot stays
            assertEquals(List.of("snapshots"), left.map(p -> p.getFileName().toString()).toList());
        }
        await(e.closeWithoutFlush());
        StorageEngine e2 = StorageEngine.open(dir, settings, schema::get, TestStreams.materializer());
        assertEquals(null, e2.tableOrNull(KV.id()), "records of the dropped table are skipped");
        e2.close();
    }

    @Test
    void aGroupWriteIsDurableRecordByRecordAcrossACrash() throws Exception {
        // Small segments: the groups' records cross segment boundaries.
        settings = settings.withCommitLog(CommitLogConfig.DEFAULT.withSegmentSize(16 << 10));
        StorageEngine e = open();
        List<CompletableFuture<Void>> groups = new ArrayList<>();
        for (int g = 0; g < 20; g++) {
            List<Mutation> group = new ArrayList<>();
            for (int k = g * 50; k < g * 50 + 50; k++) {
                group.add(TestMutations.kv(KV, k, k * 10L + 3, 3));
            }
            groups.add(e.writeAll(group).toCompletableFuture());
        }
        await(CompletableFuture.allOf(groups.toArray(new CompletableFuture[0])));
        assertEquals(1000, e.commitLog().recordCount(), "one record per mutation");
        assertTrue(CommitLogReplayer.segments(dir.resolve("commitlog")).size() > 1);
        await(e.closeWithoutFlush());

        StorageEngine e2 = open();
        for (int k = 0; k < 1000; k++) {
            assertEquals(k * 10L + 3, value(e2, k), "row " + k + " replayed");
        }
        e2.close();
    }

    @Test
    void aGroupWithAnOversizedMutationAppliesNothing() throws Exception {
        settings = settings.withCommitLog(CommitLogConfig.DEFAULT.withSegmentSize(8192));
        StorageEngine e = open();
        var f = e.writeAll(List.of(TestMutations.kv(KV, 1, 10, 1), TestMutations.kvPadded(KV, 5, 6000, 1)))
                .toCompletableFuture();
        Exception ex = assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof MutationTooLargeException);
        assertEquals(0, e.table(KV.id()).currentMemtable().partitionCount(), "not even the small one");
        e.close();
    }

    @Test
    void oversizedMutationsAreRejectedBeforeTheyApply() throws Exception {
        settings = settings.withCommitLog(CommitLogConfig.DEFAULT.withSegmentSize(8192));
        StorageEngine e = open();
        var f = e.write(TestMutations.kvPadded(KV, 5, 6000, 1)).toCompletableFuture();
        Exception ex = assertThrows(Exception.class, () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof MutationTooLargeException);
        assertEquals(0, e.table(KV.id()).currentMemtable().partitionCount());
        e.close();
    }

    @Test
    void tombstoneThresholdsWarnThenFail() throws Exception {
        settings = settings.withReadThresholds(new ReadThresholds(10, 50));
        StorageEngine e = open();
        PartitionUpdate.Builder b = PartitionUpdate.builder(EVENTS, TestTables.key(1));
        for (int i = 0; i < 30; i++) {
            b.add(Row.of(Clustering.of(TestTypes.bigint(i), TestTypes.bigint(0)), LivenessInfo.EMPTY,
                    new DeletionTime(5, 100), List.of(), Map.of()));
        }
        await(e.write(Mutation.of(b.build())));
        await(e.flush(EVENTS.id()));
        ReadResult r = e.table(EVENTS.id()).read(SinglePartitionReadCommand.fullPartition(EVENTS, TestTables.key(1), 200));
        assertTrue(r.stats().tombstoneWarning());
        assertEquals(1, r.stats().warnings().size());
        assertTrue(r.stats().warnings().get(0).contains("30 tombstone"), r.stats().warnings().get(0));
        PartitionUpdate.Builder more = PartitionUpdate.builder(EVENTS, TestTables.key(1));
        for (int i = 30; i < 60; i++) {
            more.add(Row.of(Clustering.of(TestTypes.bigint(i), TestTypes.bigint(0)), LivenessInfo.EMPTY,
                    new DeletionTime(5, 100), List.of(), Map.of()));
        }
        await(e.write(Mutation.of(more.build())));
        assertThrows(TombstoneOverwhelmingException.class,
                () -> e.table(EVENTS.id()).read(SinglePartitionReadCommand.fullPartition(EVENTS, TestTables.key(1), 200)));
        TableStats stats = e.table(EVENTS.id()).stats();
        assertEquals(1, stats.tombstoneWarnings());
        assertEquals(1, stats.tombstoneFailures());
        e.close();
    }

    @Test
    void aCorruptChunkFailsOnlyItsReadsAndIsCounted() throws Exception {
        StorageEngine e = open();
        writeKv(e, 0, 3000, 1);
        await(e.flush(KV.id()));
        SSTableReader sst = e.table(KV.id()).sstables().get(0);
        Path data = sst.descriptor().path(Component.DATA);
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int x = f.read();
            f.seek(f.length() / 2);
            f.write(x ^ 0xFF);
        }
        int failed = 0;
        for (int k = 0; k < 3000; k++) {
            try {
                assertEquals(k * 10L + 1, value(e, k));
            } catch (CorruptSSTableException ex) {
                assertEquals(data, ex.file());
                failed++;
            }
        }
        assertTrue(failed > 0 && failed < 300, failed + " failed reads");
        assertEquals(failed, e.table(KV.id()).stats().corruptSSTableReads());
        assertThrows(CorruptSSTableException.class,
                () -> e.table(KV.id()).scan(PartitionRangeReadCommand.all(KV, 2000)));
        e.close();
    }

    @Test
    void flushForMemoryPicksTheLargestMemtableOncePastTheThreshold() throws Exception {
        settings = settings.withMemtableHeapSpace(60_000);
        StorageEngine e = open();
        assertTrue(e.tableToFlushForMemory().isEmpty());
        writeKv(e, 0, 400, 1);
        await(e.write(Mutation.of(PartitionUpdate.partitionDeletion(EVENTS, TestTables.key(1), new DeletionTime(1, 1)))));
        assertTrue(e.unflushedMemtableBytes() > settings.memtableCleanupBytes());
        assertEquals(KV.id(), e.tableToFlushForMemory().orElseThrow().metadata().id());
        await(e.flush(KV.id()));
        assertTrue(e.tableToFlushForMemory().isEmpty());
        e.close();
    }

    @Test
    void slicedAndReversedReadsMergeMemtablesAndSSTables() throws Exception {
        StorageEngine e = open();
        for (int round = 0; round < 3; round++) {
            PartitionUpdate.Builder b = PartitionUpdate.builder(EVENTS, TestTables.key(2));
            for (int i = round; i < 300; i += 3) {
                b.add(Row.of(Clustering.of(TestTypes.bigint(i), TestTypes.bigint(i % 4)), LivenessInfo.create(10 + round, 0, 100),
                        DeletionTime.LIVE, List.of(Cell.live("v1", TestTypes.bigint(i), 10 + round)), Map.of()));
            }
            await(e.write(Mutation.of(b.build())));
            if (round < 2) {
                await(e.flush(EVENTS.id()));
            }
        }
        var filter = ClusteringFilter.slices(List.of(new io.sibyl.storage.data.Slice(
                io.sibyl.storage.data.ClusteringBound.start(true, TestTypes.bigint(100)),
                io.sibyl.storage.data.ClusteringBound.end(false, TestTypes.bigint(120)))), true);
        ReadResult r = e.table(EVENTS.id()).read(new SinglePartitionReadCommand(EVENTS, TestTables.key(2), filter, 200,
                DataLimits.rows(7)));
        List<Long> got = r.filtered().get(0).rows().stream().map(row -> TestTypes.bigint(row.clustering().get(0))).toList();
        assertEquals(List.of(119L, 118L, 117L, 116L, 115L, 114L, 113L), got);
        e.close();
    }

    @Test
    void sstablesATruncateDidNotGetToDeleteAreDroppedAtStart() throws Exception {
        StorageEngine e = open();
        writeKv(e, 0, 30, 1);
        await(e.flush(KV.id()));
        SSTableReader sst = e.table(KV.id()).sstables().get(0);
        Path saved = Files.createTempDirectory(dir, "saved");
        for (Component c : Component.values()) {
            Files.copy(sst.descriptor().path(c), saved.resolve(c.name()));
        }
        e.truncate(KV.id());
        await(e.closeWithoutFlush());
        // as if the node died after recording the truncation but before deleting the files
        for (Component c : Component.values()) {
            Files.copy(saved.resolve(c.name()), sst.descriptor().path(c));
        }
        StorageEngine e2 = open();
        assertEquals(-1, value(e2, 5));
        assertEquals(0, e2.table(KV.id()).sstables().size());
        assertFalse(Files.exists(sst.descriptor().path(Component.DATA)));
        e2.close();
    }
}
