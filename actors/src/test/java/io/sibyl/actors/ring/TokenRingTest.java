package io.sibyl.actors.ring;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.sibyl.actors.ring.TestRings.ids;
import static io.sibyl.actors.ring.TestRings.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenRingTest {

    private static final NodeInfo A = node("A", "dc1", "r1");
    private static final NodeInfo B = node("B", "dc1", "r1");
    private static final NodeInfo C = node("C", "dc1", "r1");

    private static TokenRing abc() {
        return TokenRing.empty()
                .withNode(A, List.of(0L, 150L))
                .withNode(B, List.of(100L))
                .withNode(C, List.of(200L));
    }

    @Test
    void primaryReplicaIsFirstTokenAtOrAfterAndWraps() {
        TokenRing ring = abc();
        assertEquals(A.id(), ring.primaryReplica(0).id(), "a token equal to a ring token belongs to that token");
        assertEquals(B.id(), ring.primaryReplica(1).id());
        assertEquals(B.id(), ring.primaryReplica(100).id());
        assertEquals(A.id(), ring.primaryReplica(101).id());
        assertEquals(C.id(), ring.primaryReplica(151).id());
        assertEquals(A.id(), ring.primaryReplica(201).id(), "past the last token wraps to the first");
        assertEquals(A.id(), ring.primaryReplica(Long.MAX_VALUE).id());
        assertEquals(A.id(), ring.primaryReplica(Long.MIN_VALUE).id());
        assertEquals(A.id(), ring.primaryReplica(-5).id());
    }

    @Test
    void rangesAreHalfOpenAndTheFirstWraps() {
        TokenRing ring = abc();
        assertEquals(List.of(new TokenRange(200, 0), new TokenRange(0, 100), new TokenRange(100, 150),
                new TokenRange(150, 200)), ring.ranges());
        assertEquals(new TokenRange(200, 0), ring.rangeFor(Long.MIN_VALUE));
        assertEquals(new TokenRange(200, 0), ring.rangeFor(201));
        assertEquals(List.of(new TokenRange(200, 0), new TokenRange(100, 150)), ring.primaryRangesFor(A.id()));
        assertEquals(List.of(0L, 150L), ring.tokensOf(A.id()));
        assertEquals(List.of(0L, 100L, 150L, 200L), ring.sortedTokens());
    }

    @Test
    void singleTokenOwnsTheWholeRing() {
        TokenRing ring = TokenRing.empty().withNode(A, List.of(42L));
        assertEquals(List.of(new TokenRange(42, 42)), ring.ranges());
        assertEquals(1.0, ring.primaryOwnership().get(A.id()));
        assertEquals(List.of(A), ring.replicasFor(new SimpleStrategy(3), 7));
    }

    @Test
    void primaryOwnershipIsRangeWidthOverRingSize() {
        // Two tokens splitting the ring in half: 0 and MIN_VALUE are 2^63 apart both ways.
        TokenRing ring = TokenRing.empty().withNode(A, List.of(0L)).withNode(B, List.of(Long.MIN_VALUE));
        assertEquals(0.5, ring.primaryOwnership().get(A.id()), 1e-12);
        assertEquals(0.5, ring.primaryOwnership().get(B.id()), 1e-12);
        TokenRing quarter = TokenRing.empty().withNode(A, List.of(0L)).withNode(B, List.of(Long.MAX_VALUE / 2 + 1));
        assertEquals(0.25, quarter.primaryOwnership().get(B.id()), 1e-12);
        assertEquals(0.75, quarter.primaryOwnership().get(A.id()), 1e-12);
    }

    @Test
    void withNodeReplacesTokensAndInfoOfTheSameNode() {
        TokenRing ring = abc();
        NodeInfo movedA = new NodeInfo(A.id(), "10.0.0.9", 9090, 7001, "dc1", "r1");
        TokenRing moved = ring.withNode(movedA, List.of(300L));
        assertEquals(List.of(300L), moved.tokensOf(A.id()));
        assertEquals("10.0.0.9", moved.node(A.id()).orElseThrow().host());
        assertEquals(B.id(), moved.primaryReplica(0).id());
        assertTrue(moved.version() > ring.version());
    }

    @Test
    void tokenCollisionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> abc().withNode(node("D", "dc1", "r1"), List.of(100L)));
        assertTrue(e.getMessage().contains("already owned by node B"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> abc().withNode(node("D", "dc1", "r1"), List.of()));
    }

    @Test
    void withoutNodeRemovesItsTokens() {
        TokenRing ring = abc().withoutNode(A.id());
        assertFalse(ring.contains(A.id()));
        assertEquals(List.of(100L, 200L), ring.sortedTokens());
        assertEquals(B.id(), ring.primaryReplica(201).id());
        TokenRing same = ring.withoutNode(NodeId.of("nobody"));
        assertSame(ring, same);
    }

    @Test
    void emptyRing() {
        TokenRing ring = TokenRing.empty();
        assertTrue(ring.isEmpty());
        assertEquals(List.of(), ring.replicasFor(new SimpleStrategy(3), 1));
        assertThrows(IllegalStateException.class, () -> ring.primaryReplica(1));
        assertEquals(Map.of(), ring.primaryOwnership());
    }

    @Test
    void rangesForListsEveryReplicatedRange() {
        TokenRing ring = abc();
        // RF 2 on A(0,150) B(100) C(200): range ending at 0 -> [A, B]; at 100 -> [B, A];
        // at 150 -> [A, C]; at 200 -> [C, A]. A replicates all of them.
        SimpleStrategy rf2 = new SimpleStrategy(2);
        assertEquals(ring.ranges(), ring.rangesFor(rf2, A.id()));
        assertEquals(List.of(new TokenRange(200, 0), new TokenRange(0, 100)), ring.rangesFor(rf2, B.id()));
        assertEquals(List.of(new TokenRange(100, 150), new TokenRange(150, 200)), ring.rangesFor(rf2, C.id()));
        Map<NodeId, Double> owns = ring.ownership(rf2);
        assertEquals(1.0, owns.get(A.id()), 1e-12);
    }

    @Property(tries = 200)
    void everyTokenFallsInExactlyOneRange(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int nodes,
                                          @ForAll @IntRange(min = 1, max = 4) int numTokens) {
        TokenRing ring = TestRings.randomRing(seed, nodes, 1, 1, numTokens);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 50; i++) {
            long t = i < 3 ? new long[]{Long.MIN_VALUE, Long.MAX_VALUE, ring.tokenAt(0)}[i] : r.nextLong();
            int containing = 0;
            for (TokenRange range : ring.ranges()) {
                if (range.contains(t)) {
                    containing++;
                }
            }
            assertEquals(1, containing, "token " + t);
            assertTrue(ring.rangeFor(t).contains(t));
            assertEquals(ring.rangeFor(t).right(), ring.tokenAt(ring.firstTokenIndex(t)));
        }
    }

    @Property(tries = 200)
    void primaryOwnershipSumsToOne(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int nodes,
                                   @ForAll @IntRange(min = 1, max = 16) int numTokens) {
        TokenRing ring = TestRings.randomRing(seed, nodes, 2, 2, numTokens);
        double sum = ring.primaryOwnership().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, sum, 1e-9);
        assertEquals(nodes, ring.primaryOwnership().size());
    }

    @Property(tries = 200)
    void addingThenRemovingANodeRestoresTheRing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int nodes) {
        TokenRing ring = TestRings.randomRing(seed, nodes, 1, 1, 4);
        NodeInfo extra = node("extra", "dc1", "r1");
        TokenRing grown = ring.withNode(extra, TokenAllocator.seeded(~seed).allocate(ring, 4));
        assertEquals(ring.tokenCount() + 4, grown.tokenCount());
        TokenRing back = grown.withoutNode(extra.id());
        assertEquals(ring.sortedTokens(), back.sortedTokens());
        assertEquals(ids(List.copyOf(ring.nodes())).size(), back.nodeCount());
    }
}
