package io.sibyl.actors.ring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cassandra's NetworkTopologyStrategy: a replication factor per data center, replicas spread
 * over distinct racks within each data center.
 *
 * <p>Placement mirrors Cassandra's {@code calculateNaturalReplicas} with its
 * {@code DatacenterEndpoints} helper: one clockwise walk of the ring from the token; within a
 * data center a node on a rack not yet used is always taken, and a node on an already used rack
 * is taken only while the data center still has "rack repeats" to spend ({@code rf - racks}, when
 * it has fewer racks than its RF). The chosen set equals the older two-phase formulation
 * (distinct racks first, then the skipped same-rack nodes in ring order); only the order of the
 * returned list can differ, and the set is what matters. A data center with fewer nodes than its
 * RF gets all of its nodes; a configured data center without nodes gets none.
 */
public record NetworkTopologyStrategy(Map<String, Integer> dcRf) implements ReplicationStrategy {

    public NetworkTopologyStrategy {
        Objects.requireNonNull(dcRf, "dcRf");
        TreeMap<String, Integer> copy = new TreeMap<>();
        dcRf.forEach((dc, rf) -> {
            if (dc == null || dc.isBlank()) {
                throw new IllegalArgumentException("data center names must not be blank");
            }
            if (REPLICATION_FACTOR.equals(dc) || CLASS.equals(dc)) {
                throw new IllegalArgumentException("'" + dc + "' is not a data center name");
            }
            if (rf == null || rf < 0) {
                throw new IllegalArgumentException("Replication factor for '" + dc + "' must be non-negative; found " + rf);
            }
            copy.put(dc, rf);
        });
        dcRf = Collections.unmodifiableMap(copy);
    }

    /** The configured data centers, including any with RF 0. */
    public Set<String> dataCenters() {
        return dcRf.keySet();
    }

    /** The RF of {@code dc}; 0 for a data center that is not configured. */
    public int replicationFactor(String dc) {
        return dcRf.getOrDefault(dc, 0);
    }

    @Override
    public int replicationFactor() {
        int sum = 0;
        for (int rf : dcRf.values()) {
            sum += rf;
        }
        return sum;
    }

    @Override
    public List<NodeInfo> calculateNaturalReplicas(TokenRing ring, long token) {
        int n = ring.tokenCount();
        if (n == 0) {
            return List.of();
        }
        // Insertion order is ring order, so the first replica found is the primary.
        Set<NodeId> chosenIds = new HashSet<>();
        List<NodeInfo> chosen = new ArrayList<>();
        // Racks are keyed by (dc, rack): the same rack name in two DCs is two racks.
        Set<List<String>> seenRacks = new HashSet<>();
        Map<String, DatacenterEndpoints> dcs = new HashMap<>();
        for (Map.Entry<String, Integer> e : dcRf.entrySet()) {
            int nodeCount = ring.nodeCountIn(e.getKey());
            if (e.getValue() <= 0 || nodeCount <= 0) {
                continue;
            }
            dcs.put(e.getKey(), new DatacenterEndpoints(e.getValue(), ring.rackCountIn(e.getKey()), nodeCount));
        }
        int dcsToFill = dcs.size();
        int start = ring.firstTokenIndex(token);
        for (int k = 0; k < n && dcsToFill > 0; k++) {
            NodeInfo node = ring.ownerAt((start + k) % n);
            DatacenterEndpoints dc = dcs.get(node.dc());
            if (dc != null && dc.addAndCheckIfDone(node, chosenIds, chosen, seenRacks)) {
                dcsToFill--;
            }
        }
        return chosen;
    }

    /** The per-data-center state of one placement walk (Cassandra's DatacenterEndpoints). */
    private static final class DatacenterEndpoints {
        private int rfLeft;
        private int acceptableRackRepeats;

        DatacenterEndpoints(int rf, int rackCount, int nodeCount) {
            // Too few nodes: every node of the DC is a replica, and that is "done".
            this.rfLeft = Math.min(rf, nodeCount);
            // Too few racks: each rack still gets one replica, the rest go to the first
            // same-rack nodes met in ring order.
            this.acceptableRackRepeats = rf - rackCount;
        }

        boolean addAndCheckIfDone(NodeInfo node, Set<NodeId> chosenIds, List<NodeInfo> chosen,
                                  Set<List<String>> seenRacks) {
            if (done() || chosenIds.contains(node.id())) {
                return false; // with vnodes a node is met many times; it counts once
            }
            if (seenRacks.add(List.of(node.dc(), node.rack()))) {
                take(node, chosenIds, chosen);
                return done();
            }
            if (acceptableRackRepeats <= 0) {
                // The remaining replicas must go to racks not used yet.
                return false;
            }
            acceptableRackRepeats--;
            take(node, chosenIds, chosen);
            return done();
        }

        private void take(NodeInfo node, Set<NodeId> chosenIds, List<NodeInfo> chosen) {
            chosenIds.add(node.id());
            chosen.add(node);
            rfLeft--;
        }

        private boolean done() {
            return rfLeft == 0;
        }
    }

    @Override
    public Map<String, String> toOptions() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(CLASS, ReplicationOptions.CASSANDRA_PACKAGE + "NetworkTopologyStrategy");
        dcRf.forEach((dc, rf) -> out.put(dc, Integer.toString(rf)));
        return Collections.unmodifiableMap(out);
    }
}
