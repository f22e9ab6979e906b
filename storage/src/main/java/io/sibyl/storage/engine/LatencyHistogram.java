package io.sibyl.storage.engine;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Lock-free latency recording (microseconds) for one table operation, with a percentile snapshot. */
final class LatencyHistogram {

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(3);

    void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, nanos / 1000));
    }

    TableStats.Latency snapshot() {
        Histogram h = histogram.copy();
        if (h.getTotalCount() == 0) {
            return TableStats.Latency.EMPTY;
        }
        return new TableStats.Latency(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(95),
                h.getValueAtPercentile(99), h.getMaxValue());
    }
}
