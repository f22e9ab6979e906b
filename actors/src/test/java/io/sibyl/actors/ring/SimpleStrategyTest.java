package io.sibyl.actors.ring;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static io.sibyl.actors.ring.TestRings.ids;
import static io.sibyl.actors.ring.TestRings.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SimpleStrategyTest {

    private static final TokenRing RING = TokenRing.empty()
            .withNode(node("A", "dc1", "r1"), List.of(0L))
            .withNode(node("B", "dc1", "r1"), List.of(100L))
            .withNode(node("C", "dc1", "r1"), List.of(200L))
            .withNode(node("D", "dc1", "r1"), List.of(300L));

    @Test
    void walksClockwiseFromTheTokensRange() {
        SimpleStrategy rf3 = new SimpleStrategy(3);
        assertEquals(ids("B", "C", "D"), ids(RING.replicasFor(rf3, 50)));
        assertEquals(ids("B", "C", "D"), ids(RING.replicasFor(rf3, 100)));
        assertEquals(ids("D", "A", "B"), ids(RING.replicasFor(rf3, 300)));
        assertEquals(ids("A", "B", "C"), ids(RING.replicasFor(rf3, 301)));
        assertEquals(ids("A", "B", "C"), ids(RING.replicasFor(rf3, Long.MIN_VALUE)));
    }

    @Test
    void moreReplicasThanNodesGivesAllNodes() {
        assertEquals(ids("C", "D", "A", "B"), ids(RING.replicasFor(new SimpleStrategy(5), 150)));
        assertEquals(List.of(), RING.replicasFor(new SimpleStrategy(0), 150));
    }

    @Test
    void vnodesOfAnAlreadyChosenNodeAreSkipped() {
        TokenRing ring = TokenRing.empty()
                .withNode(node("A", "dc1", "r1"), List.of(0L, 150L))
                .withNode(node("B", "dc1", "r1"), List.of(100L))
                .withNode(node("C", "dc1", "r1"), List.of(200L));
        // 150 A, 200 C, 0 A again (skipped), 100 B
        assertEquals(ids("A", "C", "B"), ids(ring.replicasFor(new SimpleStrategy(3), 120)));
    }

    @Property(tries = 300)
    void everyTokenGetsMinOfRfAndNodesDistinctReplicas(@ForAll long seed,
                                                       @ForAll @IntRange(min = 1, max = 12) int nodes,
                                                       @ForAll @IntRange(min = 1, max = 8) int numTokens,
                                                       @ForAll @IntRange(min = 0, max = 6) int rf,
                                                       @ForAll long token) {
        TokenRing ring = TestRings.randomRing(seed, nodes, 2, 2, numTokens);
        SimpleStrategy s = new SimpleStrategy(rf);
        List<NodeInfo> replicas = ring.replicasFor(s, token);
        assertEquals(Math.min(rf, nodes), replicas.size());
        assertEquals(replicas.size(), new HashSet<>(ids(replicas)).size(), "distinct");
        if (rf > 0) {
            assertEquals(ring.primaryReplica(token), replicas.get(0), "primary first");
        }
        assertEquals(s.calculateNaturalReplicas(ring, token), replicas, "cache agrees with a fresh walk");
    }

    @Property(tries = 200)
    void tokensOfOneRangeShareTheirReplicas(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int nodes,
                                            @ForAll @IntRange(min = 1, max = 5) int rf) {
        TokenRing ring = TestRings.randomRing(seed, nodes, 1, 1, 8);
        SimpleStrategy s = new SimpleStrategy(rf);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20; i++) {
            TokenRange range = ring.rangeFor(r.nextLong());
            List<NodeInfo> atEnd = ring.replicasFor(s, range.right());
            assertEquals(atEnd, ring.replicasFor(s, range.left() + 1));
            assertEquals(atEnd, s.calculateNaturalReplicas(ring, range.left() + 1));
        }
    }

    @Property(tries = 200)
    void effectiveOwnershipSumsToTheReplicaCount(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int nodes,
                                                 @ForAll @IntRange(min = 1, max = 5) int rf) {
        TokenRing ring = TestRings.randomRing(seed, nodes, 1, 1, 8);
        double sum = ring.ownership(new SimpleStrategy(rf)).values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(Math.min(rf, nodes), sum, 1e-9);
        for (double owns : ring.ownership(new SimpleStrategy(rf)).values()) {
            assertEquals(true, owns <= 1.0 + 1e-9, "a node holds each range at most once");
        }
    }
}
