package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sibyl.actors.ring.NetworkTopologyStrategy;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.SimpleStrategy;
import io.sibyl.actors.ring.TokenRing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterStatusTest {

    private static final long Q = 1L << 62;   // a quarter of the ring

    // a owns (Q, -Q] (half the ring), b owns (-Q, 0], c owns (0, Q].
    private final NodeRecord a = rec("a", "dc1", "r1", 7000, -Q);
    private final NodeRecord b = rec("b", "dc1", "r2", 7001, 0);
    private final NodeRecord c = rec("c", "dc2", "r1", 7002, Q);

    private static NodeRecord rec(String id, String dc, String rack, int port, long token) {
        return new NodeRecord(new NodeInfo(NodeId.of(id), "10.0.0." + (port - 6999), port + 1080, port, dc, rack),
                List.of(token), NodeStatus.NORMAL);
    }

    private static RingView view(Map<NodeRecord, NodeState> nodes) {
        TokenRing ring = TokenRing.empty();
        Map<NodeId, NodeRecord> records = new LinkedHashMap<>();
        Map<NodeId, NodeState> states = new LinkedHashMap<>();
        for (var e : nodes.entrySet()) {
            ring = ring.withNode(e.getKey().info(), e.getKey().tokens());
            records.put(e.getKey().id(), e.getKey());
            states.put(e.getKey().id(), e.getValue());
        }
        NodeInfo self = nodes.keySet().iterator().next().info();
        return new RingView(42, self, ring, records, states);
    }

    private RingView allUp() {
        Map<NodeRecord, NodeState> m = new LinkedHashMap<>();
        m.put(a, NodeState.UN);
        m.put(b, NodeState.UN);
        m.put(c, NodeState.UN);
        return view(m);
    }

    private static Map<String, ClusterStatus.NodeEntry> byId(ClusterStatus s) {
        return s.nodes().stream().collect(Collectors.toMap(ClusterStatus.NodeEntry::id, Function.identity()));
    }

    @Test
    void ownershipPerKeyspaceIsEffectiveOwnership() {
        Map<String, ReplicationStrategy> ks = new LinkedHashMap<>();
        ks.put("one", new SimpleStrategy(1));
        ks.put("two", new SimpleStrategy(2));
        ks.put("three", new SimpleStrategy(3));
        ks.put("only_dc2", new NetworkTopologyStrategy(Map.of("dc2", 1)));
        var nodes = byId(ClusterStatus.of(allUp(), ks, Map.of(), Map.of()));

        assertEquals(0.5, nodes.get("a").ownership().get("one"), 1e-12);
        assertEquals(0.25, nodes.get("b").ownership().get("one"), 1e-12);
        assertEquals(0.25, nodes.get("c").ownership().get("one"), 1e-12);
        // RF 2: each range also lives on the next node clockwise.
        assertEquals(0.75, nodes.get("a").ownership().get("two"), 1e-12);
        assertEquals(0.75, nodes.get("b").ownership().get("two"), 1e-12);
        assertEquals(0.5, nodes.get("c").ownership().get("two"), 1e-12);
        for (String id : List.of("a", "b", "c")) {
            assertEquals(1.0, nodes.get(id).ownership().get("three"), 1e-12, id);
        }
        assertEquals(1.0, nodes.get("c").ownership().get("only_dc2"), 1e-12);
        assertEquals(0.0, nodes.get("a").ownership().get("only_dc2"), 1e-12);
        assertEquals(0.5, nodes.get("a").primaryOwnership(), 1e-12);
    }

    @Test
    void nodeLinesCarryAddressTopologyStateAndTokens() {
        Map<NodeRecord, NodeState> m = new LinkedHashMap<>();
        m.put(a, NodeState.UN);
        m.put(b, NodeState.DN);
        m.put(c, NodeState.UJ);
        ClusterStatus s = ClusterStatus.of(view(m), Map.of(), Map.of(NodeId.of("a"), 1234L), Map.of());
        var nodes = byId(s);
        assertEquals("a", s.node());
        assertEquals(42, s.ringVersion());
        ClusterStatus.NodeEntry na = nodes.get("a");
        assertEquals("10.0.0.1", na.address());
        assertEquals(8080, na.httpPort());
        assertEquals(7000, na.clusterPort());
        assertEquals("dc1", na.dc());
        assertEquals("r1", na.rack());
        assertEquals("UN", na.state());
        assertEquals("NORMAL", na.status());
        assertEquals(1234L, na.load());
        assertEquals(1, na.numTokens());
        assertEquals(List.of(String.valueOf(-Q)), na.tokens());
        assertEquals("DN", nodes.get("b").state());
        assertNull(nodes.get("b").load(), "unknown load stays unknown");
        assertEquals("UJ", nodes.get("c").state());
        // Ordered by data center, then address.
        assertEquals(List.of("a", "b", "c"), s.nodes().stream().map(ClusterStatus.NodeEntry::id).toList());
    }

    @Test
    void aDownNodeStillShowsItsOwnership() {
        Map<NodeRecord, NodeState> m = new LinkedHashMap<>();
        m.put(a, NodeState.UN);
        m.put(b, NodeState.DN);
        m.put(c, NodeState.UN);
        var nodes = byId(ClusterStatus.of(view(m), Map.of("ks", new SimpleStrategy(1)), Map.of(), Map.of()));
        assertEquals(0.25, nodes.get("b").ownership().get("ks"), 1e-12);
    }

    @Test
    void schemaAgreementWhenAllLiveNodesReportTheSameVersion() {
        Map<NodeId, String> versions = Map.of(NodeId.of("a"), "v1", NodeId.of("b"), "v1", NodeId.of("c"), "v1");
        ClusterStatus s = ClusterStatus.of(allUp(), Map.of(), Map.of(), versions);
        assertTrue(s.schemaAgreement());
        assertEquals(Map.of("v1", List.of("a", "b", "c")), s.schemaVersions());
        assertEquals("v1", byId(s).get("b").schemaVersion());
    }

    @Test
    void disagreementWhenALiveNodeDiffersOrHasNotReported() {
        ClusterStatus differ = ClusterStatus.of(allUp(), Map.of(), Map.of(),
                Map.of(NodeId.of("a"), "v1", NodeId.of("b"), "v2", NodeId.of("c"), "v1"));
        assertFalse(differ.schemaAgreement());
        assertEquals(Map.of("v1", List.of("a", "c"), "v2", List.of("b")), differ.schemaVersions());

        ClusterStatus missing = ClusterStatus.of(allUp(), Map.of(), Map.of(),
                Map.of(NodeId.of("a"), "v1", NodeId.of("b"), "v1"));
        assertFalse(missing.schemaAgreement());
    }

    @Test
    void downNodesDoNotBreakAgreementAndAreListedAsUnreachable() {
        Map<NodeRecord, NodeState> m = new LinkedHashMap<>();
        m.put(a, NodeState.UN);
        m.put(b, NodeState.DN);
        m.put(c, NodeState.UN);
        ClusterStatus s = ClusterStatus.of(view(m), Map.of(), Map.of(),
                Map.of(NodeId.of("a"), "v1", NodeId.of("b"), "old", NodeId.of("c"), "v1"));
        assertTrue(s.schemaAgreement());
        assertEquals(List.of("b"), s.schemaVersions().get(ClusterStatus.UNREACHABLE));
    }

    @Test
    void serializesWithSnakeCaseNames() throws Exception {
        ClusterStatus s = ClusterStatus.of(allUp(), Map.of("ks", new SimpleStrategy(1)), Map.of(),
                Map.of(NodeId.of("a"), "v1", NodeId.of("b"), "v1", NodeId.of("c"), "v1"));
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(s));
        assertTrue(json.get("schema_agreement").asBoolean());
        JsonNode first = json.get("nodes").get(0);
        assertEquals("a", first.get("id").asText());
        assertEquals(8080, first.get("http_port").asInt());
        assertEquals(String.valueOf(-Q), first.get("tokens").get(0).asText());
        assertEquals(0.5, first.get("ownership").get("ks").asDouble(), 1e-12);
        assertTrue(first.has("load") && first.get("load").isNull());
    }
}
