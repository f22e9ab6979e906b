package io.sibyl.storage.snapshot;

import io.sibyl.storage.compaction.Compaction;
import io.sibyl.storage.compaction.CompactionPlanner;
import io.sibyl.storage.compaction.CompactionThrottle;
import io.sibyl.storage.engine.DrainedException;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.SSTableConfig;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestStreams;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots through compaction, restart, TRUNCATE and DROP; restore by copy + refresh; drain. */
class SnapshotTest {

    static final TableMetadata KV = TestTables.kv();

    @TempDir
    Path dir;

    final Map<UUID, TableMetadata> schema = new HashMap<>(Map.of(KV.id(), KV));
    final StorageSettings settings = StorageSettings.defaults().withSSTable(new SSTableConfig(4096, 1024, 0.01, 16));

    StorageEngine open() throws Exception {
        StorageEngine e = StorageEngine.open(dir, settings, schema::get, TestStreams.materializer());
        e.createTable(KV);
        e.schemaDescriber(md -> "CREATE TABLE " + md.keyspace() + "." + md.name() + " (...)");
        return e;
    }

    static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static long value(StorageEngine e, long k) {
        ReadResult r = e.table(KV.id()).read(SinglePartitionReadCommand.fullPartition(KV, TestMutations.murmurKey(k), 2000));
        return r.filtered().isEmpty() ? -1 : TestTypes.bigint(r.filtered().get(0).rows().get(0).cell("v").value());
    }

    static void write(StorageEngine e, long from, long to, long v) throws Exception {
        for (long k = from; k < to; k++) {
            await(e.write(TestMutations.kv(KV, k, v + k, 1000 + v)));
        }
    }

    static void majorCompaction(TableStore t) {
        long now = System.currentTimeMillis();
        Compaction.prepare(t, CompactionPlanner.of(t.compactionParams()).major(t.planInput(now)).orElseThrow(),
                CompactionThrottle.unthrottled()).orElseThrow().run();
    }

