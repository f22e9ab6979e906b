package io.sibyl.storage.compaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * SizeTieredCompactionStrategy: SSTables of similar size form a bucket (within
 * [avg × bucket_low, avg × bucket_high] of the bucket's average, or all below {@code min_sstable_size});
 * a bucket of at least {@code min_threshold} SSTables is merged, at most {@code max_threshold} at a time,
 * preferring the bucket with the most SSTables, then the smallest (cheapest) one. With no such bucket,
 * a single SSTable with enough droppable tombstones is rewritten.
 */
public final class SizeTieredPlanner implements CompactionPlanner {

    private final CompactionParams params;

    public SizeTieredPlanner(CompactionParams params) {
        this.params = params;
    }

    @Override
    public Optional<CompactionTask> next(PlanInput input) {
        List<SSTableInfo> available = input.available();
        Optional<List<SSTableInfo>> bucket = mostInterestingBucket(available, params);
        if (bucket.isPresent()) {
            return Optional.of(CompactionTask.merge(bucket.get(), 0, "size-tiered bucket of " + bucket.get().size()));
        }
        return TombstoneCompactions.candidate(input, params, available);
    }

    @Override
    public int estimatedPendingTasks(PlanInput input) {
        return estimatedTasks(input.available(), params);
    }

    static int estimatedTasks(List<SSTableInfo> sstables, CompactionParams params) {
        int n = 0;
        for (List<SSTableInfo> b : buckets(sstables, params)) {
            if (b.size() >= params.minThreshold()) {
                n += (int) Math.ceil(b.size() / (double) params.maxThreshold());
            }
        }
        return n;
    }

    /** Cassandra's SizeTieredCompactionStrategy.getBuckets: size-sorted SSTables grouped by similar size. */
    static List<List<SSTableInfo>> buckets(List<SSTableInfo> sstables, CompactionParams params) {
        List<SSTableInfo> sorted = new ArrayList<>(sstables);
        sorted.sort(Comparator.comparingLong(SSTableInfo::sizeBytes).thenComparingInt(SSTableInfo::generation));
        List<List<SSTableInfo>> buckets = new ArrayList<>();
        List<Double> averages = new ArrayList<>();
        for (SSTableInfo s : sorted) {
            boolean placed = false;
            for (int i = 0; i < buckets.size() && !placed; i++) {
                double avg = averages.get(i);
                boolean similar = s.sizeBytes() > avg * params.bucketLow() && s.sizeBytes() < avg * params.bucketHigh();
                boolean bothSmall = s.sizeBytes() < params.minSSTableSize() && avg < params.minSSTableSize();
                if (similar || bothSmall) {
                    List<SSTableInfo> b = buckets.get(i);
                    averages.set(i, (avg * b.size() + s.sizeBytes()) / (b.size() + 1));
                    b.add(s);
                    placed = true;
                }
            }
            if (!placed) {
                List<SSTableInfo> b = new ArrayList<>();
                b.add(s);
                buckets.add(b);
                averages.add((double) s.sizeBytes());
            }
        }
        return buckets;
    }

    /** The bucket to compact now (trimmed to max_threshold, smallest SSTables first), if any has min_threshold. */
    static Optional<List<SSTableInfo>> mostInterestingBucket(List<SSTableInfo> sstables, CompactionParams params) {
        return mostInterestingBucket(sstables, params, params.minThreshold());
    }

    static Optional<List<SSTableInfo>> mostInterestingBucket(List<SSTableInfo> sstables, CompactionParams params,
                                                             int minThreshold) {
        List<SSTableInfo> best = null;
        long bestBytes = 0;
        for (List<SSTableInfo> b : buckets(sstables, params)) {
            if (b.size() < minThreshold) {
                continue;
            }
            List<SSTableInfo> trimmed = b.subList(0, Math.min(b.size(), params.maxThreshold()));
            long bytes = trimmed.stream().mapToLong(SSTableInfo::sizeBytes).sum();
            if (best == null || trimmed.size() > best.size() || (trimmed.size() == best.size() && bytes < bestBytes)) {
                best = List.copyOf(trimmed);
                bestBytes = bytes;
            }
        }
        return Optional.ofNullable(best);
    }
}
