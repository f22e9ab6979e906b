package io.sibyl.storage.compaction.sim;

import io.sibyl.storage.compaction.CompactionParams;
import io.sibyl.storage.compaction.CompactionPlanner;
import io.sibyl.storage.compaction.CompactionTask;
import io.sibyl.storage.compaction.PlanInput;
import io.sibyl.storage.compaction.SSTableInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Runs a compaction strategy's planner over synthetic flushes, with no disk: an SSTable is the sorted
 * array of the tokens it holds, a compaction the union of its inputs (split at the task's output size),
 * each executed at once when planned (compaction keeps up). It reports write amplification (bytes
 * written by flushes and compactions per byte flushed) and SSTables per read (how many SSTables hold a
 * key that a read asks for — what a perfect bloom filter would let a read touch), sampled as the run goes.
 *
 * <p>Compaction has a byte budget ({@code compaction_throughput} × the time between flushes, bytes read plus
 * written): when it cannot keep up, SSTables pile up between compactions as on a real node — which is
 * also what lets LCS merge several L0 SSTables into L1 at once. Budget 0 means compactions are free.
 */
public final class CompactionSimulator {

    /** The simulated load. */
    public enum Workload {
        /** Every write a new key (time series, logs, events). */
        INGEST,
        /** Writes overwrite a fixed set of keys, uniformly (ten memtables' worth of keys). */
        UPDATE_HEAVY
    }

    /**
     * @param flushes     memtables flushed
     * @param rowsPerFlush writes per memtable
     * @param rowBytes    bytes per row on disk
     * @param flushEveryMillis simulated time between flushes (TWCS windows follow it)
     * @param compactionBytesPerSec compaction throughput (bytes read plus written per second); 0 = unlimited
     */
    public record Config(int flushes, int rowsPerFlush, int rowBytes, long flushEveryMillis, long compactionBytesPerSec,
                         long seed) {
        public static Config defaults() {
            return new Config(400, 16_000, 1024, 2_000, 64L << 20, 42);
        }
    }

    public record Result(String strategy, Workload workload, long bytesFlushed, long bytesCompacted, int compactions,
                         int finalSSTables, double avgSSTablesPerRead, int maxSSTablesPerRead,
                         double avgSSTablesCoveringKey) {
        public double writeAmplification() {
            return bytesFlushed == 0 ? 1.0 : (bytesFlushed + bytesCompacted) / (double) bytesFlushed;
        }
    }

    private record SimSSTable(SSTableInfo info, long[] tokens) {
    }

    private final Config config;

    public CompactionSimulator(Config config) {
        this.config = config;
    }

    public Result run(Map<String, String> compactionOptions, Workload workload) {
        CompactionParams params = CompactionParams.parse(compactionOptions);
        CompactionPlanner planner = CompactionPlanner.of(params);
        Random rnd = new Random(config.seed());
        Map<Integer, SimSSTable> live = new HashMap<>();
        int[] nextGen = {1};
        long flushed = 0;
        long compacted = 0;
        int compactions = 0;
        long readSum = 0;
        long coverSum = 0;
        int reads = 0;
        int maxPerRead = 0;
        int updateKeys = config.rowsPerFlush() * 10;
        long nextKey = 0;
        long t0 = 1_700_000_000_000L;
        double budget = 0;
        for (int f = 0; f < config.flushes(); f++) {
            long now = t0 + f * config.flushEveryMillis();
            long[] tokens = new long[config.rowsPerFlush()];
            for (int i = 0; i < tokens.length; i++) {
                long key = workload == Workload.INGEST ? nextKey++ : rnd.nextInt(updateKeys);
                tokens[i] = token(key);
            }
            tokens = distinctSorted(tokens);
            SimSSTable s = sstable(nextGen[0]++, tokens, 0, now, now);
            live.put(s.info().generation(), s);
            flushed += s.info().sizeBytes();
            budget += config.compactionBytesPerSec() * config.flushEveryMillis() / 1000.0;
            while (config.compactionBytesPerSec() == 0 || budget > 0) {
                PlanInput in = new PlanInput(live.values().stream().map(SimSSTable::info).toList(), java.util.Set.of(),
                        (int) (now / 1000) - 864_000, now, Long.MAX_VALUE);
                Optional<CompactionTask> task = planner.next(in);
                if (task.isEmpty()) {
                    break;
                }
                long read = 0;
                for (int g : task.get().inputs()) {
                    read += live.get(g).info().sizeBytes();
                }
                long written = execute(task.get(), live, nextGen, now);
                compacted += written;
                budget -= read + written;
                compactions++;
            }
            if (f % 10 == 9) {
                long maxKey = workload == Workload.INGEST ? nextKey : updateKeys;
                for (int r = 0; r < 200; r++) {
                    long t = token((long) (rnd.nextDouble() * maxKey));
                    int holding = 0;
                    int covering = 0;
                    for (SimSSTable sst : live.values()) {
                        if (t >= sst.info().firstToken() && t <= sst.info().lastToken()) {
                            covering++;
                            if (Arrays.binarySearch(sst.tokens(), t) >= 0) {
                                holding++;
                            }
                        }
                    }
                    readSum += holding;
                    coverSum += covering;
                    maxPerRead = Math.max(maxPerRead, holding);
                    reads++;
                }
            }
        }
        return new Result(params.strategy().className, workload, flushed, compacted, compactions, live.size(),
                reads == 0 ? 0 : readSum / (double) reads, maxPerRead, reads == 0 ? 0 : coverSum / (double) reads);
    }

    /** Executes a task at once; returns the bytes it wrote. */
    private long execute(CompactionTask task, Map<Integer, SimSSTable> live, int[] nextGen, long now) {
        List<long[]> inputs = new ArrayList<>();
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        for (int g : task.inputs()) {
            SimSSTable s = live.remove(g);
            inputs.add(s.tokens());
            minTs = Math.min(minTs, s.info().minTimestamp() / 1000);
            maxTs = Math.max(maxTs, s.info().maxTimestamp() / 1000);
        }
        if (task.kind() == CompactionTask.Kind.DROP_EXPIRED) {
            return 0;
        }
        long[] merged = distinctSorted(concat(inputs));
        long perOutput = task.maxOutputBytes() == Long.MAX_VALUE ? merged.length
                : Math.max(1, task.maxOutputBytes() / config.rowBytes());
        long written = 0;
        for (int from = 0; from < merged.length; from += (int) perOutput) {
            long[] part = Arrays.copyOfRange(merged, from, (int) Math.min(merged.length, from + perOutput));
            SimSSTable out = sstable(nextGen[0]++, part, task.outputLevel(), minTs, maxTs);
            live.put(out.info().generation(), out);
            written += out.info().sizeBytes();
        }
        return written;
    }

    private SimSSTable sstable(int gen, long[] tokens, int level, long minMillis, long maxMillis) {
        long bytes = (long) tokens.length * config.rowBytes();
        SSTableInfo info = new SSTableInfo(gen, bytes, bytes, tokens[0], tokens[tokens.length - 1], minMillis * 1000,
                maxMillis * 1000, Integer.MAX_VALUE, level, 0, tokens.length, maxMillis);
        return new SimSSTable(info, tokens);
    }

    private static long[] concat(List<long[]> arrays) {
        int n = 0;
        for (long[] a : arrays) {
            n += a.length;
        }
        long[] out = new long[n];
        int i = 0;
        for (long[] a : arrays) {
            System.arraycopy(a, 0, out, i, a.length);
            i += a.length;
        }
        return out;
    }

    private static long[] distinctSorted(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[n++] = s[i];
            }
        }
        return Arrays.copyOf(s, n);
    }

    /** SplitMix64: keys spread over the ring like Murmur3 tokens. */
    static long token(long key) {
        long z = key + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The strategies compared, with the sizes scaled like the simulated flushes (see docs/performance.md). */
    public static Map<String, Map<String, String>> standardStrategies(Config c) {
        long flushMb = Math.max(1, (long) c.rowsPerFlush() * c.rowBytes() >> 20);
        Map<String, Map<String, String>> m = new java.util.LinkedHashMap<>();
        m.put("STCS", Map.of("class", "SizeTieredCompactionStrategy", "min_sstable_size", Long.toString(flushMb << 20)));
        m.put("LCS", Map.of("class", "LeveledCompactionStrategy", "sstable_size_in_mb", Long.toString(flushMb)));
        // A window holds about 30 flushes.
        long windowMinutes = Math.max(1, 30 * c.flushEveryMillis() / 60_000);
        m.put("TWCS", Map.of("class", "TimeWindowCompactionStrategy", "compaction_window_unit", "MINUTES",
                "compaction_window_size", Long.toString(windowMinutes)));
        return m;
    }
}
