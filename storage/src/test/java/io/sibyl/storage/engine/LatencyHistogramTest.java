package io.sibyl.storage.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinTwoSignificantDigitsAndOutOfRangeValuesAreClamped() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(TableStats.Latency.EMPTY, h.snapshot());
        for (int i = 1; i <= 1000; i++) {
            h.recordNanos(i * 1_000L); // 1..1000 µs
        }
        h.recordNanos(-5);                 // a clock step backwards counts as 0
        h.recordNanos(Long.MAX_VALUE);     // beyond an hour counts as an hour
        TableStats.Latency l = h.snapshot();
        assertEquals(1002, l.count());
        assertTrue(Math.abs(l.p50Micros() - 500) <= 5, "p50 " + l.p50Micros());
        assertTrue(Math.abs(l.p99Micros() - 990) <= 10, "p99 " + l.p99Micros());
        assertTrue(l.maxMicros() >= LatencyHistogram.MAX_MICROS * 0.99, "max " + l.maxMicros());
    }

    @Test
    void concurrentRecordingLosesNoCount() throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    h.recordNanos((i % 5000) * 1000L);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(200_000, h.snapshot().count());
    }
}
