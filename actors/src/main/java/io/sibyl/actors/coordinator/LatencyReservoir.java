package io.sibyl.actors.coordinator;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The most recent {@link #SIZE} latencies of one table's replica reads, as the coordinator saw them,
 * and percentiles over them: a sliding-window reservoir (cheap to record into — one atomic increment
 * and one store — and recent by construction, so old outliers drop out as new reads arrive).
 * Percentiles are computed at most once per {@link #REFRESH_NANOS} per percentile and cached, so the
 * read path pays for a sort of {@link #SIZE} longs a few times a second at most.
 */
final class LatencyReservoir {

    static final int SIZE = 1024;
    static final long REFRESH_NANOS = 100_000_000L;

    private final AtomicLongArray samples = new AtomicLongArray(SIZE);
    private final AtomicLong count = new AtomicLong();
    private final LongSupplier clock;
    private volatile Cached cached = new Cached(Double.NaN, 0, Long.MIN_VALUE);

    private record Cached(double percentile, long valueNanos, long computedAt) {
    }

    LatencyReservoir() {
        this(System::nanoTime);
    }

    LatencyReservoir(LongSupplier clock) {
        this.clock = clock;
    }

    void record(long nanos) {
        if (nanos < 0) {
            return;
        }
        long i = count.getAndIncrement();
        samples.set((int) (i % SIZE), nanos);
    }

    /** How many samples were ever recorded. */
    long count() {
        return count.get();
    }

    /** The {@code percentile} (0–100) of the recent samples, or -1 when there are none. */
    long percentileNanos(double percentile) {
        long now = clock.getAsLong();
        Cached c = cached;
        if (c.percentile == percentile && now - c.computedAt < REFRESH_NANOS) {
            return c.valueNanos;
        }
        long value = compute(percentile);
        cached = new Cached(percentile, value, now);
        return value;
    }

    private long compute(double percentile) {
        int n = (int) Math.min(count.get(), SIZE);
        if (n == 0) {
            return -1;
        }
        long[] copy = new long[n];
        for (int i = 0; i < n; i++) {
            copy[i] = samples.get(i);
        }
        Arrays.sort(copy);
        // Nearest rank: the smallest sample at or above the percentile.
        int rank = (int) Math.ceil(percentile / 100.0 * n);
        return copy[Math.max(0, Math.min(n - 1, rank - 1))];
    }
}
