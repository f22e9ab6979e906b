package io.sibyl.actors.ring;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.sibyl.actors.ring.TestRings.ids;
import static io.sibyl.actors.ring.TestRings.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaProximityTest {

    private static final NodeInfo LOCAL = node("local", "dc1", "r1");
    private static final NodeInfo FAST = node("fast", "dc1", "r2");
    private static final NodeInfo SLOW = node("slow", "dc1", "r3");
    private static final NodeInfo REMOTE = node("remote", "dc2", "r1");

    @Test
    void localDcFirstThenLatencyThenLocalNode() {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        p.recordLatency(REMOTE.id(), 10);         // fastest, but in another DC
        p.recordLatency(FAST.id(), 1_000);
        p.recordLatency(SLOW.id(), 5_000_000);    // over 2x and over 2 ms slower
        p.recordLatency(LOCAL.id(), 1_000);       // ties with FAST: the local node wins the tie
        assertEquals(ids("local", "fast", "slow", "remote"), ids(p.sortByProximity(List.of(REMOTE, SLOW, FAST, LOCAL))));
    }

    @Test
    void unsampledNodesAreTriedFirstAndInputOrderBreaksTies() {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        p.recordLatency(FAST.id(), 3_000_000);
        NodeInfo other = node("other", "dc1", "r4");
        // slow, other and local are all unsampled (score 0): local wins the tie, then input order.
        assertEquals(ids("local", "slow", "other", "fast"),
                ids(p.sortByProximity(List.of(SLOW, FAST, other, LOCAL))));
    }

    @Test
    void withinTheBadnessThresholdRingOrderIsKeptSoReadsSpreadOverReplicas() {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        p.recordLatency(FAST.id(), 1_000_000);
        p.recordLatency(SLOW.id(), 1_900_000);    // slower, but not 2x
        assertEquals(ids("slow", "fast"), ids(p.sortByProximity(List.of(SLOW, FAST))));
        assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(FAST, SLOW))));
        assertEquals(ids("local", "slow", "fast"), ids(p.sortByProximity(List.of(SLOW, FAST, LOCAL))));
        ReplicaProximity q = new ReplicaProximity(LOCAL.id(), "dc1");
        q.recordLatency(FAST.id(), 100_000);
        q.recordLatency(SLOW.id(), 900_000);      // 9x, but under 2 ms apart: noise, ring order stays
        assertEquals(ids("slow", "fast"), ids(q.sortByProximity(List.of(SLOW, FAST))));
        p.recordLatency(SLOW.id(), 20_000_000);   // now far slower: it moves back whatever the ring order
        assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST))));
    }

    @Test
    void movingAverageFollowsNewSamples() {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1", 0.5);
        p.recordLatency(FAST.id(), 4_000_000);
        p.recordLatency(FAST.id(), 8_000_000);
        assertEquals(6_000_000.0, p.latencyNanos(FAST.id()).orElseThrow(), 1e-9);
        p.recordLatency(SLOW.id(), 1_000_000);    // over 2x and 2 ms faster: latency decides
        assertEquals(ids("slow", "fast"), ids(p.sortByProximity(List.of(FAST, SLOW))));
        for (int i = 0; i < 20; i++) {
            p.recordLatency(FAST.id(), 100_000);
        }
        p.recordLatency(SLOW.id(), 5_000_000);
        assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST))));
        p.forget(FAST.id());
        assertTrue(p.latencyNanos(FAST.id()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> p.recordLatency(FAST.id(), -1));
        assertThrows(IllegalArgumentException.class, () -> new ReplicaProximity(LOCAL.id(), "dc1", 0));
    }

    @Test
    void concurrentRecordingLosesNoNodeAndKeepsAveragesInRange() throws Exception {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    p.recordLatency(NodeId.of("n" + ((i + offset) % 50)), 1_000 + (i % 2) * 1_000);
                }
            });
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        for (int i = 0; i < 50; i++) {
            double v = p.latencyNanos(NodeId.of("n" + i)).orElseThrow();
            assertTrue(v >= 1_000 && v <= 2_000, "average " + v);
        }
    }
}
