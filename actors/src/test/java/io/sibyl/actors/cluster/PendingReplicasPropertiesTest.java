package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NetworkTopologyStrategy;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.SimpleStrategy;
import io.sibyl.actors.ring.TokenAllocator;
import io.sibyl.actors.ring.TokenRing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Pending replicas for a join, a decommission, a removal and a replace on random rings (SimpleStrategy and
 * NetworkTopologyStrategy over two DCs): before reads move, reads use exactly the old replicas (who
 * hold the data) and writes reach old and new ones; after, reads use the new replicas and writes
 * still reach the old; at the end the ring is what a fresh ring of the final nodes gives, nothing
 * is pending, and the streaming plan covers every replica gained with sources that held the data.
 */
class PendingReplicasPropertiesTest {

    enum Change { JOIN, LEAVE, REMOVE, REPLACE }

    @Property(tries = 200)
    void pendingSetsCoverEveryStep(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int nodes,
                                   @ForAll Change kind, @ForAll boolean nts, @ForAll @IntRange(min = 1, max = 3) int rf) {
        if (kind != Change.JOIN && nodes < 2) {
            nodes = 2;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        TokenAllocator alloc = TokenAllocator.seeded(seed);
        ReplicationStrategy strategy = nts ? new NetworkTopologyStrategy(Map.of("dc1", rf, "dc2", Math.max(1, rf - 1)))
                : new SimpleStrategy(rf);
        ClusterMetadata m = ClusterMetadata.EMPTY;
        for (int i = 0; i < nodes; i++) {
            m = MetadataFixtures.register(m, MetadataFixtures.record("n" + i, dc(nts, i), "r" + rnd.nextInt(2),
                    MetadataFixtures.freshTokens(m, alloc, 1 + rnd.nextInt(6)), NodeStatus.NORMAL));
        }
        NodeId node;
        NodeId replaced = null;
        if (kind == Change.REPLACE) {
            NodeRecord dead = m.nodes().get(NodeId.of("n" + rnd.nextInt(nodes)));
            replaced = dead.id();
            NodeRecord j = MetadataFixtures.record("new", dead.info().dc(), dead.info().rack(), dead.tokens(),
                    NodeStatus.JOINING);
            node = j.id();
            m = m.apply(new MetadataEntry.PrepareReplace(m.epoch() + 1, j, dead.id()));
        } else if (kind == Change.JOIN) {
            NodeRecord j = MetadataFixtures.record("new", dc(nts, rnd.nextInt(2)), "r" + rnd.nextInt(2),
                    MetadataFixtures.freshTokens(m, alloc, 1 + rnd.nextInt(6)), NodeStatus.JOINING);
            node = j.id();
            m = m.apply(new MetadataEntry.PrepareJoin(m.epoch() + 1, j));
        } else {
            node = NodeId.of("n" + rnd.nextInt(nodes));
            m = m.apply(new MetadataEntry.PrepareLeave(m.epoch() + 1, node, kind == Change.REMOVE));
        }
        TokenRing before = m.currentRing();
        TokenRing after = m.futureRing();
        List<Long> probes = probes(before, after, rnd);
        NodeInfo self = before.nodes().iterator().next();

        checkPlan(before, after, strategy, probes);
        while (m.change() != null) {
            RingView view = RingViewBuilder.next(RingView.initial(self), self, m, Map.of(), Membership.EMPTY);
            TopologyChange.Step step = m.change().step();
            for (long t : probes) {
                Set<NodeId> natural = ids(view.ring().isEmpty() ? List.of() : view.ring().replicasFor(strategy, t));
                Set<NodeId> pending = ids(view.pendingReplicas(strategy, t));
                Set<NodeId> was = ids(before.replicasFor(strategy, t));
                Set<NodeId> will = ids(after.replicasFor(strategy, t));
                Set<NodeId> disjoint = new HashSet<>(natural);
                disjoint.retainAll(pending);
                assertTrue(disjoint.isEmpty(), "pending replicas are never natural ones");
                if (step == TopologyChange.Step.READS_MOVED) {
                    assertEquals(will, natural, "reads moved to the new owners");
                } else {
                    assertEquals(was, natural, "reads stay on the replicas that hold the data");
                }
                Set<NodeId> written = new HashSet<>(natural);
                written.addAll(pending);
                if (step == TopologyChange.Step.PREPARED) {
                    assertTrue(pending.isEmpty());
                } else if ((kind == Change.REMOVE || kind == Change.REPLACE) && step == TopologyChange.Step.READS_MOVED) {
                    assertEquals(will, written, "a removed (dead) node gets no writes once reads moved");
                } else {
                    Set<NodeId> both = new HashSet<>(was);
                    both.addAll(will);
                    assertEquals(both, written, "writes reach old and new replicas at step " + step);
                }
            }
            if (kind == Change.REPLACE) {
                // The new node is the one pending replica, of exactly the dead node's ranges; later the
                // natural replicas are the old ones with the dead node swapped for the new node.
                for (long t : probes) {
                    Set<NodeId> was = ids(before.replicasFor(strategy, t));
                    Set<NodeId> swapped = new HashSet<>(was);
                    if (swapped.remove(replaced)) {
                        swapped.add(node);
                    }
                    assertEquals(swapped, ids(after.replicasFor(strategy, t)), "only the dead node is swapped");
                    Set<NodeId> pending = ids(view.pendingReplicas(strategy, t));
                    boolean writesPending = step == TopologyChange.Step.WRITES_PENDING
                            || step == TopologyChange.Step.STREAMING;
                    assertEquals(writesPending && was.contains(replaced) ? Set.of(node) : Set.of(), pending);
                }
                assertEquals(NodeState.DN, view.state(replaced), "the replaced node is never served from");
            }
            assertEquals(step != TopologyChange.Step.PREPARED
                    && !((kind == Change.REMOVE || kind == Change.REPLACE) && step == TopologyChange.Step.READS_MOVED),
                    view.hasPendingRanges());
            m = m.apply(MetadataFixtures.nextStep(m));
        }
        // The end: what a fresh ring of the remaining nodes gives, nothing pending.
        RingView end = RingViewBuilder.next(RingView.initial(self), self, m, Map.of(), Membership.EMPTY);
        assertFalse(end.hasPendingRanges());
        TokenRing fresh = TokenRing.empty();
        for (NodeRecord r : m.nodes().values()) {
            if (r.status() == NodeStatus.NORMAL) {
                fresh = fresh.withNode(r.info(), r.tokens());
            }
        }
        for (long t : probes) {
            assertEquals(ids(fresh.replicasFor(strategy, t)), ids(end.ring().replicasFor(strategy, t)));
            assertTrue(end.pendingReplicas(strategy, t).isEmpty());
        }
        assertEquals(kind == Change.JOIN || kind == Change.REPLACE ? NodeStatus.NORMAL : NodeStatus.LEFT, m.status(node));
        if (kind == Change.REPLACE) {
            assertEquals(NodeStatus.LEFT, m.status(replaced));
            // The same tokens, each owned as before except the dead node's, now the new node's.
            assertEquals(before.sortedTokens(), end.ring().sortedTokens());
            for (int i = 0; i < before.tokenCount(); i++) {
                NodeId owner = before.ownerAt(i).id();
                assertEquals(owner.equals(replaced) ? node : owner, end.ring().ownerAt(i).id());
            }
            assertEquals(fresh.sortedTokens(), end.ring().sortedTokens());
        }
    }

    private static void checkPlan(TokenRing before, TokenRing after, ReplicationStrategy strategy, List<Long> probes) {
        List<RangeMovements.Movement> plan = RangeMovements.movements(before, after, strategy);
        for (long t : probes) {
            Set<NodeId> was = ids(before.replicasFor(strategy, t));
            Set<NodeId> will = ids(after.replicasFor(strategy, t));
            Set<NodeId> gained = new HashSet<>(will);
            gained.removeAll(was);
            Set<NodeId> planned = plan.stream().filter(mv -> mv.range().contains(t))
                    .map(RangeMovements.Movement::gainer).collect(Collectors.toSet());
            assertEquals(gained, planned, "every gained replica of token " + t + " fetches it, no other");
            for (RangeMovements.Movement mv : plan) {
                if (mv.range().contains(t)) {
                    Set<NodeId> sources = ids(mv.losers());
                    sources.addAll(ids(mv.keepers()));
                    assertEquals(was, sources, "sources are exactly the replicas that held the range");
                    assertTrue(ids(mv.losers()).stream().noneMatch(will::contains));
                }
            }
        }
    }

    private static String dc(boolean nts, int i) {
        return nts && i % 2 == 1 ? "dc2" : "dc1";
    }

    private static List<Long> probes(TokenRing a, TokenRing b, SplittableRandom rnd) {
        List<Long> out = new ArrayList<>();
        for (TokenRing r : List.of(a, b)) {
            for (long t : r.sortedTokens()) {
                out.add(t);
                out.add(t + 1);
            }
        }
        for (int i = 0; i < 20; i++) {
            out.add(rnd.nextLong());
        }
        out.add(Long.MAX_VALUE);
        return out;
    }

    private static Set<NodeId> ids(List<NodeInfo> nodes) {
        return nodes.stream().map(NodeInfo::id).collect(Collectors.toCollection(HashSet::new));
    }
}
