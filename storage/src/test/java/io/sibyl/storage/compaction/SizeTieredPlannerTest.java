package io.sibyl.storage.compaction;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.sibyl.storage.compaction.PlannerFixtures.MB;
import static io.sibyl.storage.compaction.PlannerFixtures.input;
import static io.sibyl.storage.compaction.PlannerFixtures.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeTieredPlannerTest {

    private final PlannerFixtures f = new PlannerFixtures();
    private final SizeTieredPlanner stcs = new SizeTieredPlanner(params("SizeTieredCompactionStrategy",
            "min_sstable_size", "0"));

    @Test
    void fewerThanMinThresholdSimilarSSTablesWait() {
        assertTrue(stcs.next(input(f.many(3, 100 * MB))).isEmpty());
    }

    @Test
    void fourSimilarSSTablesAreMerged() {
        List<SSTableInfo> s = f.many(4, 100 * MB);
        CompactionTask t = stcs.next(input(s)).orElseThrow();
        assertEquals(Set.of(1, 2, 3, 4), new HashSet<>(t.inputs()));
        assertEquals(CompactionTask.Kind.MERGE, t.kind());
        assertEquals(0, t.outputLevel());
    }

    @Test
    void sizesOutsideTheBucketBoundsAreNotMixed() {
        List<SSTableInfo> s = new ArrayList<>();
        s.add(f.sstable(10 * MB));
        s.add(f.sstable(11 * MB));
        s.add(f.sstable(12 * MB));
        s.add(f.sstable(1000 * MB)); // far above 1.5 × the bucket average
        assertTrue(stcs.next(input(s)).isEmpty());
        s.add(f.sstable(9 * MB));
        CompactionTask t = stcs.next(input(s)).orElseThrow();
        assertEquals(Set.of(1, 2, 3, 5), new HashSet<>(t.inputs()));
    }

    @Test
    void smallSSTablesShareOneBucketBelowMinSSTableSize() {
        SizeTieredPlanner withMin = new SizeTieredPlanner(params("SizeTieredCompactionStrategy")); // 50 MiB
        List<SSTableInfo> s = List.of(f.sstable(1 * MB), f.sstable(5 * MB), f.sstable(20 * MB), f.sstable(40 * MB));
        assertEquals(4, withMin.next(input(s)).orElseThrow().inputs().size());
        assertTrue(stcs.next(input(s)).isEmpty(), "without min_sstable_size these sizes are all different");
    }

    @Test
    void atMostMaxThresholdSmallestFirst() {
        List<SSTableInfo> s = f.many(40, 100 * MB);
        CompactionTask t = stcs.next(input(s)).orElseThrow();
        assertEquals(32, t.inputs().size());
        assertEquals(2, stcs.estimatedPendingTasks(input(s)));
    }

    @Test
    void theBucketWithMoreSSTablesWins() {
        List<SSTableInfo> s = new ArrayList<>(f.many(4, 100 * MB));
        s.addAll(f.many(6, 1000 * MB));
        CompactionTask t = stcs.next(input(s)).orElseThrow();
        assertEquals(6, t.inputs().size());
        assertTrue(t.inputs().stream().allMatch(g -> g > 4));
    }

    @Test
    void compactingSSTablesAreNotPickedAgain() {
        List<SSTableInfo> s = f.many(5, 100 * MB);
        PlanInput in = new PlanInput(s, Set.of(1, 2), PlannerFixtures.GC_BEFORE, PlannerFixtures.NOW_MILLIS, Long.MAX_VALUE);
        assertTrue(stcs.next(in).isEmpty(), "3 available is below min_threshold");
    }

    @Test
    void minThresholdOptionIsHonoured() {
        SizeTieredPlanner two = new SizeTieredPlanner(params("SizeTieredCompactionStrategy", "min_threshold", "2",
                "min_sstable_size", "0"));
        assertEquals(2, two.next(input(f.many(2, MB))).orElseThrow().inputs().size());
    }

    @Test
    void singleSSTableTombstoneCompactionWhenRatioPassesThreshold() {
        SSTableInfo old = new SSTableInfo(7, 100 * MB, 100 * MB, 0, 100, 1, 5, Integer.MAX_VALUE, 0, 300, 1000,
                PlannerFixtures.NOW_MILLIS - 2 * 86_400_000L);
        SSTableInfo low = new SSTableInfo(8, 900 * MB, 900 * MB, 200, 300, 1, 5, Integer.MAX_VALUE, 0, 100, 1000,
                PlannerFixtures.NOW_MILLIS - 2 * 86_400_000L);
        Optional<CompactionTask> t = stcs.next(input(List.of(old, low)));
        assertEquals(List.of(7), t.orElseThrow().inputs());
        assertEquals(CompactionTask.Kind.TOMBSTONE, t.get().kind());
    }

    @Test
    void tombstoneCompactionWaitsForTheIntervalAndForOverlappingOlderData() {
        long now = PlannerFixtures.NOW_MILLIS;
        SSTableInfo young = new SSTableInfo(7, MB, MB, 0, 100, 10, 50, Integer.MAX_VALUE, 0, 500, 1000, now - 3_600_000);
        assertTrue(stcs.next(input(List.of(young))).isEmpty(), "younger than tombstone_compaction_interval");
        SSTableInfo old = new SSTableInfo(7, MB, MB, 0, 100, 10, 50, Integer.MAX_VALUE, 0, 500, 1000, now - 2 * 86_400_000L);
        SSTableInfo olderDataOverlapping = new SSTableInfo(8, 900 * MB, 900 * MB, 50, 300, 5, 6, Integer.MAX_VALUE, 0, 0,
                1000, now);
        assertTrue(stcs.next(input(List.of(old, olderDataOverlapping))).isEmpty(),
                "its tombstones may shadow older data elsewhere: nothing could be purged");
        SizeTieredPlanner unchecked = new SizeTieredPlanner(params("SizeTieredCompactionStrategy",
                "unchecked_tombstone_compaction", "true"));
        assertEquals(List.of(7), unchecked.next(input(List.of(old, olderDataOverlapping))).orElseThrow().inputs());
    }
}
