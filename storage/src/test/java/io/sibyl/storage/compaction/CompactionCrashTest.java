package io.sibyl.storage.compaction;

import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.sstable.Component;
import io.sibyl.storage.sstable.Descriptor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crash at every step of a compaction (the hook throws an Error, which skips all cleanup, then the engine
 * stops without flushing or deleting anything): after restart exactly the old set or exactly the new set
 * is live, no transaction log is left, and every value reads back.
 */
class CompactionCrashTest {

    /** Stands for the process dying: an Error, so no catch block cleans anything up. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(Compaction.Step step) {
            super("simulated crash at " + step);
        }
    }

    @TempDir
    Path dir;

    private static final int KEYS = 200;

    private CompactionFixture loaded() throws Exception {
        CompactionFixture f = new CompactionFixture(dir, TableParams.DEFAULT);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < KEYS; k++) {
                if (k % 3 != round) {
                    f.put(k, k * 100 + round, 100 + round);
                }
            }
            f.flush();
        }
        return f;
    }

    private static long expected(int k) {
        int last = -1;
        for (int round = 0; round < 3; round++) {
            if (k % 3 != round) {
                last = round;
            }
        }
        return k * 100L + last;
    }

    private static void assertAllReadable(CompactionFixture f) {
        for (int k = 0; k < KEYS; k++) {
            assertEquals(expected(k), f.get(k), "k=" + k);
        }
    }

    private CompactionTask splitMajor(CompactionFixture f) {
        // Several outputs, so a crash can fall between two of them.
        return new CompactionTask(CompactionTask.Kind.MAJOR, List.copyOf(f.generations()), 0, 2000, "test");
    }

    @ParameterizedTest
    @EnumSource(Compaction.Step.class)
    void aCrashAtAnyStepLeavesTheOldOrTheNewSet(Compaction.Step crashAt) throws Exception {
        try (CompactionFixture f = loaded()) {
            Set<Integer> old = f.generations();
            assertThrows(SimulatedCrash.class, () -> f.run(splitMajor(f), step -> {
                if (step == crashAt) {
                    throw new SimulatedCrash(step);
                }
            }));
            f.crashAndRestart();
            Set<Integer> now = f.generations();
            boolean committed = crashAt == Compaction.Step.COMMITTED || crashAt == Compaction.Step.SWAPPED;
            if (committed) {
                assertTrue(disjoint(old, now) && !now.isEmpty(), "new set expected, got " + now + " (old " + old + ")");
                assertTrue(now.size() > 1, "the split outputs: " + now);
            } else {
                assertEquals(old, now, "old set expected");
            }
            assertTrue(f.files().stream().noneMatch(n -> n.startsWith("txn-") || n.startsWith("tmp-")), f.files().toString());
            assertAllReadable(f);
            // The table compacts normally afterwards, and new generations never reuse old numbers.
            f.major();
            assertEquals(1, f.sstables().size());
            int gen = f.generations().iterator().next();
            assertFalse(old.contains(gen));
            assertAllReadable(f);
        }
    }

    @Test
    void aTornCommitLineMeansNotCommitted() throws Exception {
        try (CompactionFixture f = loaded()) {
            Set<Integer> old = f.generations();
            assertThrows(SimulatedCrash.class, () -> f.run(splitMajor(f), step -> {
                if (step == Compaction.Step.OUTPUT_WRITTEN) {
                    throw new SimulatedCrash(step);
                }
            }));
            Path log = txnLog(f);
            Files.writeString(log, "commit:0:", StandardCharsets.UTF_8, StandardOpenOption.APPEND); // torn mid-line
            f.crashAndRestart();
            assertEquals(old, f.generations());
            assertAllReadable(f);
        }
    }

    @Test
    void aCommitWithAWrongChecksumMeansNotCommitted() throws Exception {
        try (CompactionFixture f = loaded()) {
            Set<Integer> old = f.generations();
            assertThrows(SimulatedCrash.class, () -> f.run(splitMajor(f), step -> {
                if (step == Compaction.Step.OUTPUT_WRITTEN) {
                    throw new SimulatedCrash(step);
                }
            }));
            Files.writeString(txnLog(f), "commit:0:deadbeef\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            f.crashAndRestart();
            assertEquals(old, f.generations());
            assertAllReadable(f);
        }
    }

    @Test
    void aCrashWhileDeletingTheReplacedFilesFinishesTheDeletionAtStart() throws Exception {
        try (CompactionFixture f = loaded()) {
            Set<Integer> old = f.generations();
            assertThrows(SimulatedCrash.class, () -> f.run(splitMajor(f), step -> {
                if (step == Compaction.Step.COMMITTED) {
                    throw new SimulatedCrash(step);
                }
            }));
            Path tableDir = f.store().sstableDirectory().path();
            int first = old.iterator().next();
            // Part of the deletion happened: one generation gone entirely, another lost its TOC only.
            for (Component c : Component.values()) {
                Files.deleteIfExists(new Descriptor(tableDir, first).path(c));
            }
            int second = old.stream().skip(1).findFirst().orElseThrow();
            Files.deleteIfExists(new Descriptor(tableDir, second).path(Component.TOC));
            f.crashAndRestart();
            assertTrue(disjoint(old, f.generations()));
            assertAllReadable(f);
            assertTrue(f.files().stream().noneMatch(n -> n.startsWith("sa-" + second + "-")));
        }
    }

    /**
     * A compaction that purges everything leaves no SSTable to carry the commit-log position the table was
     * flushed up to. Replay must still skip what was flushed: here a write older than a purged tombstone
     * sits in the live segment while the tombstone's segment is gone, and must not come back.
     */
    @Test
    void aCompactionThatPurgesEverythingKeepsTheReplayFloor() throws Exception {
        try (CompactionFixture f = new CompactionFixture(dir, CompactionFixture.gcGrace(0),
                CompactionFixture.SETTINGS.withCommitLog(CompactionFixture.SETTINGS.commitLog().withSegmentSize(4096)))) {
            f.delete(1, 200, CompactionFixture.NOW - 10);
            for (int i = 0; i < 60; i++) { // fill the tombstone's segment so it is finished and deleted on flush
                f.put(1000 + i, i, 50);
            }
            for (int i = 0; i < 60; i++) {
                f.delete(1000 + i, 60, CompactionFixture.NOW - 10);
            }
            f.put(1, 10, 100); // older than the tombstone: deleted data, in the newest segment
            f.flush();
            assertEquals(null, f.get(1));
            f.major();
            assertTrue(f.sstables().isEmpty(), "everything was purgeable");
            // kill -9 leaves the live segment in place (a clean close would delete it, nothing being dirty).
            Path log = dir.resolve("commitlog");
            java.util.Map<Path, byte[]> segments = new java.util.HashMap<>();
            try (var l = Files.list(log)) {
                for (Path p : l.toList()) {
                    segments.put(p, Files.readAllBytes(p));
                }
            }
            f.engine.closeWithoutFlush().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
            for (var e : segments.entrySet()) {
                Files.write(e.getKey(), e.getValue());
            }
            f.open();
            assertEquals(null, f.get(1), "replay brought back data deleted before the flush");
        }
    }

    private static Path txnLog(CompactionFixture f) throws Exception {
        Path tableDir = f.store().sstableDirectory().path();
        try (var s = Files.list(tableDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("txn-")).findFirst().orElseThrow();
        }
    }

    private static boolean disjoint(Set<Integer> a, Set<Integer> b) {
        Set<Integer> i = new HashSet<>(a);
        i.retainAll(b);
        return i.isEmpty();
    }
}
