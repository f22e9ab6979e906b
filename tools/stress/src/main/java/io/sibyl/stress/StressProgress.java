package io.sibyl.stress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of a run: on a terminal a bar of the seconds elapsed out of warm-up plus duration, with the
 * current rate, p99 and errors beside it; otherwise (a file, a pipe, a test) one line per progress interval,
 * so logs keep every interval's figures.
 */
final class StressProgress implements AutoCloseable {
    private final PrintWriter out;
    private final ProgressBar bar;
    private final long totalSeconds;

    private StressProgress(PrintWriter out, ProgressBar bar, long totalSeconds) {
        this.out = out;
        this.bar = bar;
        this.totalSeconds = totalSeconds;
    }

    /**
     * A bar when a console is attached (stdin and stdout are a terminal: Java 17's System.console()), plain
     * lines otherwise.
     */
    static StressProgress start(PrintWriter out, Duration warmup, Duration duration) {
        return start(out, warmup, duration, System.console() != null);
    }

    static StressProgress start(PrintWriter out, Duration warmup, Duration duration, boolean terminal) {
        long total = Math.max(1, (warmup.plus(duration).toMillis() + 999) / 1000);
        ProgressBar bar = terminal ? new ProgressBarBuilder().setTaskName("stress").setStyle(ProgressBarStyle.ASCII)
                .setUnit(" s", 1).setInitialMax(total).continuousUpdate().build() : null;
        return new StressProgress(out, bar, total);
    }

    boolean isBar() {
        return bar != null;
    }

    /**
     * One progress interval ended.
     *
     * @param elapsedNanos since the run (warm-up included) began
     * @param phase        "warmup" or "measure"
     * @param opsPerSecond the interval's rate
     * @param p50Millis    the interval's median latency
     * @param p99Millis    the interval's 99th percentile
     * @param errors       errors in the interval
     * @param rowsPart     the rows/s column of batched runs, already formatted ("" otherwise)
     * @param cpuPct       the client's CPU use in the interval
     */
    void interval(long elapsedNanos, String phase, double opsPerSecond, double p50Millis, double p99Millis, long errors,
                  String rowsPart, double cpuPct) {
        if (bar != null) {
            bar.stepTo(Math.min(totalSeconds, elapsedNanos / 1_000_000_000L));
            bar.setExtraMessage(String.format(Locale.ROOT, "%s %.0f ops/s p99 %.1f ms errors %d", phase, opsPerSecond,
                    p99Millis, errors));
            return;
        }
        out.printf(Locale.ROOT, "[%6.1fs] %-7s ops/s %9.0f%s  p50 %8.3f ms  p99 %8.3f ms  errors %d  client cpu %.0f%%%n",
                elapsedNanos / 1e9, phase, opsPerSecond, rowsPart, p50Millis, p99Millis, errors, cpuPct);
        out.flush();
    }

    /** Ends the bar (the summary is printed below it). */
    @Override
    public void close() {
        if (bar != null) {
            bar.stepTo(totalSeconds);
            bar.close();
        }
    }
}
