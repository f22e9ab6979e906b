package io.sibyl.storage.lifecycle;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.SSTableConfig;
import io.sibyl.storage.sstable.SSTableDirectory;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.sstable.SSTableWriter;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Tracker's invariants, one test each, and a model-based property over random compaction histories. */
class TrackerTest {

    static final TableMetadata KV = TestTables.kv();

    @TempDir
    Path dir;

    /** An SSTable of one row whose commit-log upper bound is (segment, 0). */
    static SSTableReader sstable(SSTableDirectory d, long segment) {
        Memtable m = new Memtable(KV);
        m.apply(PartitionUpdate.builder(KV, TestTables.key(segment)).add(Row.of(Clustering.EMPTY,
                LivenessInfo.create(1, 0, 1000), DeletionTime.LIVE, List.of(Cell.live("v", TestTypes.bigint(segment), 1)),
                Map.of())).build());
        try {
            SSTableWriter w = SSTableWriter.create(d.newDescriptor(), KV, SSTableConfig.DEFAULT, m.partitionCount(),
                    m.minTimestamp(), new CommitLogPosition(segment, 0), 0);
            m.iterator(KeyRange.all()).forEachRemaining(w::append);
            return w.finish(KV);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SSTableDirectory directory() {
        SSTableDirectory d = new SSTableDirectory(dir);
        d.cleanupAndList();
        return d;
    }

    static int gen(SSTableReader r) {
        return r.descriptor().generation();
    }

    static boolean released(SSTableReader r) {
        return r.onRelease().toCompletableFuture().isDone();
    }

    @Test
    void aFlushedMemtableAndItsSSTableSwapInOneStep() {
        SSTableDirectory d = directory();
        Memtable first = new Memtable(KV);
        Tracker t = new Tracker(first, dir);
        Memtable fresh = new Memtable(KV);
        Memtable old = t.switchMemtable(fresh, () -> new CommitLogPosition(3, 7));
        assertSame(first, old);
        assertTrue(old.isSwitched());
        assertEquals(new CommitLogPosition(3, 7), old.commitLogUpperBound());
        View before = t.view();
        assertSame(fresh, before.current());
        assertEquals(List.of(old), before.flushing());

        SSTableReader s = sstable(d, 3);
        assertTrue(t.replaceFlushed(old, s));
        assertEquals(List.of(), t.view().flushing());
        assertEquals(List.of(s), t.view().live());
        assertEquals(List.of(old), before.flushing(), "a View never changes: readers holding it are unaffected");
        assertEquals(List.of(), before.live());
    }

    @Test
    void theSSTableOfATruncatedMemtableIsDeletedNotInstalled() throws Exception {
        SSTableDirectory d = directory();
        Tracker t = new Tracker(new Memtable(KV), dir);
        Memtable old = t.switchMemtable(new Memtable(KV), () -> CommitLogPosition.NONE);
        t.reset(new Memtable(KV));
        SSTableReader s = sstable(d, 1);
        assertFalse(t.replaceFlushed(old, s));
        assertEquals(List.of(), t.view().live());
        assertTrue(s.onRelease().toCompletableFuture().get(), "its files are deleted");
    }

    @Test
    void aCompactionClaimsEachLiveSSTableOnceAndHoldsAReference() throws Exception {
        SSTableDirectory d = directory();
        Tracker t = new Tracker(new Memtable(KV), dir);
        SSTableReader a = sstable(d, 1);
        SSTableReader b = sstable(d, 2);
        t.load(List.of(a, b));

        assertEquals(List.of(a), t.tryMarkCompacting(List.of(gen(a))));
        assertNull(t.tryMarkCompacting(List.of(gen(a))), "already claimed");
        assertNull(t.tryMarkCompacting(List.of(gen(b), gen(a))), "one of them claimed: nothing claimed");
        assertNull(t.tryMarkCompacting(List.of(gen(b), gen(b))), "the same SSTable twice");
        assertNull(t.tryMarkCompacting(List.of(999)), "not live");
        assertEquals(Set.of(gen(a)), t.view().compactingGenerations());

        SSTableReader merged = sstable(d, 1);
        AtomicBoolean committed = new AtomicBoolean();
        assertTrue(t.replaceSSTables(List.of(a), List.of(merged), () -> committed.set(true)));
        assertTrue(committed.get());
        assertEquals(Set.of(b, merged), Set.copyOf(t.view().live()));
        assertEquals(Set.of(), t.view().compacting(), "the compacting set stays within the live set");
        assertFalse(released(a), "the compaction still holds its reference");
        t.unmarkCompacting(List.of(a));
        assertTrue(a.onRelease().toCompletableFuture().get(), "obsolete and unreferenced: deleted");
        assertFalse(released(b));
    }

    @Test
    void aSwapRefusesWhenAnInputIsGoneOrTheTableIsClosed() {
        SSTableDirectory d = directory();
        Tracker t = new Tracker(new Memtable(KV), dir);
        SSTableReader a = sstable(d, 1);
        t.load(List.of(a));
        List<SSTableReader> claimed = t.tryMarkCompacting(List.of(gen(a)));
        assertNotNull(claimed);
        View truncated = t.reset(new Memtable(KV));
        assertEquals(List.of(a), truncated.live());
        AtomicBoolean committed = new AtomicBoolean();
        assertFalse(t.replaceSSTables(claimed, List.of(), () -> committed.set(true)));
        assertFalse(committed.get(), "the commit point runs only for a swap that happens");

        SSTableReader b = sstable(d, 2);
        t.load(List.of(b));
        t.close();
        assertNull(t.tryMarkCompacting(List.of(gen(b))), "no claims after shutdown");
        assertFalse(t.replaceSSTables(List.of(b), List.of(), () -> committed.set(true)));
        assertEquals(List.of(b), t.view().live());
    }

    @Test
    void aDroppedTableInstallsNothing() {
        SSTableDirectory d = directory();
        Tracker t = new Tracker(new Memtable(KV), dir);
        Memtable old = t.switchMemtable(new Memtable(KV), () -> CommitLogPosition.NONE);
        t.drop(new Memtable(KV));
        assertTrue(t.isDropped());
        assertFalse(t.replaceFlushed(old, sstable(d, 1)));
        assertEquals(List.of(), t.view().live());
    }

    @Test
    void theViewRejectsCompactingSSTablesThatAreNotLive() {
        SSTableReader a = sstable(directory(), 1);
        assertThrows(IllegalStateException.class, () -> new View(new Memtable(KV), List.of(), List.of(), Set.of(a)));
    }

    @Test
    void theReplayFloorNeverMovesBackAndSurvivesARestart() {
        SSTableDirectory d = directory();
        Tracker t = new Tracker(new Memtable(KV), dir);
        SSTableReader five = sstable(d, 5);
        SSTableReader nine = sstable(d, 9);
        t.load(List.of(five, nine));
        assertEquals(new CommitLogPosition(9, 0), t.replayFloor());

        SSTableReader seven = sstable(d, 7);
        t.tryMarkCompacting(List.of(gen(five)));
        assertTrue(t.replaceSSTables(List.of(five), List.of(seven), () -> { }));
        assertFalse(Files.exists(dir.resolve(ReplayFloor.FILE)), "the highest bound stayed: nothing to record");

        t.tryMarkCompacting(List.of(gen(nine)));
        assertTrue(t.replaceSSTables(List.of(nine), List.of(), () -> { }), "a compaction that purged everything");
        assertEquals(new CommitLogPosition(7, 0), t.view().maxLiveUpperBound());
        assertEquals(new CommitLogPosition(9, 0), t.replayFloor());

        Tracker reopened = new Tracker(new Memtable(KV), dir);
        reopened.load(List.of());
        assertEquals(new CommitLogPosition(9, 0), reopened.replayFloor());
    }

    @Test
    void aReadReferencesEveryLiveSSTableOfOneView() throws Exception {
        SSTableDirectory d = directory();
        Tracker t = new Tracker(new Memtable(KV), dir);
        SSTableReader a = sstable(d, 1);
        t.load(List.of(a));
        View read = t.selectAndReference();
        t.tryMarkCompacting(List.of(gen(a)));
        assertTrue(t.replaceSSTables(List.of(a), List.of(), () -> { }));
        t.unmarkCompacting(List.of(a));
        assertFalse(released(a), "a running read keeps the replaced SSTable open");
        Tracker.release(read);
        assertTrue(a.onRelease().toCompletableFuture().get());
    }

    // ---- model-based: random flushes, claims, swaps, aborts and truncates ----

    sealed interface Op permits Flush, Claim, Finish, Abort, Truncate {
    }

    record Flush(long segment) implements Op {
    }

    /** Claims the live SSTables at these positions of the live list (modulo its size). */
    record Claim(List<Integer> picks) implements Op {
    }

    /** Finishes the claim at this position of the open claims, writing {@code outputs} SSTables. */
    record Finish(int claim, int outputs) implements Op {
    }

    record Abort(int claim) implements Op {
    }

    record Truncate() implements Op {
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> op = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 50).map(Flush::new),
                Arbitraries.integers().between(0, 9).list().ofMinSize(1).ofMaxSize(3).map(Claim::new),
                Arbitraries.integers().between(0, 3).flatMap(c -> Arbitraries.integers().between(0, 2)
                        .map(o -> (Op) new Finish(c, o))),
                Arbitraries.integers().between(0, 3).map(Abort::new),
                Arbitraries.just(new Truncate()).map(x -> (Op) x));
        return op.list().ofMinSize(1).ofMaxSize(14);
    }

