package io.sibyl.app.cql;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Write timestamps in microseconds since the epoch, strictly increasing on this node (Cassandra's
 * ClientState does the same), so two writes coordinated here never tie by accident.
 */
public final class MicrosClock {
    private final AtomicLong last = new AtomicLong();

    public long nextMicros() {
        long now = System.currentTimeMillis() * 1000L;
        while (true) {
            long prev = last.get();
            long next = Math.max(now, prev + 1);
            if (last.compareAndSet(prev, next)) return next;
        }
    }

    /** "Now" in seconds, for TTL expiry and tombstone local deletion times. */
    public int nowInSeconds() {
        return (int) (System.currentTimeMillis() / 1000L);
    }
}
