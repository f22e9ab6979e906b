package io.sibyl.storage.compaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Synthetic SSTable sets for planner tests: no disk, just the statistics planners read. */
final class PlannerFixtures {

    static final long MB = 1L << 20;
    static final long NOW_MILLIS = 1_700_000_000_000L;
    static final int GC_BEFORE = (int) (NOW_MILLIS / 1000) - 864_000;

    private int nextGeneration = 1;

    /** A live-data SSTable (nothing expires) of {@code bytes}, written an hour before NOW, full token range. */
    SSTableInfo sstable(long bytes) {
        return sstable(bytes, 0, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    SSTableInfo sstable(long bytes, int level, long firstToken, long lastToken) {
        long ts = (NOW_MILLIS - 3_600_000) * 1000;
        return new SSTableInfo(nextGeneration++, bytes, bytes, firstToken, lastToken, ts, ts, Integer.MAX_VALUE, level,
                0, 1000, NOW_MILLIS - 3_600_000);
    }

    /** An SSTable written at {@code writtenAtMillis} whose data all expires at {@code maxLdt}. */
    SSTableInfo timeSeries(long bytes, long writtenAtMillis, int maxLdt, long firstToken, long lastToken) {
        return new SSTableInfo(nextGeneration++, bytes, bytes, firstToken, lastToken, writtenAtMillis * 1000,
                writtenAtMillis * 1000 + 999, maxLdt, 0, 0, 1000, writtenAtMillis);
    }

    List<SSTableInfo> many(int n, long bytes) {
        List<SSTableInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sstable(bytes));
        }
        return out;
    }

    static CompactionParams params(String cls, String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        m.put("class", cls);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return CompactionParams.parse(m);
    }

    static PlanInput input(List<SSTableInfo> sstables) {
        return PlanInput.of(sstables, GC_BEFORE, NOW_MILLIS);
    }
}
