package io.sibyl.storage.engine;

import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

/**
 * Lock-free latency recording (microseconds) for one table operation, with a percentile snapshot. A fixed
 * range (up to an hour, two significant digits) so that recording never resizes: the auto-resizing
 * {@code ConcurrentHistogram} allocated new count arrays on the write path (2.3% of a small write's
 * allocation in a profile).
 */
final class LatencyHistogram {

    static final long MAX_MICROS = 3_600_000_000L;

    private final AtomicHistogram histogram = new AtomicHistogram(MAX_MICROS, 2);

    void recordNanos(long nanos) {
        histogram.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    TableStats.Latency snapshot() {
        Histogram h = new Histogram(MAX_MICROS, 2);
        h.add(histogram);
        if (h.getTotalCount() == 0) {
            return TableStats.Latency.EMPTY;
        }
        return new TableStats.Latency(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(95),
                h.getValueAtPercentile(99), h.getMaxValue());
    }
}
