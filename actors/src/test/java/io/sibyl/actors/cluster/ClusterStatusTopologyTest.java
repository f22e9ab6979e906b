package io.sibyl.actors.cluster;

import static io.sibyl.actors.cluster.MetadataFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.SimpleStrategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /v1/cluster} during a join: epochs, UJ, the change with its step and pending ranges. */
class ClusterStatusTopologyTest {

    @Test
    void aJoinShowsItsStepPendingRangesAndEpochs() throws Exception {
        ClusterMetadata m = ClusterMetadata.EMPTY;
        m = MetadataFixtures.register(m, record("a", List.of(-100L, 100L), NodeStatus.NORMAL));
        m = MetadataFixtures.register(m, record("b", List.of(0L, 200L), NodeStatus.NORMAL));
        m = m.apply(new MetadataEntry.PrepareJoin(3, record("c", List.of(50L), NodeStatus.JOINING)))
                .apply(new MetadataEntry.StartChange(4, NodeId.of("c")));
        NodeId self = NodeId.of("a");
        Map<NodeId, NodeState> states = new HashMap<>();
        states.put(NodeId.of("a"), NodeState.UN);
        states.put(NodeId.of("b"), NodeState.UN);
        states.put(NodeId.of("c"), NodeState.UJ);
        RingView view = new RingView(7, m.nodes().get(self).info(), m.readRing(), m.nodes(), states, m.epoch(),
                m.pendingRing(), m.change());
        Map<String, ReplicationStrategy> ks = Map.of("ks", new SimpleStrategy(1));
        ClusterStatus s = ClusterStatus.of(view, ks, Map.of(), Map.of(), Map.of(NodeId.of("b"), 3L));

        JsonNode json = new ObjectMapper().valueToTree(s);
        assertEquals(4, json.path("epoch").asLong());
        Map<String, JsonNode> byId = new HashMap<>();
        json.path("nodes").forEach(n -> byId.put(n.path("id").asText(), n));
        assertEquals(4, byId.get("a").path("epoch").asLong(), "this node's own epoch");
        assertEquals(3, byId.get("b").path("epoch").asLong(), "as reported");
        assertTrue(byId.get("c").path("epoch").isNull(), "not reported yet");
        assertEquals("UJ", byId.get("c").path("state").asText());
        assertEquals("JOINING", byId.get("c").path("status").asText());

        JsonNode change = json.path("topology_change");
        assertEquals("JOIN", change.path("kind").asText());
        assertEquals("c", change.path("node").asText());
        assertEquals("WRITES_PENDING", change.path("step").asText());
        assertEquals(List.of("(0, 50]"), List.of(change.path("pending_ranges").path("ks").path("c").get(0).asText()));
        assertEquals(1, change.path("pending_ranges").path("ks").size(), "only the joining node is pending");

        ClusterMetadata done = MetadataFixtures.runToEnd(m);
        RingView after = new RingView(8, view.self(), done.readRing(), done.nodes(), states, done.epoch(), null, null);
        assertNull(ClusterStatus.of(after, ks, Map.of(), Map.of()).topologyChange());
        assertFalse(after.hasPendingRanges());
    }

    @Test
    void aReplaceShowsItsKindTheReplacedNodeAndThePendingRangesOfTheDeadNode() throws Exception {
        ClusterMetadata m = ClusterMetadata.EMPTY;
        m = MetadataFixtures.register(m, record("a", List.of(-100L, 100L), NodeStatus.NORMAL));
        m = MetadataFixtures.register(m, record("b", List.of(0L, 200L), NodeStatus.NORMAL));
        m = m.apply(new MetadataEntry.PrepareReplace(3, record("r", List.of(0L, 200L), NodeStatus.JOINING),
                        NodeId.of("b")))
                .apply(new MetadataEntry.StartChange(4, NodeId.of("r")));
        Map<NodeId, NodeState> states = new HashMap<>(Map.of(NodeId.of("a"), NodeState.UN,
                NodeId.of("b"), NodeState.DN, NodeId.of("r"), NodeState.UJ));
        RingView view = new RingView(7, m.nodes().get(NodeId.of("a")).info(), m.readRing(), m.nodes(), states,
                m.epoch(), m.pendingRing(), m.change());
        ClusterStatus s = ClusterStatus.of(view, Map.of("ks", new SimpleStrategy(1)), Map.of(), Map.of());
        JsonNode change = new ObjectMapper().valueToTree(s).path("topology_change");
        assertEquals("REPLACE", change.path("kind").asText());
        assertEquals("r", change.path("node").asText());
        assertEquals("b", change.path("replaces").asText());
        JsonNode pending = change.path("pending_ranges").path("ks");
        assertEquals(1, pending.size(), "only the replacing node is pending");
        List<String> ranges = new java.util.ArrayList<>();
        pending.path("r").forEach(r -> ranges.add(r.asText()));
        assertEquals(List.of("(-100, 0]", "(100, 200]"), ranges, "exactly b's ranges at RF 1");
        // A join has no "replaces".
        ClusterMetadata j = MetadataFixtures.register(MetadataFixtures.register(ClusterMetadata.EMPTY,
                record("a", List.of(-100L), NodeStatus.NORMAL)), record("b", List.of(0L), NodeStatus.NORMAL))
                .apply(new MetadataEntry.PrepareJoin(3, record("c", List.of(50L), NodeStatus.JOINING)));
        RingView jv = new RingView(1, j.nodes().get(NodeId.of("a")).info(), j.readRing(), j.nodes(), states,
                j.epoch(), j.pendingRing(), j.change());
        assertTrue(new ObjectMapper().valueToTree(ClusterStatus.of(jv, Map.of(), Map.of(), Map.of()))
                .path("topology_change").path("replaces").isMissingNode());
    }
}
