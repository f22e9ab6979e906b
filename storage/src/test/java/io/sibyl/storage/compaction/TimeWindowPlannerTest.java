package io.sibyl.storage.compaction;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.sibyl.storage.compaction.PlannerFixtures.MB;
import static io.sibyl.storage.compaction.PlannerFixtures.NOW_MILLIS;
import static io.sibyl.storage.compaction.PlannerFixtures.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeWindowPlannerTest {

    private static final long HOUR = 3_600_000L;
    private final PlannerFixtures f = new PlannerFixtures();
    private final TimeWindowPlanner twcs = new TimeWindowPlanner(params("TimeWindowCompactionStrategy",
            "compaction_window_unit", "HOURS", "compaction_window_size", "1", "min_sstable_size", "0"));
    private final int nowSec = (int) (NOW_MILLIS / 1000);

    private PlanInput in(List<SSTableInfo> s) {
        return PlanInput.of(s, nowSec, NOW_MILLIS); // gc_grace 0
    }

    @Test
    void windowsFollowTheNewestWrite() {
        long start = twcs.windowOf(NOW_MILLIS * 1000);
        assertEquals(0, start % HOUR);
        assertTrue(start <= NOW_MILLIS && NOW_MILLIS < start + HOUR);
    }

    @Test
    void fullyExpiredSSTablesAreDroppedWithoutRewrite() {
        SSTableInfo expired = f.timeSeries(MB, NOW_MILLIS - 5 * HOUR, nowSec - 10, 0, 100);
        SSTableInfo live = f.timeSeries(MB, NOW_MILLIS - HOUR, Integer.MAX_VALUE, 0, 100);
        CompactionTask t = twcs.next(in(List.of(expired, live))).orElseThrow();
        assertEquals(CompactionTask.Kind.DROP_EXPIRED, t.kind());
        assertEquals(List.of(expired.generation()), t.inputs());
    }

    @Test
    void anExpiredSSTableOverlappingOlderDataIsKept() {
        SSTableInfo older = f.timeSeries(MB, NOW_MILLIS - 9 * HOUR, Integer.MAX_VALUE, 0, 100);
        SSTableInfo expired = f.timeSeries(MB, NOW_MILLIS - 5 * HOUR, nowSec - 10, 50, 150);
        assertTrue(twcs.next(in(List.of(older, expired))).isEmpty(),
                "its tombstones may shadow the older SSTable's data");
        PlanInput memtableOlder = new PlanInput(List.of(expired), Set.of(), nowSec, NOW_MILLIS, 0);
        assertTrue(twcs.next(memtableOlder).isEmpty(), "the memtable holds older data it may shadow");
    }

    @Test
    void notYetPastGcGraceIsNotDropped() {
        SSTableInfo expiring = f.timeSeries(MB, NOW_MILLIS - 5 * HOUR, nowSec - 10, 0, 100);
        PlanInput withGrace = PlanInput.of(List.of(expiring), nowSec - 3600, NOW_MILLIS);
        assertTrue(twcs.next(withGrace).isEmpty());
    }

    @Test
    void olderWindowsAreMergedIntoOneAndWindowsNeverMix() {
        List<SSTableInfo> s = new ArrayList<>();
        s.add(f.timeSeries(MB, NOW_MILLIS - 3 * HOUR, Integer.MAX_VALUE, 0, 100)); // 1
        s.add(f.timeSeries(MB, NOW_MILLIS - 3 * HOUR + 60_000, Integer.MAX_VALUE, 0, 100)); // 2, same window... usually
        s.add(f.timeSeries(MB, NOW_MILLIS - 5 * HOUR, Integer.MAX_VALUE, 0, 100)); // 3 alone in its window
        s.add(f.timeSeries(MB, NOW_MILLIS, Integer.MAX_VALUE, 0, 100)); // 4 current window
        long w1 = twcs.windowOf(s.get(0).maxTimestamp());
        long w2 = twcs.windowOf(s.get(1).maxTimestamp());
        CompactionTask t = twcs.next(in(s)).orElseThrow();
        if (w1 == w2) {
            assertEquals(Set.of(1, 2), new HashSet<>(t.inputs()));
        } else {
            throw new AssertionError("fixture: both must share a window");
        }
    }

    @Test
    void theCurrentWindowIsSizeTiered() {
        List<SSTableInfo> s = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            s.add(f.timeSeries(MB, NOW_MILLIS - i * 1000, Integer.MAX_VALUE, 0, 100));
        }
        assertTrue(twcs.next(in(s)).isEmpty(), "3 < min_threshold in the current window");
        s.add(f.timeSeries(MB, NOW_MILLIS - 4000, Integer.MAX_VALUE, 0, 100));
        assertEquals(4, twcs.next(in(s)).orElseThrow().inputs().size());
    }
}
