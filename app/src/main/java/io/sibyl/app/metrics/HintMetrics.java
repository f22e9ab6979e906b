package io.sibyl.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sibyl.actors.hints.HintTargetStats;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Hinted handoff in /metrics: the hints this node holds for replicas that missed writes, summed over
 * targets (per-target figures are at GET /v1/admin/hints; target ids as labels would grow without bound
 * as nodes come and go).
 */
final class HintMetrics {
    private HintMetrics() {
    }

    static void bind(MeterRegistry registry, Supplier<List<HintTargetStats>> stats) {
        Gauge.builder("sibyl_hints_pending", stats, s -> s.get().stream().mapToLong(HintTargetStats::pending).sum())
                .description("hints held for other nodes, not yet delivered").register(registry);
        Gauge.builder("sibyl_hints_bytes", stats, s -> s.get().stream().mapToLong(HintTargetStats::bytes).sum())
                .description("serialized bytes of the hints held").baseUnit("bytes").register(registry);
        Gauge.builder("sibyl_hints_targets", stats, s -> s.get().size())
                .description("nodes this node holds hints for").register(registry);
        Gauge.builder("sibyl_hints_oldest_age_seconds", stats, HintMetrics::oldestAgeSeconds)
                .description("age of the oldest hint held (0 when none)").baseUnit("seconds").register(registry);
    }

    /**
     * {@code sibyl_hints_pending_by_target{target}} and {@code sibyl_hints_bytes_by_target{target}}: one
     * series per node this node holds hints for (bounded by the cluster's size; a target's series goes
     * when its hints are delivered). Returns what refreshes them; NodeMetrics runs it before each scrape.
     */
    static Runnable bindByTarget(MeterRegistry registry, Supplier<List<HintTargetStats>> stats) {
        io.micrometer.core.instrument.MultiGauge pending = io.micrometer.core.instrument.MultiGauge.builder("sibyl_hints_pending_by_target")
                .description("hints held for one target node").register(registry);
        io.micrometer.core.instrument.MultiGauge bytes = io.micrometer.core.instrument.MultiGauge.builder("sibyl_hints_bytes_by_target")
                .description("serialized bytes of the hints held for one target node").baseUnit("bytes").register(registry);
        return () -> {
            List<HintTargetStats> now = stats.get();
            pending.register(now.stream().map(s -> io.micrometer.core.instrument.MultiGauge.Row.of(
                    io.micrometer.core.instrument.Tags.of("target", s.target().toString()), s.pending())).toList(), true);
            bytes.register(now.stream().map(s -> io.micrometer.core.instrument.MultiGauge.Row.of(
                    io.micrometer.core.instrument.Tags.of("target", s.target().toString()), s.bytes())).toList(), true);
        };
    }

    private static double oldestAgeSeconds(Supplier<List<HintTargetStats>> stats) {
        long now = Instant.now().toEpochMilli();
        return stats.get().stream()
                .flatMap(s -> s.oldest().stream())
                .mapToLong(Instant::toEpochMilli)
                .min()
                .stream()
                .mapToDouble(oldest -> (now - oldest) / 1000.0)
                .findFirst()
                .orElse(0.0);
    }
}
