package io.sibyl.actors.coordinator;

import io.sibyl.storage.schema.SpeculativeRetry;
import io.sibyl.storage.schema.TableMetadata;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the coordinator knows of each table's read latency, and the speculative retry decision made
 * from it (Cassandra's per-table {@code sampleReadLatency} behind {@code speculative_retry}).
 *
 * <p>Sampled: the latency of every answer a remote replica gave to a data or digest read of the
 * table. Not the whole read as Cassandra samples it: while a replica is stalled, reads that
 * speculated take the delay plus a read, so a threshold fed by them would climb a little at every
 * refresh; replica answers keep measuring what a healthy replica takes. Local reads are not
 * sampled: they run inline, so the coordinator never waits on them.
 */
final class ReadLatencies {

    /** Below this many samples a percentile says little: Cassandra's starting value (half the timeout) is used. */
    static final int MIN_SAMPLES = 20;

    /** Told of every speculative retry (the node's metrics count them per table). */
    interface Listener {
        void speculativeRetry(TableMetadata table);
    }

    private final Map<UUID, LatencyReservoir> reservoirs = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicLong> retries = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private volatile Listener listener = t -> { };

    ReadLatencies() {
        this(System::nanoTime);
    }

    ReadLatencies(LongSupplier clock) {
        this.clock = clock;
    }

    void listener(Listener l) {
        this.listener = l == null ? t -> { } : l;
    }

    void record(TableMetadata table, long nanos) {
        reservoir(table).record(nanos);
    }

    private LatencyReservoir reservoir(TableMetadata table) {
        return reservoirs.computeIfAbsent(table.id(), id -> new LatencyReservoir(clock));
    }

    /**
     * How long a read of {@code table} waits for the replicas it asked before asking one more: -1 for
     * never ({@code NONE}, or a delay that would reach the read timeout anyway), 0 for at once
     * ({@code ALWAYS}).
     */
    long speculationDelayNanos(TableMetadata table, Duration readTimeout) {
        SpeculativeRetry option = table.params().speculativeRetry();
        long timeout = readTimeout.toNanos();
        long delay = switch (option.kind()) {
            case NONE -> -1;
            case ALWAYS -> 0;
            case FIXED -> (long) (option.value() * 1_000_000.0);
            case PERCENTILE -> {
                LatencyReservoir r = reservoirs.get(table.id());
                yield r == null || r.count() < MIN_SAMPLES ? timeout / 2 : r.percentileNanos(option.value());
            }
        };
        return delay >= timeout ? -1 : delay;
    }

    void speculated(TableMetadata table) {
        retries.computeIfAbsent(table.id(), id -> new AtomicLong()).incrementAndGet();
        listener.speculativeRetry(table);
    }

    /** Speculative retries of reads of the table since this node started. */
    long speculativeRetries(UUID tableId) {
        AtomicLong n = retries.get(tableId);
        return n == null ? 0 : n.get();
    }
}
