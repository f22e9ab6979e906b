package io.sibyl.storage.compaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * TimeWindowCompactionStrategy, for time series written once and expired by TTL. Each SSTable belongs to
 * the window ({@code compaction_window_size × compaction_window_unit}) of its newest write. First, SSTables
 * whose data has all expired past gc_grace — and that hold nothing older than any overlapping SSTable or
 * memtable, so dropping them uncovers no shadowed data — are deleted without being read. Then the newest
 * window is size-tiered ({@code min_threshold}); any older window with two or more SSTables is merged into
 * one (at most {@code max_threshold} at a time), newest window first. Windows never mix, so an old
 * window's SSTable expires as a whole.
 */
public final class TimeWindowPlanner implements CompactionPlanner {

    private final CompactionParams params;

    public TimeWindowPlanner(CompactionParams params) {
        this.params = params;
    }

    /** Start of the window (ms) holding a write at {@code timestampMicros}. */
    long windowOf(long timestampMicros) {
        long ms = Math.floorDiv(timestampMicros, 1000L);
        return Math.floorDiv(ms, params.windowMillis()) * params.windowMillis();
    }

    @Override
    public Optional<CompactionTask> next(PlanInput input) {
        List<SSTableInfo> expired = fullyExpired(input);
        if (!expired.isEmpty()) {
            return Optional.of(new CompactionTask(CompactionTask.Kind.DROP_EXPIRED, CompactionTask.generations(expired),
                    0, Long.MAX_VALUE, expired.size() + " fully expired SSTables"));
        }
        TreeMap<Long, List<SSTableInfo>> windows = windows(input.available());
        if (windows.isEmpty()) {
            return Optional.empty();
        }
        long newest = windows.lastKey();
        for (var e : windows.descendingMap().entrySet()) {
            List<SSTableInfo> in = e.getValue();
            if (e.getKey() == newest) {
                Optional<List<SSTableInfo>> bucket = SizeTieredPlanner.mostInterestingBucket(in, params);
                if (bucket.isPresent()) {
                    return Optional.of(CompactionTask.merge(bucket.get(), 0, "size-tiered in the current window"));
                }
            } else if (in.size() >= 2) {
                List<SSTableInfo> picked = in.stream().sorted(Comparator.comparingLong(SSTableInfo::sizeBytes))
                        .limit(params.maxThreshold()).toList();
                return Optional.of(CompactionTask.merge(picked, 0, "window " + e.getKey() + " into one SSTable"));
            }
        }
        return TombstoneCompactions.candidate(input, params, input.available());
    }

    @Override
    public int estimatedPendingTasks(PlanInput input) {
        int n = fullyExpired(input).isEmpty() ? 0 : 1;
        TreeMap<Long, List<SSTableInfo>> windows = windows(input.available());
        if (!windows.isEmpty()) {
            long newest = windows.lastKey();
            for (var e : windows.entrySet()) {
                if (e.getKey() == newest) {
                    n += SizeTieredPlanner.estimatedTasks(e.getValue(), params);
                } else if (e.getValue().size() >= 2) {
                    n++;
                }
            }
        }
        return n;
    }

    TreeMap<Long, List<SSTableInfo>> windows(List<SSTableInfo> sstables) {
        TreeMap<Long, List<SSTableInfo>> windows = new TreeMap<>();
        for (SSTableInfo s : sstables) {
            windows.computeIfAbsent(windowOf(s.maxTimestamp()), w -> new ArrayList<>()).add(s);
        }
        return windows;
    }

    /**
     * Cassandra's getFullyExpiredSSTables: everything in the SSTable expired or was deleted before gcBefore,
     * and its newest write is older than the oldest write of every overlapping SSTable (other than the
     * candidates themselves) and of the memtables, so none of its tombstones still shadows anything.
     */
    static List<SSTableInfo> fullyExpired(PlanInput input) {
        List<SSTableInfo> candidates = input.available().stream()
                .filter(s -> s.maxLocalDeletionTime() < input.gcBefore()).toList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<SSTableInfo> out = new ArrayList<>();
        for (SSTableInfo c : candidates) {
            boolean safe = c.maxTimestamp() < input.memtableMinTimestamp();
            for (SSTableInfo o : input.sstables()) {
                if (safe && !candidates.contains(o) && o.overlaps(c) && o.minTimestamp() <= c.maxTimestamp()) {
                    safe = false;
                }
            }
            if (safe) {
                out.add(c);
            }
        }
        return out;
    }
}
