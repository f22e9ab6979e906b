package io.sibyl.app.cql.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed logins per client address in one-minute windows. Past the limit an address is refused
 * without its password being checked (no bcrypt work for a guesser) until its window ends, which bounds
 * online password guessing to {@code limit} tries per minute per address.
 */
final class LoginThrottle {
    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int MAX_ADDRESSES = 100_000;

    private record Window(long startNanos, int failures) {}

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final int limit;
    private final LongSupplier nanoTime;

    LoginThrottle(int limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    boolean blocked(String address) {
        Window w = windows.get(address);
        return w != null && nanoTime.getAsLong() - w.startNanos < WINDOW_NANOS && w.failures >= limit;
    }

    /** Records a failure; the number of failures in the address's current window. */
    int failed(String address) {
        if (windows.size() > MAX_ADDRESSES) windows.clear();
        long now = nanoTime.getAsLong();
        return windows.compute(address, (a, w) -> w == null || now - w.startNanos >= WINDOW_NANOS
                ? new Window(now, 1) : new Window(w.startNanos, w.failures + 1)).failures;
    }
}
