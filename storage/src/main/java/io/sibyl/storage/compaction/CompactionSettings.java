package io.sibyl.storage.compaction;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.time.Duration;

/**
 * The node's compaction settings, {@code sibyl.storage.compaction.*} (defaults in the storage module's
 * reference.conf, documented in config/sibyl.conf).
 *
 * @param concurrentCompactors   {@code concurrent_compactors}: compactions running at once ("auto": 1 on a
 *                               machine with at most 2 cores, else 2)
 * @param throughputBytesPerSec  {@code compaction_throughput} per second, all compactions together (0 = unthrottled)
 * @param checkInterval          {@code compaction_check_interval}: how often every table's planner is asked
 *                               (besides after each flush and each finished compaction)
 */
public record CompactionSettings(int concurrentCompactors, long throughputBytesPerSec, Duration checkInterval) {

    public CompactionSettings {
        if (concurrentCompactors < 1) {
            throw new IllegalArgumentException("concurrent_compactors must be at least 1: " + concurrentCompactors);
        }
        if (throughputBytesPerSec < 0) {
            throw new IllegalArgumentException("compaction_throughput must not be negative");
        }
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("compaction_check_interval must be positive");
        }
    }

    public static CompactionSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference());
    }

    public static CompactionSettings fromConfig(Config root) {
        Config c = root.withFallback(ConfigFactory.defaultReference()).getConfig("sibyl.storage.compaction");
        String concurrent = c.getString("concurrent_compactors");
        int n = concurrent.equals("auto") ? autoConcurrency(Runtime.getRuntime().availableProcessors())
                : parseInt(concurrent);
        return new CompactionSettings(n, c.getMemorySize("compaction_throughput").toBytes(),
                c.getDuration("compaction_check_interval"));
    }

    /** Two compactions at once, but one on a machine of one or two cores so reads and writes keep a core. */
    static int autoConcurrency(int cores) {
        return cores <= 2 ? 1 : 2;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("concurrent_compactors must be a number or auto: " + s);
        }
    }
}
