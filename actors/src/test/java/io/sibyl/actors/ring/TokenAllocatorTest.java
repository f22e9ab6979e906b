package io.sibyl.actors.ring;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sibyl.actors.ring.TestRings.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenAllocatorTest {

    @Test
    void sameSeedSameTokens() {
        assertEquals(TokenAllocator.seeded(7).allocate(TokenRing.empty(), 16),
                TokenAllocator.seeded(7).allocate(TokenRing.empty(), 16));
        assertNotEquals(TokenAllocator.seeded(7).allocate(TokenRing.empty(), 16),
                TokenAllocator.seeded(8).allocate(TokenRing.empty(), 16));
    }

    @Test
    void tokensAreSortedDistinctAndAvoidTakenOnes() {
        List<Long> first = TokenAllocator.seeded(1).allocate(TokenRing.empty(), 16);
        assertEquals(16, new HashSet<>(first).size());
        assertEquals(first.stream().sorted().toList(), first);
        // The same seed would produce exactly the taken tokens again; all must be avoided.
        List<Long> second = TokenAllocator.seeded(1).allocate(Set.copyOf(first), 16);
        for (long t : second) {
            assertFalse(first.contains(t));
            assertNotEquals(Long.MIN_VALUE, t);
        }
        assertEquals(16, TokenAllocator.secure().allocate(Set.copyOf(first), 16).size());
        assertThrows(IllegalArgumentException.class, () -> TokenAllocator.seeded(1).allocate(Set.of(), 0));
    }

    /**
     * Balance report (not timed): how uneven random vnodes leave primary and RF-3 effective
     * ownership as a cluster grows. Max/mean of 1.0 would be perfect balance.
     */
    @Test
    void balanceReportWithSixteenRandomTokens() {
        TokenAllocator allocator = TokenAllocator.seeded(20240601L);
        TokenRing ring = TokenRing.empty();
        double worstPrimary = 0;
        System.out.println("nodes  max/mean primary  min/mean primary  max/mean effective(RF3)");
        for (int n = 1; n <= 64; n++) {
            NodeInfo node = node("n" + n, "dc1", "r" + (n % 3));
            ring = ring.withNode(node, allocator.allocate(ring, TokenAllocator.DEFAULT_NUM_TOKENS));
            if (n < 3) {
                continue;
            }
            double[] primary = stats(ring.primaryOwnership());
            double[] effective = stats(ring.ownership(new SimpleStrategy(3)));
            System.out.printf("%5d  %16.3f  %16.3f  %23.3f%n", n, primary[0], primary[1], effective[0]);
            worstPrimary = Math.max(worstPrimary, primary[0]);
            assertTrue(primary[0] < 2.5, "max/mean primary ownership at " + n + " nodes: " + primary[0]);
            assertTrue(effective[0] < 2.0, "max/mean effective ownership at " + n + " nodes: " + effective[0]);
            assertTrue(primary[1] > 0.2, "min/mean primary ownership at " + n + " nodes: " + primary[1]);
        }
        System.out.printf("worst max/mean primary over 3..64 nodes: %.3f%n", worstPrimary);
    }

    private static double[] stats(Map<NodeId, Double> owns) {
        double mean = owns.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double max = owns.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double min = owns.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return new double[]{max / mean, min / mean};
    }
}
