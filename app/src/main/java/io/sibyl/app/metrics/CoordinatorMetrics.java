package io.sibyl.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sibyl.actors.coordinator.DistributedCoordinator;
import io.sibyl.storage.schema.TableMetadata;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The coordinator in /metrics: speculative retries of reads (rapid read protection), per table
 * ({@code sibyl_speculative_retries_total{keyspace,table}}). A table's counter appears with its first
 * retry; retries are rare, so the lookup per retry costs nothing on the read path's common case.
 */
final class CoordinatorMetrics {
    private CoordinatorMetrics() {
    }

    static void bind(MeterRegistry registry, DistributedCoordinator coordinator) {
        coordinator.onSpeculativeRetry(speculativeRetryCounter(registry));
    }

    /** What the coordinator tells of each speculative retry: one increment of the table's counter. */
    static Consumer<TableMetadata> speculativeRetryCounter(MeterRegistry registry) {
        Map<UUID, Counter> counters = new ConcurrentHashMap<>();
        return t -> counters.computeIfAbsent(t.id(), id -> counter(registry, t)).increment();
    }

    private static Counter counter(MeterRegistry registry, TableMetadata t) {
        return Counter.builder("sibyl.speculative.retries")
                .description("Reads coordinated here that asked one more replica after the table's speculative_retry delay")
                .tags("keyspace", t.keyspace(), "table", t.name())
                .register(registry);
    }
}
