package io.sibyl.storage.compaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * LeveledCompactionStrategy. Flushes land in L0; every higher level L holds at most
 * {@code sstable_size_in_mb × fanout^L} bytes of SSTables that do not overlap one another, so a read
 * touches at most one SSTable per level above L0.
 *
 * <p>Order of choice, as Cassandra: if L0 has fallen behind (more than {@link #MAX_L0_BEFORE_STCS}
 * SSTables), size-tier inside L0 first so reads do not have to visit them all; otherwise the highest level
 * over its budget pushes one SSTable (the one overlapping the fewest bytes of the next level — a stateless
 * stand-in for Cassandra's round-robin) with every overlapping SSTable of the next level into the next level; otherwise L0 (once it has
 * {@code min_threshold} SSTables or a full SSTable's worth of data) goes into L1 with every L1 SSTable it
 * overlaps. Outputs are cut at {@code sstable_size_in_mb}. A level with a compaction running is left alone,
 * so concurrent compactions never produce overlapping SSTables within a level.
 */
public final class LeveledPlanner implements CompactionPlanner {

    /** Cassandra's MAX_COMPACTING_L0: beyond this many L0 SSTables, STCS runs in L0. */
    static final int MAX_L0_BEFORE_STCS = 32;

    private final CompactionParams params;

    public LeveledPlanner(CompactionParams params) {
        this.params = params;
    }

    /** The byte budget of a level (L0 has none: it is judged by count). */
    long maxBytesForLevel(int level) {
        return (long) (params.sstableSizeBytes() * Math.pow(params.fanout(), level));
    }

    @Override
    public Optional<CompactionTask> next(PlanInput input) {
        TreeMap<Integer, List<SSTableInfo>> levels = levels(input.sstables());
        List<SSTableInfo> l0 = levels.getOrDefault(0, List.of());
        List<SSTableInfo> l0Available = available(l0, input);
        if (l0Available.size() > MAX_L0_BEFORE_STCS) {
            Optional<List<SSTableInfo>> bucket = SizeTieredPlanner.mostInterestingBucket(l0Available, params);
            if (bucket.isPresent()) {
                return Optional.of(CompactionTask.merge(bucket.get(), 0, "L0 has fallen behind ("
                        + l0.size() + " SSTables): size-tiered in L0"));
            }
        }
        for (int level : levels.descendingKeySet()) {
            if (level == 0) {
                continue;
            }
            List<SSTableInfo> inLevel = levels.get(level);
            long bytes = inLevel.stream().mapToLong(SSTableInfo::dataBytes).sum();
            if (bytes <= maxBytesForLevel(level) || busy(inLevel, input) || busy(levels.get(level + 1), input)) {
                continue;
            }
            SSTableInfo pick = leastOverlapping(inLevel, levels.get(level + 1));
            List<SSTableInfo> inputs = new ArrayList<>();
            inputs.add(pick);
            inputs.addAll(overlapping(levels.get(level + 1), pick.firstToken(), pick.lastToken()));
            return Optional.of(new CompactionTask(CompactionTask.Kind.MERGE, CompactionTask.generations(inputs),
                    level + 1, params.sstableSizeBytes(), String.format("L%d over its budget (%d of %d bytes)", level,
                            bytes, maxBytesForLevel(level))));
        }
        long l0Bytes = l0Available.stream().mapToLong(SSTableInfo::dataBytes).sum();
        List<SSTableInfo> l1 = levels.get(1);
        boolean l0Busy = l0Available.size() < l0.size();
        if (!l0Busy && !l0Available.isEmpty() && !busy(l1, input)
                && (l0Available.size() >= params.minThreshold() || l0Bytes > params.sstableSizeBytes())) {
            List<SSTableInfo> picked = l0Available.stream().sorted(Comparator.comparingInt(SSTableInfo::generation))
                    .limit(MAX_L0_BEFORE_STCS).toList();
            long first = picked.stream().mapToLong(SSTableInfo::firstToken).min().orElseThrow();
            long last = picked.stream().mapToLong(SSTableInfo::lastToken).max().orElseThrow();
            List<SSTableInfo> inputs = new ArrayList<>(picked);
            inputs.addAll(overlapping(l1, first, last));
            return Optional.of(new CompactionTask(CompactionTask.Kind.MERGE, CompactionTask.generations(inputs), 1,
                    params.sstableSizeBytes(), "L0 (" + picked.size() + " SSTables) into L1"));
        }
        return TombstoneCompactions.candidate(input, params, input.available());
    }

    @Override
    public int estimatedPendingTasks(PlanInput input) {
        TreeMap<Integer, List<SSTableInfo>> levels = levels(input.sstables());
        int n = 0;
        List<SSTableInfo> l0 = levels.getOrDefault(0, List.of());
        if (l0.size() >= params.minThreshold()) {
            n += (int) Math.ceil(l0.size() / (double) MAX_L0_BEFORE_STCS);
        }
        for (var e : levels.entrySet()) {
            if (e.getKey() > 0) {
                long bytes = e.getValue().stream().mapToLong(SSTableInfo::dataBytes).sum();
                long excess = bytes - maxBytesForLevel(e.getKey());
                if (excess > 0) {
                    n += (int) Math.ceil(excess / (double) params.sstableSizeBytes());
                }
            }
        }
        return n;
    }

    /** Major compaction under LCS: everything into L1, cut at the SSTable size (later tasks push the excess up). */
    @Override
    public Optional<CompactionTask> major(PlanInput input) {
        var all = input.available();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CompactionTask(CompactionTask.Kind.MAJOR, CompactionTask.generations(all), 1,
                params.sstableSizeBytes(), "major compaction"));
    }

    /**
     * The SSTable of a level whose push into the next level rewrites the fewest bytes per byte moved
     * (RocksDB's kMinOverlappingRatio), oldest first on ties. Stateless, unlike Cassandra's round-robin by
     * last compacted key, and it never keeps pushing one end of the ring: a naive "always the oldest" pick
     * lets a level's content drift to one end until every push overlaps the whole next level.
     */
    static SSTableInfo leastOverlapping(List<SSTableInfo> level, List<SSTableInfo> next) {
        SSTableInfo best = null;
        double bestRatio = Double.MAX_VALUE;
        List<SSTableInfo> sorted = level.stream().sorted(Comparator.comparingInt(SSTableInfo::generation)).toList();
        for (SSTableInfo s : sorted) {
            long overlap = 0;
            for (SSTableInfo o : overlapping(next, s.firstToken(), s.lastToken())) {
                overlap += o.dataBytes();
            }
            double ratio = overlap / (double) Math.max(1, s.dataBytes());
            if (ratio < bestRatio) {
                bestRatio = ratio;
                best = s;
            }
        }
        return best;
    }

    static TreeMap<Integer, List<SSTableInfo>> levels(List<SSTableInfo> sstables) {
        TreeMap<Integer, List<SSTableInfo>> levels = new TreeMap<>();
        for (SSTableInfo s : sstables) {
            levels.computeIfAbsent(s.level(), l -> new ArrayList<>()).add(s);
        }
        return levels;
    }

    private static List<SSTableInfo> available(List<SSTableInfo> in, PlanInput input) {
        return in.stream().filter(s -> !input.compacting().contains(s.generation())).toList();
    }

    private static boolean busy(List<SSTableInfo> level, PlanInput input) {
        return level != null && level.stream().anyMatch(s -> input.compacting().contains(s.generation()));
    }

    private static List<SSTableInfo> overlapping(List<SSTableInfo> level, long first, long last) {
        if (level == null) {
            return List.of();
        }
        return level.stream().filter(s -> s.overlaps(first, last)).toList();
    }
}
