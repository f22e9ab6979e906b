package io.sibyl.storage.compaction;

import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.sstable.SSTableReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sibyl.storage.compaction.CompactionFixture.NOW;
import static io.sibyl.storage.compaction.CompactionFixture.NOW_MILLIS;
import static io.sibyl.storage.compaction.CompactionFixture.gcGrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merging, purging and swapping on a real durable table. */
class CompactionTest {

    @TempDir
    Path dir;

    @Test
    void majorCompactionMergesEverythingAndKeepsTheNewestValues() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, TableParams.DEFAULT)) {
            for (int round = 0; round < 4; round++) {
                for (int k = 0; k < 50; k++) {
                    f.put(k, k * 10 + round, 100 + round);
                }
                f.flush();
            }
            Set<Integer> before = f.generations();
            assertEquals(4, before.size());
            Compaction.Result r = f.major();
            assertTrue(r.swapped());
            assertEquals(1, f.sstables().size());
            assertFalse(before.contains(f.generations().iterator().next()));
            for (int k = 0; k < 50; k++) {
                assertEquals(k * 10 + 3, f.get(k));
            }
            assertEquals(50, f.sstables().get(0).stats().partitionCount());
            for (String file : f.files()) {
                assertTrue(file.startsWith("sa-" + f.generations().iterator().next() + "-"), "left over: " + file);
            }
            CompactionStats stats = f.store().stats().compaction();
            assertEquals(1, stats.compactionsCompleted());
            assertTrue(stats.writeAmplification() > 1.0);
            assertTrue(stats.bytesCompacted() > 0 && stats.bytesCompacted() < stats.bytesCompactedRead());
        }
    }

    @Test
    void tombstonesPastGcGraceArePurgedWhenNothingOutsideHoldsTheKey() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, gcGrace(0))) {
            f.put(1, 10, 100);
            f.put(2, 20, 100);
            f.flush();
            f.delete(1, 200, NOW - 10);
            f.flush();
            Compaction.Result r = f.major();
            assertEquals(1, r.tombstonesPurged());
            assertEquals(0, f.tombstonesOnDisk());
            assertNull(f.get(1));
            assertEquals(20, f.get(2));
        }
    }

    @Test
    void everythingPurgedLeavesNoSSTable() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, gcGrace(0))) {
            f.put(1, 10, 100);
            f.flush();
            f.delete(1, 200, NOW - 10);
            f.flush();
            f.major();
            assertTrue(f.sstables().isEmpty());
            assertEquals(List.of("replay_floor"), f.files(), "no SSTable left; the flushed bound is recorded");
            assertNull(f.get(1));
        }
    }

    @Test
    void tombstonesWithinGcGraceAreKept() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, gcGrace(3600))) {
            f.put(1, 10, 100);
            f.flush();
            f.delete(1, 200, NOW - 10);
            f.flush();
            assertEquals(0, f.major().tombstonesPurged());
            assertEquals(1, f.tombstonesOnDisk());
            assertNull(f.get(1));
        }
    }

    @Test
    void aTombstoneShadowingDataInAnSSTableOutsideTheCompactionIsKept() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, gcGrace(0))) {
            f.put(1, 10, 100);
            f.flush();
            int older = f.generations().iterator().next();
            f.delete(1, 200, NOW - 10);
            f.flush();
            int tombstones = f.generations().stream().filter(g -> g != older).findFirst().orElseThrow();
            Compaction.Result r = f.run(new CompactionTask(CompactionTask.Kind.TOMBSTONE, List.of(tombstones), 0,
                    Long.MAX_VALUE, "test"));
            assertEquals(0, r.tombstonesPurged(), "the older SSTable still holds k=1 at a lower timestamp");
            assertNull(f.get(1), "deleted data must not come back");
            f.major();
            assertNull(f.get(1));
            assertTrue(f.sstables().isEmpty(), "with both in one compaction, data and tombstone both go");
        }
    }

    @Test
    void aTombstoneShadowingMemtableDataIsKept() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, gcGrace(0))) {
            f.delete(1, 200, NOW - 10);
            f.flush();
            f.put(1, 10, 100); // older than the tombstone, still in the memtable
            assertEquals(0, f.major().tombstonesPurged());
            assertNull(f.get(1));
            f.flush();
            f.major();
            assertNull(f.get(1));
        }
    }

    @Test
    void aTombstoneNewerThanEverythingOutsideIsPurgedEvenIfTheKeyIsThere() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, gcGrace(0))) {
            f.delete(1, 200, NOW - 10);
            f.flush();
            int tombstones = f.generations().iterator().next();
            f.put(1, 10, 300); // newer than the tombstone: nothing there for it to shadow
            f.flush();
            Compaction.Result r = f.run(new CompactionTask(CompactionTask.Kind.TOMBSTONE, List.of(tombstones), 0,
                    Long.MAX_VALUE, "test"));
            assertEquals(1, r.tombstonesPurged());
            assertEquals(10, f.get(1));
        }
    }

    @Test
    void expiredTtlCellsBecomeTombstonesThenArePurgedAfterGcGrace() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, gcGrace(3600))) {
            f.putWithTtl(1, 10, 100, 60, NOW - 600); // expired 540 s ago, written 600 s ago
            f.put(2, 20, 100);
            f.flush();
            f.major();
            SSTableReader out = f.sstables().get(0);
            assertEquals(1, out.stats().tombstoneCount(), "the expired cell is now a tombstone");
            assertNull(f.get(1));
        }
        try (CompactionFixture f = new CompactionFixture(dir.resolve("b"), gcGrace(60))) {
            f.putWithTtl(1, 10, 100, 60, NOW - 600);
            f.put(2, 20, 100);
            f.flush();
            assertTrue(f.major().tombstonesPurged() >= 1);
            assertEquals(0, f.tombstonesOnDisk());
            assertNull(f.get(1));
            assertEquals(20, f.get(2));
        }
    }

    @Test
    void twcsDropsFullyExpiredSSTablesWithoutRewriting() throws Exception {
        TableParams twcs = gcGrace(0).withCompaction(Map.of("class", "TimeWindowCompactionStrategy",
                "compaction_window_unit", "MINUTES"));
        try (CompactionFixture f = new CompactionFixture(dir, twcs)) {
            long oldTs = (NOW_MILLIS - 3_600_000) * 1000;
            for (int k = 0; k < 20; k++) {
                f.putWithTtl(k, k, oldTs, 60, NOW - 3600);
            }
            f.flush();
            int expired = f.generations().iterator().next();
            for (int k = 100; k < 120; k++) {
                f.put(k, k, NOW_MILLIS * 1000);
            }
            f.flush();
            int live = f.generations().stream().filter(g -> g != expired).findFirst().orElseThrow();
            CompactionPlanner planner = CompactionPlanner.of(f.store().compactionParams());
            CompactionTask task = planner.next(f.store().planInput(NOW_MILLIS)).orElseThrow();
            assertEquals(CompactionTask.Kind.DROP_EXPIRED, task.kind());
            assertEquals(List.of(expired), task.inputs());
            f.run(task);
            assertEquals(Set.of(live), f.generations(), "the live SSTable is untouched, not rewritten");
            assertTrue(f.files().stream().noneMatch(n -> n.startsWith("sa-" + expired + "-")));
            assertEquals(1, f.store().stats().compaction().sstablesDropped());
            assertEquals(105, f.get(105));
            assertNull(f.get(5));
        }
    }

    @Test
    void outputsAreCutAtMaxOutputBytesAndDoNotOverlap() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, TableParams.DEFAULT)) {
            for (int round = 0; round < 2; round++) {
                for (int k = 0; k < 300; k++) {
                    f.put(k, k + round, 100 + round);
                }
                f.flush();
            }
            List<Integer> in = new ArrayList<>(f.generations());
            Compaction.Result r = f.run(new CompactionTask(CompactionTask.Kind.MERGE, in, 1, 2000, "test"));
            assertTrue(r.outputs().size() > 1, "outputs: " + r.outputs());
            List<SSTableReader> out = new ArrayList<>(f.sstables());
            out.sort(Comparator.comparing(SSTableReader::first));
            for (int i = 1; i < out.size(); i++) {
                assertTrue(out.get(i - 1).last().compareTo(out.get(i).first()) < 0);
                assertEquals(1, out.get(i).stats().level());
            }
            for (int k = 0; k < 300; k++) {
                assertEquals(k + 1, f.get(k));
            }
        }
    }

    @Test
    void readersKeepReplacedSSTablesUntilTheyFinish() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, TableParams.DEFAULT)) {
            f.put(1, 10, 100);
            f.flush();
            f.put(2, 20, 100);
            f.flush();
            SSTableReader held = f.sstables().get(0);
            assertTrue(held.tryRef()); // a read in progress
            f.major();
            assertTrue(Files.exists(held.descriptor().path(io.sibyl.storage.sstable.Component.DATA)));
            assertEquals(1, f.files().stream().filter(n -> n.startsWith("txn-")).count(),
                    "the log stays until the replaced files are gone");
            held.unref();
            assertFalse(Files.exists(held.descriptor().path(io.sibyl.storage.sstable.Component.DATA)));
            assertEquals(0, f.files().stream().filter(n -> n.startsWith("txn-")).count());
        }
    }

    @Test
    void aTruncateDuringCompactionWins() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, TableParams.DEFAULT)) {
            f.put(1, 10, 100);
            f.flush();
            f.put(2, 20, 100);
            f.flush();
            Compaction c = Compaction.prepare(f.store(), CompactionPlanner.of(f.store().compactionParams())
                    .major(f.store().planInput(NOW_MILLIS)).orElseThrow(), CompactionThrottle.unthrottled(), NOW_MILLIS,
                    step -> {
                        if (step == Compaction.Step.OUTPUT_WRITTEN) {
                            f.engine.truncate(CompactionFixture.ID);
                        }
                    }).orElseThrow();
            assertFalse(c.run().swapped());
            assertTrue(f.sstables().isEmpty());
            // auto_snapshot linked the compaction's inputs before the truncate: only the snapshot is left
            assertEquals(List.of("snapshots"), f.files(), f.files().toString());
            assertNull(f.get(1));
        }
    }
}
