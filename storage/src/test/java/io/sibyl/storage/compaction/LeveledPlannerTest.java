package io.sibyl.storage.compaction;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.sibyl.storage.compaction.PlannerFixtures.MB;
import static io.sibyl.storage.compaction.PlannerFixtures.input;
import static io.sibyl.storage.compaction.PlannerFixtures.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeveledPlannerTest {

    private final PlannerFixtures f = new PlannerFixtures();
    private final LeveledPlanner lcs = new LeveledPlanner(params("LeveledCompactionStrategy", "sstable_size_in_mb", "10"));

    @Test
    void levelBudgetsGrowByFanout() {
        assertEquals(100 * MB, lcs.maxBytesForLevel(1));
        assertEquals(1000 * MB, lcs.maxBytesForLevel(2));
        LeveledPlanner dflt = new LeveledPlanner(params("LeveledCompactionStrategy"));
        assertEquals(160 * MB * 10, dflt.maxBytesForLevel(1));
    }

    @Test
    void l0GoesIntoL1WithTheOverlappingL1SSTables() {
        List<SSTableInfo> s = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            s.add(f.sstable(2 * MB, 0, 100, 200)); // generations 1..4
        }
        s.add(f.sstable(10 * MB, 1, 0, 99));     // 5: no overlap
        s.add(f.sstable(10 * MB, 1, 150, 400));  // 6: overlaps
        s.add(f.sstable(10 * MB, 1, 401, 900));  // 7: no overlap
        CompactionTask t = lcs.next(input(s)).orElseThrow();
        assertEquals(Set.of(1, 2, 3, 4, 6), new HashSet<>(t.inputs()));
        assertEquals(1, t.outputLevel());
        assertEquals(10 * MB, t.maxOutputBytes());
    }

    @Test
    void fewSmallL0SSTablesWait() {
        List<SSTableInfo> s = List.of(f.sstable(MB, 0, 0, 10), f.sstable(MB, 0, 0, 10));
        assertTrue(lcs.next(input(s)).isEmpty());
        assertTrue(lcs.next(input(List.of(f.sstable(11 * MB, 0, 0, 10)))).isPresent(), "a full SSTable's worth goes up");
    }

    @Test
    void aLevelOverItsBudgetPushesTheSSTableOverlappingLeastOfTheNextLevel() {
        List<SSTableInfo> s = new ArrayList<>();
        for (int i = 0; i < 11; i++) { // 110 MB in L1 > 100 MB budget
            s.add(f.sstable(10 * MB, 1, i * 100L, i * 100L + 99));
        }
        s.add(f.sstable(10 * MB, 2, 0, 50));     // 12 overlaps generation 1
        s.add(f.sstable(10 * MB, 2, 51, 150));   // 13 overlaps generations 1 and 2
        s.add(f.sstable(10 * MB, 2, 151, 1050)); // 14 overlaps generations 2..11
        CompactionTask t = lcs.next(input(s)).orElseThrow();
        // Generations 2..11 each overlap one or two L2 SSTables; 1 overlaps two (12, 13). The least overlap
        // ratio is an L1 SSTable touching a single L2 SSTable: 3..10 touch only 14; 3 is the oldest.
        assertEquals(Set.of(3, 14), new HashSet<>(t.inputs()));
        assertEquals(2, t.outputLevel());
    }

    @Test
    void higherLevelsComeFirst() {
        List<SSTableInfo> s = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            s.add(f.sstable(10 * MB, 1, i * 100L, i * 100L + 99));
        }
        for (int i = 0; i < 101; i++) {
            s.add(f.sstable(10 * MB, 2, 10_000 + i * 100L, 10_000 + i * 100L + 99));
        }
        assertEquals(3, lcs.next(input(s)).orElseThrow().outputLevel());
    }

    @Test
    void l0ThatFellBehindIsSizeTieredWithinL0() {
        List<SSTableInfo> s = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            s.add(f.sstable(MB, 0, 0, 1000));
        }
        CompactionTask t = lcs.next(input(s)).orElseThrow();
        assertEquals(0, t.outputLevel());
        assertEquals(32, t.inputs().size());
    }

    @Test
    void aLevelWithACompactionRunningIsLeftAlone() {
        List<SSTableInfo> s = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            s.add(f.sstable(2 * MB, 0, 100, 200));
        }
        s.add(f.sstable(10 * MB, 1, 150, 400)); // 5
        PlanInput busy = new PlanInput(s, Set.of(5), PlannerFixtures.GC_BEFORE, PlannerFixtures.NOW_MILLIS, Long.MAX_VALUE);
        assertTrue(lcs.next(busy).isEmpty(), "L1 is being compacted: an L0→L1 now could overlap its output");
    }

    @Test
    void majorCompactionGoesToL1CutBySize() {
        CompactionTask t = lcs.major(input(f.many(3, MB))).orElseThrow();
        assertEquals(CompactionTask.Kind.MAJOR, t.kind());
        assertEquals(1, t.outputLevel());
        assertEquals(10 * MB, t.maxOutputBytes());
    }
}
