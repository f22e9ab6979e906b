package io.sibyl.actors.ring;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import io.sibyl.actors.consistency.ConsistencyLevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Gives {@code node} the score {@code nanos}: a full window of equal answers. */
    private static void score(ReplicaProximity p, NodeId node, long nanos) {
        for (int i = 0; i < ReplicaProximity.WINDOW; i++) {
            p.recordLatency(node, nanos);
        }
    }

    @Test
    void localDcFirstLocalNodeFirstAndSlowOutliersLast() {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        score(p, REMOTE.id(), 10);         // fastest, but in another DC
        score(p, FAST.id(), 1_000);
        score(p, SLOW.id(), 5_000_000);    // over 2x and over 2 ms slower than FAST
        score(p, LOCAL.id(), 9_000_000);   // the local node stays first whatever its score
        for (int i = 0; i < 50; i++) {
            assertEquals(ids("local", "fast", "slow", "remote"), ids(p.sortByProximity(List.of(REMOTE, SLOW, FAST, LOCAL))));
        }
    }

    @Test
    void equallyCloseReplicasComeInEveryOrder() {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        score(p, FAST.id(), 1_000_000);
        score(p, SLOW.id(), 1_900_000);    // slower, but not 2x: as close as FAST
        Map<List<NodeId>, Integer> orders = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            List<NodeInfo> sorted = p.sortByProximity(List.of(SLOW, FAST, LOCAL));
            assertEquals(LOCAL, sorted.get(0));
            orders.merge(ids(sorted), 1, Integer::sum);
        }
        assertEquals(Set.of(ids("local", "slow", "fast"), ids("local", "fast", "slow")), orders.keySet());
        ReplicaProximity q = new ReplicaProximity(LOCAL.id(), "dc1");
        score(q, FAST.id(), 100_000);
        score(q, SLOW.id(), 900_000);      // 9x, but under 2 ms apart: noise, not an outlier
        Set<NodeId> firsts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            firsts.add(q.sortByProximity(List.of(SLOW, FAST)).get(0).id());
        }
        assertEquals(Set.of(SLOW.id(), FAST.id()), firsts);
        score(p, SLOW.id(), 20_000_000);   // now far slower: always after FAST
        for (int i = 0; i < 50; i++) {
            assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST))));
        }
    }

    @Test
    void preferredReplicasComeFirstAmongEquallyCloseOnes() {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        NodeInfo other = node("other", "dc1", "r4");
        score(p, FAST.id(), 1_000_000);
        score(p, other.id(), 1_000_000);
        score(p, SLOW.id(), 50_000_000);
        for (int i = 0; i < 50; i++) {
            // The local node stays first and the slow outlier last, preferred or not.
            assertEquals(ids("local", "other", "fast", "slow"),
                    ids(p.sortByProximity(List.of(SLOW, FAST, other, LOCAL), Set.of(other.id(), SLOW.id()))));
        }
    }

    @Test
    void theScoreIsTheMedianOfRecentAnswersSoSingleSlowAnswersDemoteNothing() {
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        p.recordLatency(FAST.id(), 4_000_000);
        p.recordLatency(FAST.id(), 8_000_000);
        assertTrue(p.latencyNanos(FAST.id()).isEmpty(), "two answers are no score yet");
        p.recordLatency(FAST.id(), 5_000_000);
        assertEquals(5_000_000.0, p.latencyNanos(FAST.id()).orElseThrow(), 1e-9);
        score(p, SLOW.id(), 5_000_000);
        for (int i = 0; i < 5; i++) {             // answers at p99 under load: 20x the typical one
            p.recordLatency(SLOW.id(), 100_000_000);
        }
        assertEquals(5_000_000.0, p.latencyNanos(SLOW.id()).orElseThrow(), 1e-9);
        Set<NodeId> firsts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            firsts.add(p.sortByProximity(List.of(SLOW, FAST)).get(0).id());
        }
        assertEquals(Set.of(SLOW.id(), FAST.id()), firsts);
        for (int i = 0; i < ReplicaProximity.WINDOW / 2; i++) {   // most recent answers slow: a slow replica
            p.recordLatency(SLOW.id(), 100_000_000);
        }
        assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST))));
        score(p, FAST.id(), 200_000_000);         // the window follows: now FAST is the outlier
        score(p, SLOW.id(), 1_000_000);
        assertEquals(ids("slow", "fast"), ids(p.sortByProximity(List.of(FAST, SLOW))));
        p.forget(FAST.id());
        assertTrue(p.latencyNanos(FAST.id()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> p.recordLatency(FAST.id(), -1));
        assertThrows(IllegalArgumentException.class, () -> new ReplicaProximity(LOCAL.id(), "dc1", 0, System::nanoTime));
    }

    @Test
    void anUnmeasuredReplicaNeverDemotesAMeasuredOne() {
        // Before: an unmeasured replica scored 0, so a measured one at 5 ms was an outlier next to it;
        // it got no reads, its score expired, and the two swapped roles every second.
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        score(p, FAST.id(), 5_000_000);
        Set<NodeId> firsts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            firsts.add(p.sortByProximity(List.of(SLOW, FAST, LOCAL)).get(1).id());
        }
        assertEquals(Set.of(SLOW.id(), FAST.id()), firsts);
    }

    /** Reads each replica serves (data and digest) when every node coordinates {@code perNode} reads of random keys. */
    private static Map<NodeId, Integer> readsPerReplica(TokenRing ring, ReplicationStrategy strategy, ConsistencyLevel cl,
                                                         int perNode, java.util.function.Consumer<ReplicaProximity> scores) {
        Map<NodeId, Integer> reads = new HashMap<>();
        java.util.Random keys = new java.util.Random(42);
        for (NodeInfo coordinator : ring.nodes()) {
            ReplicaProximity p = new ReplicaProximity(coordinator.id(), coordinator.dc());
            scores.accept(p);
            for (int i = 0; i < perNode; i++) {
                List<NodeInfo> replicas = ring.replicasFor(strategy, keys.nextLong());
                for (NodeInfo n : cl.filterForRead(strategy, "dc1", p.sortByProximity(replicas))) {
                    reads.merge(n.id(), 1, Integer::sum);
                }
            }
        }
        return reads;
    }

    private static void assertBalanced(Map<NodeId, Integer> reads, int nodes, double tolerance) {
        double mean = reads.values().stream().mapToInt(Integer::intValue).sum() / (double) nodes;
        assertEquals(nodes, reads.size(), reads.toString());
        for (Map.Entry<NodeId, Integer> e : reads.entrySet()) {
            assertTrue(Math.abs(e.getValue() - mean) <= tolerance * mean,
                    e.getKey() + " served " + e.getValue() + " reads, mean " + mean + ": " + reads);
        }
    }

    @Test
    void quorumReadsOnThreeNodesRf3AreBalanced() {
        TokenRing ring = TestRings.randomRing(7, 3, 1, 3, 16);
        // Every node coordinates as many reads (clients round robin); each read is one local data
        // read and one digest read from a replica chosen among the other two.
        Map<NodeId, Integer> reads = readsPerReplica(ring, new SimpleStrategy(3), ConsistencyLevel.QUORUM, 30_000, p -> {
        });
        assertBalanced(reads, 3, 0.03);
        // Latencies within the badness threshold (as on a healthy loaded cluster) change nothing.
        reads = readsPerReplica(ring, new SimpleStrategy(3), ConsistencyLevel.QUORUM, 30_000, p -> {
            score(p, NodeId.of("n0"), 1_000_000);
            score(p, NodeId.of("n1"), 1_800_000);
            score(p, NodeId.of("n2"), 2_500_000);
        });
        assertBalanced(reads, 3, 0.03);
    }

    @Test
    void oneAndQuorumReadsThroughNonReplicasAreBalanced() {
        // 4 nodes RF 3 owning equal ranges (so ownership is no source of imbalance): a quarter of the
        // keys have a coordinator that is not a replica, and it spreads them over their three replicas.
        TokenRing ring = TokenRing.empty();
        for (int i = 0; i < 4; i++) {
            ring = ring.withNode(node("n" + i, "dc1", "r" + i), List.of(Long.MIN_VALUE + i * (1L << 62)));
        }
        assertBalanced(readsPerReplica(ring, new SimpleStrategy(3), ConsistencyLevel.ONE, 30_000, p -> {
        }), 4, 0.05);
        assertBalanced(readsPerReplica(ring, new SimpleStrategy(3), ConsistencyLevel.QUORUM, 30_000, p -> {
        }), 4, 0.05);
    }

    @Test
    void aSlowReplicaIsAvoidedWithoutPilingReadsOntoOneOther() {
        List<NodeInfo> nodes = new ArrayList<>(TestRings.randomRing(13, 4, 1, 4, 1).nodes());
        NodeInfo coordinator = nodes.get(0);
        NodeInfo slow = nodes.get(3);
        ReplicaProximity p = new ReplicaProximity(coordinator.id(), "dc1");
        for (NodeInfo n : nodes) {
            score(p, n.id(), n.equals(slow) ? 50_000_000 : 1_000_000);
        }
        Map<NodeId, Integer> first = new HashMap<>();
        List<NodeInfo> others = List.of(nodes.get(1), nodes.get(2), slow);
        for (int i = 0; i < 30_000; i++) {
            first.merge(p.sortByProximity(others).get(0).id(), 1, Integer::sum);
        }
        assertEquals(2, first.size(), "the slow replica is never first: " + first);
        assertBalanced(first, 2, 0.03);
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

    /** A settable {@link System#nanoTime()} for the score's time to live. */
    private static final class FakeClock implements java.util.function.LongSupplier {
        long now = 1_000_000_000L;

        @Override
        public long getAsLong() {
            return now;
        }
    }

    @Test
    void theLocalNodesExecutionTimeIsNeverComparedWithRoundTrips() {
        // As on a loaded cluster: local reads take tens of microseconds, remote round trips milliseconds.
        // Compared with the local score every remote replica was an outlier, ordered by latency, so
        // one of them got every digest (local reads 2.5 : 1 : 2.5 on the 3-node cluster).
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        score(p, LOCAL.id(), 40_000);
        score(p, FAST.id(), 9_000_000);
        score(p, SLOW.id(), 10_500_000);   // slower, but not 2x the best remote: as good as FAST
        Map<NodeId, Integer> second = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            List<NodeInfo> sorted = p.sortByProximity(List.of(SLOW, FAST, LOCAL));
            assertEquals(LOCAL, sorted.get(0));
            second.merge(sorted.get(1).id(), 1, Integer::sum);
        }
        assertBalanced(second, 2, 0.05);
    }

    @Property(tries = 50)
    void withScoresWithinTheThresholdEveryReplicaGetsTheDataRequestEqually(
            @ForAll @LongRange(min = 0, max = 20_000_000) long base,
            @ForAll @DoubleRange(min = 1.0, max = 2.0) double second,
            @ForAll @DoubleRange(min = 1.0, max = 2.0) double third) {
        // A coordinator that is not a replica (4 nodes, RF 3): the first replica gets the data request.
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1");
        NodeInfo other = node("other", "dc1", "r4");
        score(p, FAST.id(), base);
        score(p, SLOW.id(), (long) (base * second));
        score(p, other.id(), (long) (base * third));
        Map<NodeId, Integer> data = new HashMap<>();
        for (int i = 0; i < 6_000; i++) {
            data.merge(p.sortByProximity(List.of(FAST, SLOW, other)).get(0).id(), 1, Integer::sum);
        }
        assertBalanced(data, 3, 0.10);
    }

    @Test
    void quorumReadsOnThreeNodesRf3AreBalancedWithMeasuredScores() {
        TokenRing ring = TestRings.randomRing(7, 3, 1, 3, 16);
        // Every coordinator measured its own reads (execution only) and its peers' round trips, one
        // peer a little faster than the other from each coordinator's point of view.
        Map<NodeId, Integer> data = new HashMap<>();
        Map<NodeId, Integer> reads = new HashMap<>();
        java.util.Random keys = new java.util.Random(42);
        for (NodeInfo coordinator : ring.nodes()) {
            ReplicaProximity p = new ReplicaProximity(coordinator.id(), coordinator.dc());
            long rtt = 3_000_000;
            for (NodeInfo n : ring.nodes()) {
                score(p, n.id(), n.equals(coordinator) ? 50_000 : (rtt += 1_500_000));
            }
            for (int i = 0; i < 30_000; i++) {
                List<NodeInfo> contacts = ConsistencyLevel.QUORUM.filterForRead(new SimpleStrategy(3), "dc1",
                        p.sortByProximity(ring.replicasFor(new SimpleStrategy(3), keys.nextLong())));
                data.merge(contacts.get(0).id(), 1, Integer::sum);
                for (NodeInfo n : contacts) {
                    reads.merge(n.id(), 1, Integer::sum);
                }
            }
        }
        assertBalanced(data, 3, 0.01);        // each coordinator reads its data locally
        assertBalanced(reads, 3, 0.03);
    }

    @Test
    void aDemotedReplicaIsTriedAgainOnceItsScoreExpires() {
        FakeClock clock = new FakeClock();
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1", 1_000_000_000L, clock);
        score(p, FAST.id(), 1_000_000);
        score(p, SLOW.id(), 50_000_000);   // a GC pause: demoted, so no more reads, so no more samples
        for (int i = 0; i < 50; i++) {
            assertEquals(ids("local", "fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST, LOCAL))));
        }
        clock.now += 600_000_000L;
        score(p, FAST.id(), 1_000_000);    // FAST keeps answering; SLOW is asked nothing
        assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST))));
        clock.now += 600_000_000L;                // SLOW's score is 1.2 s old: expired, SLOW counts as good again
        assertTrue(p.latencyNanos(SLOW.id()).isEmpty());
        Set<NodeId> firsts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            firsts.add(p.sortByProximity(List.of(SLOW, FAST)).get(0).id());
        }
        assertEquals(Set.of(SLOW.id(), FAST.id()), firsts);
        // Its first answers start a fresh window: the 50 ms of the pause are not held against it.
        for (int i = 0; i < ReplicaProximity.MIN_SAMPLES; i++) {
            p.recordLatency(SLOW.id(), 1_200_000);
        }
        assertEquals(1_200_000.0, p.latencyNanos(SLOW.id()).orElseThrow(), 1e-9);
        firsts.clear();
        for (int i = 0; i < 200; i++) {
            firsts.add(p.sortByProximity(List.of(SLOW, FAST)).get(0).id());
        }
        assertEquals(Set.of(SLOW.id(), FAST.id()), firsts);
        // Still slow when tried again: demoted again at once.
        clock.now += 2_000_000_000L;
        score(p, FAST.id(), 1_000_000);
        for (int i = 0; i < ReplicaProximity.MIN_SAMPLES; i++) {
            p.recordLatency(SLOW.id(), 40_000_000);
        }
        assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST))));
    }

    @Test
    void aReplicaThatStopsAnsweringIsDemotedByItsSilenceBeforeAnyTimeout() {
        FakeClock clock = new FakeClock();
        ReplicaProximity p = new ReplicaProximity(LOCAL.id(), "dc1", 1_000_000_000L, clock);
        score(p, FAST.id(), 1_000_000);
        score(p, SLOW.id(), 1_000_000);
        p.requestSent(SLOW.id());
        p.requestSent(FAST.id());
        clock.now += 60_000_000;                  // 60 ms without an answer: one slow answer, not yet a stall
        p.recordLatency(FAST.id(), 1_000_000);
        Set<NodeId> firsts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            firsts.add(p.sortByProximity(List.of(SLOW, FAST)).get(0).id());
        }
        assertEquals(Set.of(SLOW.id(), FAST.id()), firsts);
        clock.now += 50_000_000;                  // SLOW stalled: 110 ms of silence with a request outstanding
        assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST))));
        clock.now += 5_000_000_000L;              // long after its median expired, the silence still counts
        p.requestSent(FAST.id());
        p.recordLatency(FAST.id(), 1_000_000);
        assertEquals(ids("fast", "slow"), ids(p.sortByProximity(List.of(SLOW, FAST))));
        p.requestEnded(SLOW.id());                // its request failed (no timeout): nothing outstanding
        firsts.clear();
        for (int i = 0; i < 200; i++) {
            firsts.add(p.sortByProximity(List.of(SLOW, FAST)).get(0).id());
        }
        assertEquals(Set.of(SLOW.id(), FAST.id()), firsts, "tried again: its old score expired");
        // Answering resets the silence: a replica under steady load with outstanding requests is not silent.
        p.requestSent(SLOW.id());
        p.requestSent(SLOW.id());
        clock.now += 1_000_000;
        p.recordLatency(SLOW.id(), 1_000_000);
        clock.now += 1_000_000;
        firsts.clear();
        for (int i = 0; i < 200; i++) {
            firsts.add(p.sortByProximity(List.of(SLOW, FAST)).get(0).id());
        }
        assertEquals(Set.of(SLOW.id(), FAST.id()), firsts);
    }
}
