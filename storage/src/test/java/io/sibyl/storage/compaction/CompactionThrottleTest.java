package io.sibyl.storage.compaction;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompactionThrottleTest {

    @Test
    void holdsTheRate() throws Exception {
        CompactionThrottle t = new CompactionThrottle(1 << 20); // 1 MiB/s
        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            t.acquire(128 << 10); // 768 KiB in all
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds > 0.6 && seconds < 2, "took " + seconds);
    }

    @Test
    void zeroMeansUnthrottled() throws Exception {
        CompactionThrottle t = CompactionThrottle.unthrottled();
        long start = System.nanoTime();
        t.acquire(1L << 40);
        assertTrue(System.nanoTime() - start < 50_000_000L);
        assertThrows(IllegalArgumentException.class, () -> t.setRate(-1));
    }

    @Test
    void settingsDefaultsAndAutoConcurrency() {
        CompactionSettings s = CompactionSettings.defaults();
        assertEquals(64L << 20, s.throughputBytesPerSec());
        assertEquals(1, CompactionSettings.autoConcurrency(2));
        assertEquals(1, CompactionSettings.autoConcurrency(1));
        assertEquals(2, CompactionSettings.autoConcurrency(8));
    }
}