    /**
     * Whatever the history: the live set is what the model says, a claim succeeds exactly when its
     * SSTables are live, unclaimed and distinct, the compacting set is the claimed live SSTables, and an
     * SSTable's files are released exactly when it is neither live nor held by a claim.
     */
    @Property(tries = 40)
    void theTrackerFollowsTheModel(@ForAll("histories") List<Op> history) throws IOException {
        Path tableDir = Files.createTempDirectory("tracker-prop");
        try {
            SSTableDirectory d = new SSTableDirectory(tableDir);
            d.cleanupAndList();
            Tracker t = new Tracker(new Memtable(KV), tableDir);
            List<SSTableReader> live = new ArrayList<>();
            List<List<SSTableReader>> claims = new ArrayList<>();
            List<SSTableReader> everyone = new ArrayList<>();
            for (Op op : history) {
                if (op instanceof Flush f) {
                    Memtable m = t.switchMemtable(new Memtable(KV), () -> new CommitLogPosition(f.segment(), 0));
                    SSTableReader s = sstable(d, f.segment());
                    everyone.add(s);
                    assertTrue(t.replaceFlushed(m, s));
                    live.add(s);
                } else if (op instanceof Claim c) {
                    if (live.isEmpty()) {
                        continue;
                    }
                    List<SSTableReader> wanted = new ArrayList<>();
                    for (int p : c.picks()) {
                        wanted.add(live.get(p % live.size()));
                    }
                    Set<SSTableReader> claimed = new HashSet<>();
                    claims.forEach(claimed::addAll);
                    boolean expected = Set.copyOf(wanted).size() == wanted.size()
                            && wanted.stream().noneMatch(claimed::contains);
                    List<SSTableReader> got = t.tryMarkCompacting(wanted.stream().map(TrackerTest::gen).toList());
                    assertEquals(expected, got != null, "claim of " + wanted);
                    if (got != null) {
                        assertEquals(wanted, got);
                        claims.add(got);
                    }
                } else if (op instanceof Finish f) {
                    if (claims.isEmpty()) {
                        continue;
                    }
                    List<SSTableReader> in = claims.remove(f.claim() % claims.size());
                    List<SSTableReader> out = new ArrayList<>();
                    for (int i = 0; i < f.outputs(); i++) {
                        SSTableReader s = sstable(d, 1);
                        everyone.add(s);
                        out.add(s);
                    }
                    boolean expected = live.containsAll(in);
                    assertEquals(expected, t.replaceSSTables(in, out, () -> { }));
                    if (expected) {
                        live.removeAll(in);
                        live.addAll(out);
                    } else {
                        out.forEach(SSTableReader::markObsolete); // what Compaction does on a refused swap
                    }
                    t.unmarkCompacting(in);
                } else if (op instanceof Abort a) {
                    if (!claims.isEmpty()) {
                        t.unmarkCompacting(claims.remove(a.claim() % claims.size()));
                    }
                } else {
                    t.reset(new Memtable(KV)).live().forEach(SSTableReader::markObsolete);
                    live.clear();
                }
                View v = t.view();
                assertEquals(live, v.live());
                Set<SSTableReader> held = new HashSet<>();
                claims.forEach(held::addAll);
                Set<SSTableReader> compacting = new HashSet<>(held);
                compacting.retainAll(live);
                assertEquals(compacting, v.compacting());
                for (SSTableReader s : everyone) {
                    assertEquals(!live.contains(s) && !held.contains(s), released(s), "released: " + s.descriptor());
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(tableDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
