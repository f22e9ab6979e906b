package io.sibyl.actors.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutboundThrottleTest {

    @Test
    void parallelStreamsShareOneBudget() {
        OutboundThrottle t = new OutboundThrottle(1 << 20); // 1 MiB/s for the whole node
        // a second's worth goes at once (the burst), whichever streams take it
        for (int i = 0; i < 16; i++) {
            assertEquals(0, t.reserve(64 * 1024), "chunk " + i + " within the burst");
        }
        // then four streams asking for a chunk each wait one after the other, as one stream would
        long first = t.reserve(256 * 1024);
        long second = t.reserve(256 * 1024);
        long third = t.reserve(256 * 1024);
        long fourth = t.reserve(256 * 1024);
        assertTrue(first > 0 && first <= TimeUnit.MILLISECONDS.toNanos(260), "a quarter second: " + first);
        assertTrue(fourth - first >= TimeUnit.MILLISECONDS.toNanos(700), "4 x 256 KiB at 1 MiB/s: " + (fourth - first));
        assertTrue(second > first && third > second);
    }

    @Test
    void zeroIsUnthrottled() throws Exception {
        OutboundThrottle t = new OutboundThrottle(0);
        assertTrue(t.unthrottled());
        for (int i = 0; i < 100; i++) {
            assertEquals(0, t.reserve(1 << 20));
        }
        t.acquire(1 << 30).toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    @Test
    void acquireCompletesAfterTheWait() throws Exception {
        OutboundThrottle t = new OutboundThrottle(1 << 20);
        t.reserve(1 << 20); // the burst used up
        long t0 = System.nanoTime();
        t.acquire(100 * 1024).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(80), "waited about 100 KiB's time");
    }
}
