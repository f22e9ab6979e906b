package io.sibyl.actors.streaming;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code stream_throughput_outbound} for a whole node: every outgoing stream takes its chunks' bytes from this
 * one budget, so ranges streamed in parallel (to one node or several) together send at most the configured
 * rate, as Cassandra's StreamManager limiter does. A virtual-time token bucket (GCRA): each reservation moves
 * the theoretical send time on by its cost; a chunk waits only as long as that time runs more than one
 * second's worth of bytes (the burst) ahead of now.
 */
public final class OutboundThrottle {

    private final long bytesPerSecond;
    private final long burstNanos;
    private long theoreticalNanos = System.nanoTime();

    /** @param bytesPerSecond the node's budget; 0 = unthrottled */
    public OutboundThrottle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.burstNanos = TimeUnit.SECONDS.toNanos(1);
    }

    public boolean unthrottled() {
        return bytesPerSecond <= 0;
    }

    /** How long (nanos) a chunk of {@code bytes} reserved now must wait before it is sent. */
    synchronized long reserve(long bytes) {
        if (unthrottled()) {
            return 0;
        }
        long now = System.nanoTime();
        long cost = (long) (bytes * 1_000_000_000.0 / bytesPerSecond);
        theoreticalNanos = Math.max(theoreticalNanos, now) + cost;
        return Math.max(0, theoreticalNanos - now - burstNanos);
    }

    /** Completes when a chunk of {@code bytes} may be sent. */
    public CompletionStage<Void> acquire(long bytes) {
        long wait = reserve(bytes);
        if (wait == 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS).execute(() -> f.complete(null));
        return f;
    }
}