    static List<Path> files(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void snapshotSurvivesCompactionAndRestartAndRestoresTheSameRows() throws Exception {
        StorageEngine e = open();
        write(e, 0, 50, 0);
        await(e.flushAll());
        write(e, 50, 100, 0); // left in the memtable: the snapshot flushes it
        List<Snapshot> taken = await(e.snapshot("before", KV.keyspace(), KV.name()));
        assertEquals(1, taken.size());
        Snapshot s = taken.get(0);
        assertTrue(Files.exists(s.directory().resolve(SnapshotDirectory.SCHEMA_FILE)));
        assertTrue(Files.exists(s.directory().resolve(SnapshotDirectory.MANIFEST_FILE)));
        assertEquals(2 * 7 + 2, s.files(), "two SSTables of 7 components, schema and manifest");
        assertEquals(s.bytes() - Files.size(s.directory().resolve(SnapshotDirectory.SCHEMA_FILE))
                - Files.size(s.directory().resolve(SnapshotDirectory.MANIFEST_FILE)), s.bytes() - s.trueBytes(),
                "the SSTable files are still shared with the live table");

        // Compaction replaces the snapshotted SSTables; their links in the snapshot stay.
        TableStore t = e.table(KV.id());
        majorCompaction(t);
        assertEquals(1, t.sstables().size());
        Snapshot after = e.listSnapshots().get(0);
        assertEquals(s.bytes(), after.bytes());
        assertTrue(after.trueBytes() > s.trueBytes(), "the compacted-away SSTables now live only in the snapshot");

        write(e, 0, 100, 7); // overwrite everything after the snapshot
        e.close();
        e = open();
        assertEquals(List.of("before"), e.listSnapshots().stream().map(Snapshot::tag).toList());
        assertEquals(7 + 5, value(e, 5));

        // Restore: TRUNCATE (auto snapshot), copy the snapshot's SSTables back, refresh.
        e.truncate(KV.id());
        assertEquals(-1, value(e, 5));
        assertTrue(e.listSnapshots().stream().anyMatch(x -> x.tag().startsWith("truncated-") && x.tag().endsWith("-" + KV.name())));
        Path tableDir = t.sstableDirectory().path();
        for (Path f : files(s.directory())) {
            if (f.getFileName().toString().startsWith("sa-")) {
                Files.copy(f, tableDir.resolve(f.getFileName()));
            }
        }
        List<SSTableReader> loaded = e.refresh(KV.id());
        assertEquals(2, loaded.size());
        for (long k = 0; k < 100; k++) {
            assertEquals(k, value(e, k), "row " + k + " as in the snapshot");
        }
        assertEquals(List.of(), e.refresh(KV.id()), "a second refresh loads nothing new");

        // The restored SSTables are older than the truncation, yet survive a restart.
        e.close();
        e = open();
        for (long k = 0; k < 100; k += 9) {
            assertEquals(k, value(e, k));
        }
        e.close();
    }

    @Test
    void dropKeepsAnAutoSnapshotAndTheDirectoryHoldsOnlySnapshots() throws Exception {
        StorageEngine e = open();
        write(e, 0, 10, 0);
        Path tableDir = e.table(KV.id()).sstableDirectory().path();
        assertTrue(e.dropTable(KV.id()));
        List<Snapshot> snaps = e.listSnapshots();
        assertEquals(1, snaps.size());
        assertTrue(snaps.get(0).tag().startsWith("dropped-"));
        assertEquals(7 + 2, snaps.get(0).files(), "the memtable was flushed before the snapshot");
        try (Stream<Path> s = Files.list(tableDir)) {
            assertEquals(List.of(SnapshotDirectory.SNAPSHOTS), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(1, e.clearSnapshot(null, KV.keyspace()));
        assertEquals(List.of(), e.listSnapshots());
        e.close();
    }

    @Test
    void autoSnapshotOffTakesNone() throws Exception {
        StorageEngine e = StorageEngine.open(dir, settings.withAutoSnapshot(false), schema::get, TestStreams.materializer());
        e.createTable(KV);
        write(e, 0, 10, 0);
        e.truncate(KV.id());
        assertEquals(List.of(), e.listSnapshots());
        e.close();
    }

    @Test
    void badTagsAndDuplicateTagsAreRefused() throws Exception {
        StorageEngine e = open();
        for (String bad : new String[] {"", "../x", "a/b", ".hidden", "-x", "sp ace"}) {
            ExecutionException x = assertThrows(ExecutionException.class, () -> await(e.snapshot(bad, null, null)), bad);
            assertInstanceOf(IllegalArgumentException.class, x.getCause());
        }
        ExecutionException missing = assertThrows(ExecutionException.class, () -> await(e.snapshot("t", KV.keyspace(), "nope")));
        assertInstanceOf(IllegalArgumentException.class, missing.getCause());
        await(e.snapshot("t1", null, null));
        ExecutionException dup = assertThrows(ExecutionException.class, () -> await(e.snapshot("t1", null, null)));
        assertInstanceOf(SnapshotAlreadyExistsException.class, dup.getCause());
        assertThrows(IllegalArgumentException.class, () -> e.clearSnapshot("../..", null));
        assertEquals(0, e.clearSnapshot("other", null));
        assertEquals(1, e.clearSnapshot("t1", null));
        e.close();
    }

    @Test
    void drainRefusesWritesAndServesReads() throws Exception {
        StorageEngine e = open();
        write(e, 0, 5, 0);
        await(e.drain());
        assertTrue(e.isDrained());
        assertTrue(e.table(KV.id()).currentMemtable().isEmpty(), "flushed");
        assertEquals(3, value(e, 3));
        ExecutionException x = assertThrows(ExecutionException.class, () -> await(e.write(TestMutations.kv(KV, 9, 9, 9))));
        assertInstanceOf(DrainedException.class, x.getCause());
        assertFalse(e.table(KV.id()).sstables().isEmpty());
        e.close();
    }
}
