package io.sibyl.actors.streaming;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.util.AsyncPermits;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most {@code perSource} range fetches running against one source node at a time
 * ({@code sibyl.streaming.parallelism}), over every session of this node; the rest queue in order. Keeps a
 * node that gains many ranges from opening dozens of streams on one source (whose outgoing bytes are
 * throttled anyway, see {@link OutboundThrottle}) while still overlapping one range's reads and writes with
 * the next one's.
 */
final class SourceSlots {

    private final int perSource;
    private final Map<NodeId, AsyncPermits> bySource = new ConcurrentHashMap<>();

    SourceSlots(int perSource) {
        this.perSource = perSource;
    }

    /** Runs {@code task} once a slot on {@code source} is free; the slot is free again when its stage ends. */
    <T> CompletionStage<T> run(NodeId source, Supplier<CompletionStage<T>> task) {
        return bySource.computeIfAbsent(source, s -> new AsyncPermits(perSource)).submit(task);
    }

    /** Fetches running against {@code source} now (for tests and logs). */
    int running(NodeId source) {
        AsyncPermits s = bySource.get(source);
        return s == null ? 0 : s.running();
    }
}
