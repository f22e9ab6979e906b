package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeState;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cassandra's choice of batchlog nodes: other live nodes of the local DC, other racks first, at most two. */
class BatchlogEndpointsTest {

    static NodeInfo node(String id, String dc, String rack) {
        return new NodeInfo(NodeId.of(id), "127.0.0.1", 9000, 7000 + Math.abs(id.hashCode() % 1000), dc, rack);
    }

    /** A view from {@code self} (the first node) of {@code nodes}, those in {@code down} DN. */
    static RingView view(List<NodeInfo> nodes, Set<String> down) {
        TokenRing ring = TokenRing.empty();
        Map<NodeId, NodeRecord> records = new HashMap<>();
        Map<NodeId, NodeState> states = new HashMap<>();
        long token = 0;
        for (NodeInfo n : nodes) {
            ring = ring.withNode(n, List.of(token += 1000));
            records.put(n.id(), new NodeRecord(n, List.of(token), NodeStatus.NORMAL));
            states.put(n.id(), down.contains(n.id().toString()) ? NodeState.DN : NodeState.UN);
        }
        return new RingView(1, nodes.get(0), ring, records, states);
    }

    static Set<String> ids(List<NodeInfo> nodes) {
        Set<String> out = new HashSet<>();
        nodes.forEach(n -> out.add(n.id().toString()));
        return out;
    }

    @Test
    void aSingleNodeDataCenterUsesTheCoordinatorItself() {
        NodeInfo self = node("a", "dc1", "r1");
        assertEquals(List.of(self), BatchlogEndpoints.choose(view(List.of(self, node("x", "dc2", "r1")), Set.of()), false));
    }

    @Test
    void twoNodesUseTheOtherOneAndNoneWhenItIsDown() {
        NodeInfo self = node("a", "dc1", "r1");
        NodeInfo b = node("b", "dc1", "r1");
        assertEquals(List.of(b), BatchlogEndpoints.choose(view(List.of(self, b), Set.of()), false));
        assertEquals(List.of(), BatchlogEndpoints.choose(view(List.of(self, b), Set.of("b")), false),
                "UNAVAILABLE, never the coordinator alone");
        assertEquals(List.of(self), BatchlogEndpoints.choose(view(List.of(self, b), Set.of("b")), true),
                "at ANY the coordinator holds it");
    }

    @Test
    void threeRacksGiveTwoOtherNodesOnTwoOtherRacks() {
        List<NodeInfo> nodes = List.of(node("a", "dc1", "r1"), node("b", "dc1", "r2"), node("c", "dc1", "r3"),
                node("d", "dc2", "r1"));
        assertEquals(Set.of("b", "c"), ids(BatchlogEndpoints.choose(view(nodes, Set.of()), false)));
        assertEquals(Set.of("c"), ids(BatchlogEndpoints.choose(view(nodes, Set.of("b")), false)));
    }

    @Test
    void otherRacksArePreferredAndTwoRacksAreUsedWhenThereAreSeveral() {
        Random random = new Random(7);
        NodeInfo self = node("a", "dc1", "r1");
        List<NodeInfo> nodes = List.of(self, node("a2", "dc1", "r1"), node("a3", "dc1", "r1"),
                node("b1", "dc1", "r2"), node("b2", "dc1", "r2"), node("c1", "dc1", "r3"), node("c2", "dc1", "r3"));
        for (int i = 0; i < 50; i++) {
            List<NodeInfo> chosen = BatchlogEndpoints.choose(view(nodes, Set.of()), false, random);
            assertEquals(2, chosen.size());
            assertNotEquals(chosen.get(0).rack(), chosen.get(1).rack(), "two different racks: " + chosen);
            assertTrue(chosen.stream().noneMatch(n -> n.rack().equals("r1")), "not the coordinator's rack: " + chosen);
        }
        // Only one other rack: two nodes of it, still not the coordinator's rack.
        List<NodeInfo> twoRacks = List.of(self, node("a2", "dc1", "r1"), node("b1", "dc1", "r2"), node("b2", "dc1", "r2"),
                node("b3", "dc1", "r2"));
        for (int i = 0; i < 20; i++) {
            List<NodeInfo> chosen = BatchlogEndpoints.choose(view(twoRacks, Set.of()), false, random);
            assertEquals(2, chosen.size());
            assertTrue(chosen.stream().allMatch(n -> n.rack().equals("r2")), chosen.toString());
        }
        // All in the coordinator's rack: two others of it.
        List<NodeInfo> oneRack = List.of(self, node("a2", "dc1", "r1"), node("a3", "dc1", "r1"), node("a4", "dc1", "r1"));
        List<NodeInfo> chosen = BatchlogEndpoints.choose(view(oneRack, Set.of()), false, random);
        assertEquals(2, chosen.size());
        assertTrue(chosen.stream().noneMatch(n -> n.id().equals(self.id())));
    }
}
