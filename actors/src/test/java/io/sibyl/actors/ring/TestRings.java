package io.sibyl.actors.ring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders for hand-made and random rings shared by the ring and consistency tests. */
public final class TestRings {

    private TestRings() {
    }

    public static NodeInfo node(String id, String dc, String rack) {
        return new NodeInfo(NodeId.of(id), "127.0.0.1", 8080, 7000, dc, rack);
    }

    /** A random ring: {@code nodes} nodes spread round-robin over DCs "dc1".. and racks "r1".. */
    public static TokenRing randomRing(long seed, int nodes, int dcs, int racksPerDc, int numTokens) {
        TokenAllocator allocator = TokenAllocator.seeded(seed);
        TokenRing ring = TokenRing.empty();
        for (int i = 0; i < nodes; i++) {
            int dc = i % dcs;
            int rack = (i / dcs) % racksPerDc;
            NodeInfo n = node("n" + i, "dc" + (dc + 1), "r" + (rack + 1));
            ring = ring.withNode(n, allocator.allocate(ring, numTokens));
        }
        return ring;
    }

    /**
     * Reference model: the pre-4.0 Cassandra NTS formulation (first pass distinct racks, keeping
     * skipped same-rack nodes; once every rack of a DC is used, append the skipped nodes in ring
     * order). Returns the set of replicas.
     */
    public static Set<NodeId> twoPhaseNts(TokenRing ring, Map<String, Integer> dcRf, long token) {
        Set<NodeId> replicas = new LinkedHashSet<>();
        Map<String, Set<NodeId>> dcReplicas = new HashMap<>();
        Map<String, Set<String>> seenRacks = new HashMap<>();
        Map<String, Set<NodeId>> skipped = new HashMap<>();
        for (String dc : dcRf.keySet()) {
            dcReplicas.put(dc, new HashSet<>());
            seenRacks.put(dc, new HashSet<>());
            skipped.put(dc, new LinkedHashSet<>());
        }
        int n = ring.tokenCount();
        int start = ring.firstTokenIndex(token);
        for (int k = 0; k < n; k++) {
            NodeInfo ep = ring.ownerAt((start + k) % n);
            String dc = ep.dc();
            if (!dcRf.containsKey(dc) || sufficient(dc, dcReplicas, dcRf, ring)) {
                continue;
            }
            if (seenRacks.get(dc).size() == ring.rackCountIn(dc)) {
                dcReplicas.get(dc).add(ep.id());
                replicas.add(ep.id());
            } else if (seenRacks.get(dc).contains(ep.rack())) {
                skipped.get(dc).add(ep.id());
            } else {
                dcReplicas.get(dc).add(ep.id());
                replicas.add(ep.id());
                seenRacks.get(dc).add(ep.rack());
                if (seenRacks.get(dc).size() == ring.rackCountIn(dc)) {
                    for (NodeId s : skipped.get(dc)) {
                        if (sufficient(dc, dcReplicas, dcRf, ring)) {
                            break;
                        }
                        dcReplicas.get(dc).add(s);
                        replicas.add(s);
                    }
                }
            }
        }
        return replicas;
    }

    private static boolean sufficient(String dc, Map<String, Set<NodeId>> dcReplicas, Map<String, Integer> dcRf, TokenRing ring) {
        return dcReplicas.get(dc).size() >= Math.min(ring.nodeCountIn(dc), dcRf.get(dc));
    }

    public static List<NodeId> ids(List<NodeInfo> nodes) {
        List<NodeId> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            out.add(n.id());
        }
        return out;
    }

    public static List<NodeId> ids(String... names) {
        List<NodeId> out = new ArrayList<>();
        for (String s : names) {
            out.add(NodeId.of(s));
        }
        return out;
    }
}
