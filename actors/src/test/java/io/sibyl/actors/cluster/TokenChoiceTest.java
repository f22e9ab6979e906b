package io.sibyl.actors.cluster;

import static io.sibyl.actors.cluster.MetadataFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.SimpleStrategy;
import io.sibyl.actors.ring.TokenAllocator;
import io.sibyl.actors.ring.TokenRing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * How a new node chooses its tokens once it has read the metadata log ({@link RingKeeper.TokenChoice#decide}):
 * random for a fresh cluster, the allocator against the ring it learned otherwise, the dead node's for a
 * replace, and it waits while another change runs.
 */
class TokenChoiceTest {

    private static final NodeInfo NEW = new NodeInfo(NodeId.of("new"), "127.0.0.1", 8000, 7999, "dc1", "r1");

    private static RingKeeper.TokenChoice allocate(int rf) {
        return new RingKeeper.TokenChoice(16, rf, null, i -> { });
    }

    /** Three NORMAL nodes with random tokens from {@code seed}. */
    private static ClusterMetadata threeRandomNodes(long seed) {
        TokenAllocator alloc = TokenAllocator.seeded(seed);
        ClusterMetadata m = ClusterMetadata.EMPTY;
        for (int i = 0; i < 3; i++) {
            m = MetadataFixtures.register(m, record("n" + i, MetadataFixtures.freshTokens(m, alloc, 16), NodeStatus.NORMAL));
        }
        return m;
    }

    private static double maxOverMean(TokenRing ring) {
        Map<NodeId, Double> o = ring.ownership(new SimpleStrategy(3));
        double mean = o.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return o.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow() / mean;
    }

    @Test
    void aFourthNodeGetsAllocatedTokensThatBalanceBetterThanRandomOnes() {
        List<Double> allocated = new ArrayList<>();
        List<Double> random = new ArrayList<>();
        int better = 0;
        for (long seed = 1; seed <= 25; seed++) {
            ClusterMetadata m = threeRandomNodes(seed);
            RingKeeper.TokenChoice.Decision d = allocate(3).decide(m, NEW, new SplittableRandom(seed));
            assertNull(d.refusal());
            assertEquals(16, d.tokens().size());
            assertEquals(TokenAllocator.forJoiningNode(m.currentRing(), NEW, 16, 3, new SplittableRandom(0)), d.tokens(),
                    "deterministic once the data center has RF nodes");
            assertTrue(d.how().contains("allocated for replication factor 3"), d.how());
            double a = maxOverMean(m.currentRing().withNode(NEW, d.tokens()));
            double r = maxOverMean(m.currentRing().withNode(NEW,
                    TokenAllocator.seeded(seed * 31).allocate(m.currentRing(), 16)));
            allocated.add(a);
            random.add(r);
            if (a <= r) {
                better++;
            }
        }
        Collections.sort(allocated);
        Collections.sort(random);
        double medianAllocated = allocated.get(allocated.size() / 2);
        double medianRandom = random.get(random.size() / 2);
        System.out.printf("4th node, RF 3, 16 tokens, 25 rings: median max/mean allocated %.3f, random %.3f; "
                + "allocated at least as good in %d of 25%n", medianAllocated, medianRandom, better);
        assertTrue(medianAllocated <= 1.1, "median max/mean with allocated tokens: " + medianAllocated);
        assertTrue(medianAllocated < medianRandom, medianAllocated + " vs random " + medianRandom);
        assertTrue(better >= 20, "allocated tokens balanced at least as well as random ones in only " + better + "/25");
    }

    @Test
    void aFreshClusterTakesRandomTokensAndAJoinWaitsForTheChangeInProgress() {
        RingKeeper.TokenChoice.Decision first = allocate(3).decide(ClusterMetadata.EMPTY, NEW, new SplittableRandom(7));
        assertEquals(16, first.tokens().size());
        assertTrue(first.how().contains("fresh cluster"), first.how());
        ClusterMetadata joining = threeRandomNodes(3).apply(new MetadataEntry.PrepareJoin(4,
                record("j", List.of(1L), NodeStatus.JOINING)));
        RingKeeper.TokenChoice.Decision wait = allocate(3).decide(joining, NEW, new SplittableRandom(7));
        assertNull(wait.tokens());
        assertNull(wait.refusal());
        assertTrue(wait.how().contains("waits for the topology change in progress"), wait.how());
    }

    @Test
    void aReplaceTakesTheDeadNodesTokensOrIsRefused() {
        ClusterMetadata m = threeRandomNodes(5);
        NodeId dead = NodeId.of("n1");
        RingKeeper.TokenChoice replace = new RingKeeper.TokenChoice(16, 3, dead, i -> { });
        RingKeeper.TokenChoice.Decision d = replace.decide(m, NEW, new SplittableRandom(1));
        assertEquals(m.nodes().get(dead).tokens(), d.tokens());
        RingKeeper.TokenChoice.Decision unknown = new RingKeeper.TokenChoice(16, 3, NodeId.of("zz"), i -> { })
                .decide(m, NEW, new SplittableRandom(1));
        assertNotNull(unknown.refusal());
        assertTrue(unknown.refusal().contains("unknown"), unknown.refusal());
        NodeInfo otherRack = new NodeInfo(NodeId.of("new"), "127.0.0.1", 8000, 7999, "dc1", "r7");
        assertTrue(replace.decide(m, otherRack, new SplittableRandom(1)).refusal().contains("rack"));
        ClusterMetadata leaving = m.apply(new MetadataEntry.PrepareLeave(4, NodeId.of("n0"), false));
        assertTrue(replace.decide(leaving, NEW, new SplittableRandom(1)).refusal()
                .contains("another topology change is in progress"));
    }
}
