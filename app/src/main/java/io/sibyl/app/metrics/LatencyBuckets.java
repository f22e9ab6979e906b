package io.sibyl.app.metrics;

import java.time.Duration;

/**
 * The bucket bounds of every latency histogram in /metrics ({@code _bucket{le=...}} series): Prometheus
 * sums buckets across nodes, so cluster-wide percentiles come from
 * {@code histogram_quantile(0.99, sum by (le) (rate(..._bucket[1m])))}. Fixed bounds (not Micrometer's
 * ~70 default ones) keep the series per table and route few: 0.25 ms to 10 s.
 */
final class LatencyBuckets {
    static final Duration[] BOUNDS = {
            Duration.ofMillis(0).plusNanos(250_000), Duration.ofMillis(0).plusNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private LatencyBuckets() {
    }
}
