package io.sibyl.stress;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The counters lanes write to, lock-free. Success latencies go to an HdrHistogram {@link Recorder}
 * whose interval histograms the reporter collects; only successes are recorded there, so an error
 * can never count as an op. Error, row and empty-read totals count only while measuring.
 */
public final class Stats {

    /** Latencies are recorded in microseconds up to an hour, 3 significant digits. */
    public static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);
    public static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder latencies = new Recorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private final LongAdder intervalErrors = new LongAdder();
    private final LongAdder intervalRows = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final LongAdder emptyReads = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private volatile boolean measuring;

    public void record(Outcome outcome, long latencyNanos) {
        if (outcome instanceof Outcome.Success success) {
            long micros = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMicros(latencyNanos), HIGHEST_TRACKABLE_MICROS));
            latencies.recordValue(micros);
            intervalRows.add(success.rows());
            if (measuring) {
                rows.add(success.rows());
                if (success.emptyRead()) {
                    emptyReads.increment();
                }
            }
        } else if (outcome instanceof Outcome.Failure failure) {
            intervalErrors.increment();
            if (measuring) {
                errors.computeIfAbsent(failure.code(), c -> new LongAdder()).increment();
            }
        }
    }

    /** Success latencies since the last call (the argument is recycled; may be null). */
    public Histogram takeInterval(Histogram recycle) {
        return latencies.getIntervalHistogram(recycle);
    }

    public long takeIntervalErrors() {
        return intervalErrors.sumThenReset();
    }

    public long takeIntervalRows() {
        return intervalRows.sumThenReset();
    }

    public void startMeasuring() {
        measuring = true;
    }

    public void stopMeasuring() {
        measuring = false;
    }

    public long rows() {
        return rows.sum();
    }

    public long emptyReads() {
        return emptyReads.sum();
    }

    /** Measured errors by code, sorted by code. */
    public Map<String, Long> errorsByCode() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((code, n) -> out.put(code, n.sum()));
        return out;
    }

    public static Histogram newHistogram() {
        return new Histogram(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    }
}
