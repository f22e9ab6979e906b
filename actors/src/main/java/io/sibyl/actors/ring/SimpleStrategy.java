package io.sibyl.actors.ring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cassandra's SimpleStrategy: starting at the range that holds the token, walk the ring
 * clockwise and take the first {@code rf} distinct nodes, ignoring data centers and racks.
 */
public record SimpleStrategy(int rf) implements ReplicationStrategy {

    public SimpleStrategy {
        if (rf < 0) {
            throw new IllegalArgumentException("replication factor must be non-negative; found " + rf);
        }
    }

    @Override
    public List<NodeInfo> calculateNaturalReplicas(TokenRing ring, long token) {
        int n = ring.tokenCount();
        if (n == 0 || rf == 0) {
            return List.of();
        }
        int wanted = Math.min(rf, ring.nodeCount());
        List<NodeInfo> replicas = new ArrayList<>(wanted);
        Set<NodeId> seen = new HashSet<>();
        int start = ring.firstTokenIndex(token);
        for (int k = 0; k < n && replicas.size() < wanted; k++) {
            NodeInfo owner = ring.ownerAt((start + k) % n);
            if (seen.add(owner.id())) {
                replicas.add(owner);
            }
        }
        return replicas;
    }

    @Override
    public int replicationFactor() {
        return rf;
    }

    @Override
    public Map<String, String> toOptions() {
        return Map.of(CLASS, ReplicationOptions.CASSANDRA_PACKAGE + "SimpleStrategy",
                REPLICATION_FACTOR, Integer.toString(rf));
    }
}
