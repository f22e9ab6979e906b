package io.sibyl.actors.ring;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.sibyl.actors.ring.TestRings.ids;
import static io.sibyl.actors.ring.TestRings.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkTopologyStrategyTest {

    /** One DC, two racks: ring order A(r1) B(r1) C(r1) D(r2) E(r2). */
    private static final TokenRing TWO_RACKS = TokenRing.empty()
            .withNode(node("A", "dc1", "r1"), List.of(10L))
            .withNode(node("B", "dc1", "r1"), List.of(20L))
            .withNode(node("C", "dc1", "r1"), List.of(30L))
            .withNode(node("D", "dc1", "r2"), List.of(40L))
            .withNode(node("E", "dc1", "r2"), List.of(50L));

    @Test
    void twoRacksRf3TakesEachRackAndTheFirstSameRackNode() {
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 3));
        // A (new rack r1), B (r1 again: one repeat allowed as 3 > 2 racks), C (no repeats left), D (r2).
        assertEquals(ids("A", "B", "D"), ids(TWO_RACKS.replicasFor(nts, 5)));
        // D (r2), E (r2 repeat), A (r1).
        assertEquals(ids("D", "E", "A"), ids(TWO_RACKS.replicasFor(nts, 35)));
        // E (r2), A (r1), B (repeat): wraps around.
        assertEquals(ids("E", "A", "B"), ids(TWO_RACKS.replicasFor(nts, 45)));
    }

    @Test
    void twoRacksRf2NeverRepeatsARack() {
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 2));
        assertEquals(ids("A", "D"), ids(TWO_RACKS.replicasFor(nts, 5)));
        assertEquals(ids("B", "D"), ids(TWO_RACKS.replicasFor(nts, 15)));
    }

    @Test
    void dcWithFewerNodesThanRfGetsAllItsNodes() {
        TokenRing ring = TokenRing.empty()
                .withNode(node("A", "dc1", "r1"), List.of(0L))
                .withNode(node("B", "dc1", "r1"), List.of(100L))
                .withNode(node("X", "dc2", "r1"), List.of(50L));
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 3, "dc2", 3));
        assertEquals(ids("X", "B", "A"), ids(ring.replicasFor(nts, 1)));
        // A DC configured but empty, and a DC with nodes but not configured, place nothing.
        NetworkTopologyStrategy other = new NetworkTopologyStrategy(Map.of("dc3", 2, "dc2", 1));
        assertEquals(ids("X"), ids(ring.replicasFor(other, 70)));
    }

    @Test
    void multipleDcsAreFilledIndependentlyInOneWalk() {
        TokenRing ring = TokenRing.empty()
                .withNode(node("A", "dc1", "r1"), List.of(0L))
                .withNode(node("E", "dc2", "r1"), List.of(50L))
                .withNode(node("B", "dc1", "r2"), List.of(100L))
                .withNode(node("F", "dc2", "r1"), List.of(150L))
                .withNode(node("C", "dc1", "r1"), List.of(200L))
                .withNode(node("G", "dc2", "r1"), List.of(250L))
                .withNode(node("D", "dc1", "r2"), List.of(300L));
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 2, "dc2", 2));
        // From 100: B(dc1 r2) F(dc2 r1) C(dc1 r1) -> dc1 done; G(dc2, repeat of its only rack) -> done.
        assertEquals(ids("B", "F", "C", "G"), ids(ring.replicasFor(nts, 60)));
        // From 300: D(dc1 r2) A(dc1 r1) E(dc2) B(dc1 done) F(dc2).
        assertEquals(ids("D", "A", "E", "F"), ids(ring.replicasFor(nts, 260)));
        assertEquals(4, nts.replicationFactor());
        assertEquals(4.0, ring.ownership(nts).values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }

    @Test
    void sameRackNameInTwoDcsIsTwoRacks() {
        TokenRing ring = TokenRing.empty()
                .withNode(node("A", "dc1", "rack1"), List.of(0L))
                .withNode(node("X", "dc2", "rack1"), List.of(10L))
                .withNode(node("B", "dc1", "rack2"), List.of(20L))
                .withNode(node("Y", "dc2", "rack2"), List.of(30L));
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 2, "dc2", 2));
        assertEquals(ids("A", "X", "B", "Y"), ids(ring.replicasFor(nts, -5)));
    }

    private static NetworkTopologyStrategy randomNts(SplittableRandom r, int dcs) {
        Map<String, Integer> dcRf = new HashMap<>();
        for (int d = 1; d <= dcs; d++) {
            if (r.nextInt(5) > 0) {
                dcRf.put("dc" + d, r.nextInt(5));
            }
        }
        return new NetworkTopologyStrategy(dcRf);
    }

    @Property(tries = 300)
    void replicasPerDcAreMinOfRfAndNodesOnDistinctRacksWherePossible(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 14) int nodes,
            @ForAll @IntRange(min = 1, max = 3) int dcs, @ForAll @IntRange(min = 1, max = 4) int racks,
            @ForAll @IntRange(min = 1, max = 6) int numTokens, @ForAll long token) {
        TokenRing ring = TestRings.randomRing(seed, nodes, dcs, racks, numTokens);
        NetworkTopologyStrategy nts = randomNts(new SplittableRandom(seed), dcs);
        List<NodeInfo> replicas = ring.replicasFor(nts, token);
        assertEquals(replicas.size(), new HashSet<>(ids(replicas)).size(), "distinct");
        int expectedTotal = 0;
        for (String dc : ring.dataCenters()) {
            int rf = nts.replicationFactor(dc);
            long inDc = replicas.stream().filter(n -> n.isIn(dc)).count();
            assertEquals(Math.min(rf, ring.nodeCountIn(dc)), inDc, "replicas in " + dc);
            long distinctRacks = replicas.stream().filter(n -> n.isIn(dc)).map(NodeInfo::rack).distinct().count();
            assertEquals(Math.min(inDc, ring.rackCountIn(dc)), distinctRacks, "racks used in " + dc);
            expectedTotal += Math.min(rf, ring.nodeCountIn(dc));
        }
        assertEquals(expectedTotal, replicas.size());
        assertEquals(nts.calculateNaturalReplicas(ring, token), replicas, "cache agrees with a fresh walk");
    }

    @Property(tries = 300)
    void sameSetAsTheTwoPhaseFormulation(@ForAll long seed, @ForAll @IntRange(min = 1, max = 14) int nodes,
                                         @ForAll @IntRange(min = 1, max = 3) int dcs,
                                         @ForAll @IntRange(min = 1, max = 4) int racks,
                                         @ForAll @IntRange(min = 1, max = 6) int numTokens, @ForAll long token) {
        TokenRing ring = TestRings.randomRing(seed, nodes, dcs, racks, numTokens);
        NetworkTopologyStrategy nts = randomNts(new SplittableRandom(~seed), dcs);
        Set<NodeId> expected = TestRings.twoPhaseNts(ring, nts.dcRf(), token);
        assertEquals(expected, new HashSet<>(ids(ring.replicasFor(nts, token))));
    }

    @Property(tries = 150)
    void tokensOfOneRangeShareTheirReplicasAndOwnershipSumsToReplicaCount(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int nodes,
            @ForAll @IntRange(min = 1, max = 3) int dcs, @ForAll @IntRange(min = 1, max = 3) int racks) {
        TokenRing ring = TestRings.randomRing(seed, nodes, dcs, racks, 8);
        NetworkTopologyStrategy nts = randomNts(new SplittableRandom(seed), dcs);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20; i++) {
            TokenRange range = ring.rangeFor(r.nextLong());
            assertEquals(ring.replicasFor(nts, range.right()), ring.replicasFor(nts, range.left() + 1));
        }
        int perRange = 0;
        for (String dc : ring.dataCenters()) {
            perRange += Math.min(nts.replicationFactor(dc), ring.nodeCountIn(dc));
        }
        double sum = ring.ownership(nts).values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(perRange, sum, 1e-9);
        assertTrue(ring.ownership(nts).values().stream().allMatch(o -> o <= 1.0 + 1e-9));
    }
}
