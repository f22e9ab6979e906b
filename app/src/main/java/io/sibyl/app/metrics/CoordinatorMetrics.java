package io.sibyl.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.ReadTimeoutException;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.coordinator.DistributedCoordinator;
import io.sibyl.app.http.ErrorMapper;
import io.sibyl.storage.schema.TableMetadata;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The coordinator in /metrics, per request kind ({@code read}, {@code scan}, {@code write}, {@code cas})
 * and consistency level, as Cassandra's ClientRequest metrics:
 * {@code sibyl_coordinator_requests_seconds} (histogram with {@code _bucket}),
 * {@code sibyl_coordinator_unavailables_total}, {@code sibyl_coordinator_timeouts_total},
 * {@code sibyl_coordinator_failures_total} (other errors, e.g. read failures, overload), plus
 * {@code sibyl_read_repairs_total{consistency,keyspace,table}} and speculative retries per table
 * ({@code sibyl_speculative_retries_total{keyspace,table}}). Meters appear with their first event.
 */
final class CoordinatorMetrics {
    private CoordinatorMetrics() {
    }

    static void bind(MeterRegistry registry, DistributedCoordinator coordinator) {
        coordinator.onSpeculativeRetry(speculativeRetryCounter(registry));
        coordinator.onRequest(requestListener(registry));
        Map<String, Counter> repairs = new ConcurrentHashMap<>();
        coordinator.onReadRepair((cl, t, replicas) -> repairs.computeIfAbsent(cl.name() + "/" + t.id(),
                k -> Counter.builder("sibyl.read.repairs").description("Reads coordinated here that repaired stale replicas")
                        .tags("consistency", cl.name(), "keyspace", t.keyspace(), "table", t.name()).register(registry))
                .increment());
    }

    static DistributedCoordinator.RequestListener requestListener(MeterRegistry registry) {
        Map<String, Timer> timers = new ConcurrentHashMap<>();
        Map<String, Counter> errors = new ConcurrentHashMap<>();
        return (kind, cl, nanos, failure) -> {
            String level = cl.name();
            timers.computeIfAbsent(kind + "/" + level, k -> Timer.builder("sibyl.coordinator.requests")
                    .description("Requests coordinated here by kind and consistency level, failed ones included")
                    .serviceLevelObjectives(LatencyBuckets.BOUNDS).tags("kind", kind, "consistency", level)
                    .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
            if (failure != null) {
                String outcome = outcome(ErrorMapper.unwrap(failure));
                errors.computeIfAbsent(outcome + "/" + kind + "/" + level, k -> Counter.builder("sibyl.coordinator." + outcome)
                        .description("Requests coordinated here that failed: " + outcome)
                        .tags("kind", kind, "consistency", level).register(registry)).increment();
            }
        };
    }

    static String outcome(Throwable t) {
        if (t instanceof UnavailableException) {
            return "unavailables";
        }
        if (t instanceof WriteTimeoutException || t instanceof ReadTimeoutException) {
            return "timeouts";
        }
        if (t instanceof OverloadedException) {
            return "overloads";
        }
        return "failures";
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
