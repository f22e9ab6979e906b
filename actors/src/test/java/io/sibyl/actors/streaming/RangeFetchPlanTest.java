package io.sibyl.actors.streaming;

import io.sibyl.actors.cluster.*;

import static io.sibyl.actors.cluster.MetadataFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.SimpleStrategy;
import io.sibyl.actors.ring.TokenRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RangeFetchPlanTest {

    private static final Map<String, ReplicationStrategy> KS = Map.of("ks", new SimpleStrategy(2));
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");
    private static final NodeId D = NodeId.of("d");

    /** a, b, c NORMAL; d joining and streaming. */
    private static ClusterMetadata joining() {
        ClusterMetadata m = ClusterMetadata.EMPTY;
        m = MetadataFixtures.register(m, record("a", List.of(-600L, 0L, 600L), NodeStatus.NORMAL));
        m = MetadataFixtures.register(m, record("b", List.of(-400L, 200L, 800L), NodeStatus.NORMAL));
        m = MetadataFixtures.register(m, record("c", List.of(-200L, 400L, 1000L), NodeStatus.NORMAL));
        m = m.apply(new MetadataEntry.PrepareJoin(m.epoch() + 1, record("d", List.of(100L, 500L), NodeStatus.JOINING)));
        return m.apply(new MetadataEntry.StartChange(m.epoch() + 1, D)).apply(new MetadataEntry.BeginStreaming(m.epoch() + 2, D));
    }

    private static RingView view(ClusterMetadata m, NodeId self, NodeId... down) {
        Map<NodeId, NodeState> states = new HashMap<>();
        m.nodes().keySet().forEach(id -> states.put(id, NodeState.UN));
        for (NodeId d : down) {
            states.put(d, NodeState.DN);
        }
        return new RingView(1, m.nodes().get(self).info(), m.readRing(), m.nodes(), states, m.epoch(), m.pendingRing(),
                m.change());
    }

    @Test
    void aJoiningNodeFetchesEachGainedRangeFromTheReplicaThatLosesIt() {
        ClusterMetadata m = joining();
        List<RangeFetchPlan.Fetch> plan = RangeFetchPlan.plan(m, view(m, D), KS, D, false);
        List<RangeMovements.Movement> gained = RangeMovements.gainedBy(m.currentRing(), m.futureRing(), KS.get("ks"), D);
        assertFalse(gained.isEmpty());
        assertEquals(gained.size(), plan.stream().mapToInt(f -> f.ranges().size()).sum());
        for (RangeMovements.Movement mv : gained) {
            RangeFetchPlan.Fetch f = plan.stream().filter(x -> x.ranges().contains(mv.range())).findFirst().orElseThrow();
            assertEquals(1, mv.losers().size(), "with one joiner and RF 2 exactly one replica loses each range");
            assertEquals(mv.losers().get(0).id(), f.source().id(), "strict source for " + mv.range());
        }
    }

    @Test
    void aDownStrictSourceFailsTheJoinUnlessInconsistentSourcesAreAllowed() {
        ClusterMetadata m = joining();
        RangeFetchPlan.Fetch first = RangeFetchPlan.plan(m, view(m, D), KS, D, false).get(0);
        NodeId down = first.source().id();
        var e = assertThrows(IllegalStateException.class, () -> RangeFetchPlan.plan(m, view(m, D, down), KS, D, false));
        assertTrue(e.getMessage().contains("[" + down + "]") && e.getMessage().contains("--allow-inconsistent-source"),
                e.getMessage());
        List<RangeFetchPlan.Fetch> relaxed = RangeFetchPlan.plan(m, view(m, D, down), KS, D, true);
        assertTrue(relaxed.stream().noneMatch(f -> f.source().id().equals(down)));
        assertEquals(RangeFetchPlan.plan(m, view(m, D), KS, D, false).stream().mapToInt(f -> f.ranges().size()).sum(),
                relaxed.stream().mapToInt(f -> f.ranges().size()).sum());
    }

    @Test
    void removenodeFetchesFromARemainingReplicaAndDecommissionFromTheLeavingNode() {
        ClusterMetadata base = ClusterMetadata.EMPTY;
        base = MetadataFixtures.register(base, record("a", List.of(-600L, 0L, 600L), NodeStatus.NORMAL));
        base = MetadataFixtures.register(base, record("b", List.of(-400L, 200L, 800L), NodeStatus.NORMAL));
        base = MetadataFixtures.register(base, record("c", List.of(-200L, 400L, 1000L), NodeStatus.NORMAL));
        for (boolean removal : List.of(true, false)) {
            ClusterMetadata m = base.apply(new MetadataEntry.PrepareLeave(base.epoch() + 1, C, removal));
            m = m.apply(new MetadataEntry.StartChange(m.epoch() + 1, C)).apply(new MetadataEntry.BeginStreaming(m.epoch() + 2, C));
            for (NodeId gainer : List.of(A, B)) {
                RingView v = removal ? view(m, gainer, C) : view(m, gainer);
                for (RangeFetchPlan.Fetch f : RangeFetchPlan.plan(m, v, KS, gainer, false)) {
                    if (removal) {
                        assertFalse(f.source().id().equals(C), "the removed node is dead");
                        assertFalse(f.source().id().equals(gainer));
                    } else {
                        assertEquals(C, f.source().id(), "decommission streams from the leaving node");
                    }
                }
            }
        }
    }

    @Test
    void fetchRunsThePlanThroughTheStreamerWithOneSessionId() throws Exception {
        ClusterMetadata m = joining();
        List<String> calls = new ArrayList<>();
        RangeStreamer fake = (session, source, keyspace, ranges) -> {
            calls.add(session + " " + source.id() + " " + keyspace + " " + ranges.size());
            return CompletableFuture.completedFuture(new RangeStreamer.StreamSummary(ranges.size(), 10));
        };
        RangeFetchPlan plan = new RangeFetchPlan(D, fake, () -> KS, () -> CompletableFuture.completedFuture(null), false);
        plan.fetch(m, view(m, D)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(RangeFetchPlan.plan(m, view(m, D), KS, D, false).size(), calls.size());
        assertTrue(calls.stream().allMatch(c -> c.startsWith("join-d-" + m.change().startedEpoch() + " ")), calls.toString());

        RangeStreamer failing = (session, source, keyspace, ranges) -> CompletableFuture.failedFuture(
                new IllegalStateException("source died mid-stream"));
        var f = new RangeFetchPlan(D, failing, () -> KS, () -> CompletableFuture.completedFuture(null), false)
                .fetch(m, view(m, D)).toCompletableFuture();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("source died"));
    }

    @Test
    void replicationShortfallIsCheckedPerDataCenter() {
        ClusterMetadata m = ClusterMetadata.EMPTY;
        m = MetadataFixtures.register(m, record("a", "dc1", "r", List.of(1L), NodeStatus.NORMAL));
        m = MetadataFixtures.register(m, record("b", "dc1", "r", List.of(2L), NodeStatus.NORMAL));
        m = MetadataFixtures.register(m, record("c", "dc2", "r", List.of(3L), NodeStatus.NORMAL));
        RingView v = view(m, A);
        assertEquals(null, TopologyChecks.replicationShortfall(v, A, Map.of("ks", new SimpleStrategy(2))));
        assertTrue(TopologyChecks.replicationShortfall(v, A, Map.of("ks", new SimpleStrategy(3))).contains("only 2"));
        var nts = new io.sibyl.actors.ring.NetworkTopologyStrategy(Map.of("dc1", 1, "dc2", 1));
        assertEquals(null, TopologyChecks.replicationShortfall(v, A, Map.of("ks", nts)));
        assertTrue(TopologyChecks.replicationShortfall(v, C, Map.of("ks", nts)).contains("data center dc2"));
    }

}
