package io.sibyl.actors.coordinator;

import io.sibyl.storage.schema.SpeculativeRetry;
import io.sibyl.storage.schema.TableMetadata;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The speculative retry decision: the delay each option gives, from a table's samples and a fake clock. */
class ReadLatenciesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long MS = 1_000_000;

    private static TableMetadata table(SpeculativeRetry r) {
        return TestCluster.RF3.withParams(TestCluster.RF3.params().withSpeculativeRetry(r));
    }

    @Test
    void fixedAlwaysAndNone() {
        ReadLatencies l = new ReadLatencies();
        assertEquals(20 * MS, l.speculationDelayNanos(table(SpeculativeRetry.fixedMillis(20)), TIMEOUT));
        assertEquals(2_500_000, l.speculationDelayNanos(table(SpeculativeRetry.fixedMillis(2.5)), TIMEOUT));
        assertEquals(0, l.speculationDelayNanos(table(SpeculativeRetry.ALWAYS), TIMEOUT));
        assertEquals(-1, l.speculationDelayNanos(table(SpeculativeRetry.NONE), TIMEOUT));
        // A delay that reaches the timeout would never help.
        assertEquals(-1, l.speculationDelayNanos(table(SpeculativeRetry.fixedMillis(5000)), TIMEOUT));
    }

    @Test
    void percentileOfRecentSamplesWithHalfTheTimeoutUntilThereAreEnough() {
        AtomicLong now = new AtomicLong();
        ReadLatencies l = new ReadLatencies(now::get);
        TableMetadata t = table(SpeculativeRetry.DEFAULT);
        assertEquals(TIMEOUT.toNanos() / 2, l.speculationDelayNanos(t, TIMEOUT), "no samples: Cassandra's starting value");
        for (int i = 1; i < ReadLatencies.MIN_SAMPLES; i++) {
            l.record(t, i * MS);
        }
        assertEquals(TIMEOUT.toNanos() / 2, l.speculationDelayNanos(t, TIMEOUT), "too few samples");
        for (int i = ReadLatencies.MIN_SAMPLES; i <= 100; i++) {
            l.record(t, i * MS);
        }
        now.addAndGet(LatencyReservoir.REFRESH_NANOS);
        assertEquals(99 * MS, l.speculationDelayNanos(t, TIMEOUT), "99th of 1..100 ms");
        assertEquals(50 * MS, l.speculationDelayNanos(table(SpeculativeRetry.percentile(50)), TIMEOUT));
    }

    @Test
    void theReservoirForgetsOldSamplesAndRefreshesItsCache() {
        AtomicLong now = new AtomicLong();
        LatencyReservoir r = new LatencyReservoir(now::get);
        for (int i = 0; i < LatencyReservoir.SIZE; i++) {
            r.record(900 * MS);                          // a slow past
        }
        assertEquals(900 * MS, r.percentileNanos(99));
        for (int i = 0; i < LatencyReservoir.SIZE; i++) {
            r.record(3 * MS);                            // a healthy present fills the window
        }
        assertEquals(900 * MS, r.percentileNanos(99), "cached until the refresh interval passes");
        now.addAndGet(LatencyReservoir.REFRESH_NANOS);
        assertEquals(3 * MS, r.percentileNanos(99));
        assertEquals(-1, new LatencyReservoir(now::get).percentileNanos(99));
    }

    @Test
    void speculativeRetriesAreCountedPerTableAndReported() {
        ReadLatencies l = new ReadLatencies();
        List<String> told = new ArrayList<>();
        l.listener(t -> told.add(t.name()));
        TableMetadata t = table(SpeculativeRetry.DEFAULT);
        l.speculated(t);
        l.speculated(t);
        assertEquals(2, l.speculativeRetries(t.id()));
        assertEquals(0, l.speculativeRetries(TestCluster.RF1.id()));
        assertEquals(List.of("kv", "kv"), told);
    }
}
