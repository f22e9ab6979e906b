package io.sibyl.app.cql;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Write timestamps in microseconds since the epoch, strictly increasing on this node (Cassandra's
 * ClientState does the same), so two writes coordinated here never tie by accident.
 */
public final class MicrosClock {
    private final AtomicLong last = new AtomicLong();
    private final LongSupplier millis;

    public MicrosClock() {
        this(System::currentTimeMillis);
    }

    /** A clock reading milliseconds from {@code millis} (tests drive TTL expiry with it). */
    public MicrosClock(LongSupplier millis) {
        this.millis = millis;
    }

    public long nextMicros() {
        long now = millis.getAsLong() * 1000L;
        while (true) {
            long prev = last.get();
            long next = Math.max(now, prev + 1);
            if (last.compareAndSet(prev, next)) return next;
        }
    }

    /** "Now" in milliseconds since the epoch. */
    public long nowMillis() {
        return millis.getAsLong();
    }

    /** "Now" in seconds, for TTL expiry and tombstone local deletion times. */
    public int nowInSeconds() {
        return (int) (millis.getAsLong() / 1000L);
    }
}
