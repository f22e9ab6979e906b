package io.sibyl.actors.ring;

import static io.sibyl.actors.ring.TestRings.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** {@link TokenAllocator#forJoiningNode}: valid tokens always, balanced replicated ownership once the ring has RF nodes. */
class JoiningNodeTokenAllocationTest {

    /** A ring of {@code nodes} nodes in one DC that joined one by one, each with forJoiningNode (or random tokens). */
    static TokenRing grow(TokenRing ring, int nodes, String dc, int racks, int numTokens, int rf, boolean allocated,
                          long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int start = ring.nodeCountIn(dc);
        for (int i = start; i < start + nodes; i++) {
            NodeInfo n = node(dc + "-n" + i, dc, "r" + (i % racks));
            List<Long> tokens = allocated
                    ? TokenAllocator.forJoiningNode(ring, n, numTokens, rf, random)
                    : new TokenAllocator(random).allocate(ring, numTokens);
            ring = ring.withNode(n, tokens);
        }
        return ring;
    }

    /** Largest over mean replicated ownership; 1.0 is a perfect balance. */
    static double maxOverMean(Map<NodeId, Double> ownership) {
        double mean = ownership.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double max = ownership.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return max / mean;
    }

    @Property(tries = 60)
    void tokensAreSortedDistinctNewAndDeterministic(@ForAll @IntRange(min = 0, max = 10) int existing,
                                                    @ForAll @IntRange(min = 1, max = 3) int racks,
                                                    @ForAll @IntRange(min = 1, max = 16) int numTokens,
                                                    @ForAll @IntRange(min = 1, max = 3) int rf,
                                                    @ForAll @LongRange(min = 0, max = 1000) long seed) {
        TokenRing ring = grow(TokenRing.empty(), existing, "dc1", racks, numTokens, rf, true, seed);
        NodeInfo joining = node("joining", "dc1", "r0");
        List<Long> tokens = TokenAllocator.forJoiningNode(ring, joining, numTokens, rf, new SplittableRandom(seed));
        assertEquals(numTokens, tokens.size());
        assertEquals(numTokens, new HashSet<>(tokens).size(), "distinct");
        assertEquals(tokens.stream().sorted().toList(), tokens, "sorted");
        Set<Long> onRing = new HashSet<>(ring.sortedTokens());
        for (long t : tokens) {
            assertFalse(onRing.contains(t), "token " + t + " already on the ring");
            assertNotEquals(Long.MIN_VALUE, t);
        }
        assertEquals(tokens, TokenAllocator.forJoiningNode(ring, joining, numTokens, rf, new SplittableRandom(seed)),
                "same ring, node and seed, same tokens");
        ring.withNode(joining, tokens); // accepted by the ring: no conflict
    }

    @Test
    void firstNodesGetRandomTokensFromTheGivenRandom() {
        NodeInfo first = node("a", "dc1", "r1");
        List<Long> tokens = TokenAllocator.forJoiningNode(TokenRing.empty(), first, 16, 3, new SplittableRandom(5));
        assertEquals(TokenAllocator.seeded(5).allocate(TokenRing.empty(), 16), tokens);
        assertNotEquals(tokens, TokenAllocator.forJoiningNode(TokenRing.empty(), first, 16, 3, new SplittableRandom(6)));
        // Two nodes: still fewer than RF 3, still random.
        TokenRing ring = TokenRing.empty().withNode(first, tokens);
        NodeInfo second = node("b", "dc1", "r1");
        assertNotEquals(TokenAllocator.forJoiningNode(ring, second, 16, 3, new SplittableRandom(1)),
                TokenAllocator.forJoiningNode(ring, second, 16, 3, new SplittableRandom(2)));
    }

    @Test
    void onceTheRingHasRfNodesTheChoiceDoesNotDependOnTheRandom() {
        TokenRing ring = grow(TokenRing.empty(), 3, "dc1", 1, 16, 3, false, 11);
        NodeInfo n = node("d", "dc1", "r1");
        assertEquals(TokenAllocator.forJoiningNode(ring, n, 16, 3, new SplittableRandom(1)),
                TokenAllocator.forJoiningNode(ring, n, 16, 3, new SplittableRandom(2)));
    }

    @Test
    void aNodeAlreadyOnTheRingIsPlacedAsIfJoiningAnew() {
        TokenRing ring = grow(TokenRing.empty(), 4, "dc1", 1, 16, 3, true, 3);
        NodeInfo n = node("e", "dc1", "r1");
        List<Long> tokens = TokenAllocator.forJoiningNode(ring, n, 16, 3, new SplittableRandom(1));
        TokenRing with = ring.withNode(n, tokens);
        assertEquals(tokens, TokenAllocator.forJoiningNode(with, n, 16, 3, new SplittableRandom(1)));
    }

    @Test
    void allocatedRingsAreBalancedAndBetterThanRandomOnes() {
        SimpleStrategy rf3 = new SimpleStrategy(3);
        for (long seed = 1; seed <= 3; seed++) {
            TokenRing allocated = grow(TokenRing.empty(), 16, "dc1", 1, 16, 3, true, seed);
            TokenRing random = grow(TokenRing.empty(), 16, "dc1", 1, 16, 3, false, seed);
            double a = maxOverMean(allocated.ownership(rf3));
            double r = maxOverMean(random.ownership(rf3));
            assertTrue(a <= 1.1, "allocated max/mean " + a + " (seed " + seed + ")");
            assertTrue(a < r, "allocated " + a + " should beat random " + r + " (seed " + seed + ")");
        }
    }

    @Test
    void eachJoinAfterTheThirdKeepsTheRingBalanced() {
        SimpleStrategy rf3 = new SimpleStrategy(3);
        TokenRing ring = grow(TokenRing.empty(), 3, "dc1", 1, 16, 3, false, 42);
        for (int n = 4; n <= 12; n++) {
            ring = grow(ring, 1, "dc1", 1, 16, 3, true, n);
            double ratio = maxOverMean(ring.ownership(rf3));
            assertTrue(ratio <= 1.25, n + " nodes: max/mean " + ratio);
        }
    }

    @Test
    void racksAreReplicaGroupsWhenThereAreAtLeastRfOfThem() {
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 3));
        TokenRing ring = grow(TokenRing.empty(), 12, "dc1", 3, 16, 3, true, 9);
        // Three racks of four nodes: each rack holds one replica of everything; nodes of a rack share it evenly.
        double ratio = maxOverMean(ring.ownership(nts));
        assertTrue(ratio <= 1.1, "rack-aware max/mean " + ratio);
    }

    @Test
    void anotherDataCentersTokensAreAvoidedAndItsNodesIgnored() {
        TokenRing ring = grow(grow(TokenRing.empty(), 6, "dc1", 1, 16, 3, true, 1), 8, "dc2", 1, 16, 2, true, 2);
        Set<Long> dc1Tokens = new HashSet<>();
        ring.nodes().stream().filter(n -> n.isIn("dc1")).forEach(n -> dc1Tokens.addAll(ring.tokensOf(n.id())));
        ring.nodes().stream().filter(n -> n.isIn("dc2"))
                .forEach(n -> ring.tokensOf(n.id()).forEach(t -> assertFalse(dc1Tokens.contains(t))));
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc2", 2));
        Map<NodeId, Double> own = new java.util.HashMap<>(ring.ownership(nts));
        own.keySet().removeIf(id -> ring.node(id).orElseThrow().isIn("dc1"));
        assertTrue(maxOverMean(own) <= 1.15, "dc2 max/mean " + maxOverMean(own));
    }

    @Test
    void badArgumentsAreRefused() {
        NodeInfo n = node("a", "dc1", "r1");
        assertThrows(IllegalArgumentException.class,
                () -> TokenAllocator.forJoiningNode(TokenRing.empty(), n, 0, 3, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> TokenAllocator.forJoiningNode(TokenRing.empty(), n, 16, 0, new SplittableRandom(1)));
    }
}
