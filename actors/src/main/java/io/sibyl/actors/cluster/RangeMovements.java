package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.TokenRange;
import io.sibyl.actors.ring.TokenRing;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which ranges each node gains in a topology change, and where their data is (Cassandra's
 * {@code RangeStreamer.calculateRangesToFetchWithPreferredEndpoints}). Pure.
 *
 * <p>Ranges are cut at the union of both rings' tokens, so each piece has one replica set before
 * and one after. For a gaining node, the candidate sources are the replicas that lose the range
 * (the strict source of CASSANDRA-2434: it holds every write the new replica would otherwise miss)
 * first, then the replicas that keep it.
 */
public final class RangeMovements {

    private RangeMovements() {
    }

    /**
     * One range a node gains.
     *
     * @param losers  the replicas before the change that are not replicas after it (strict sources)
     * @param keepers the replicas before the change that stay replicas
     */
    public record Movement(TokenRange range, NodeId gainer, List<NodeInfo> losers, List<NodeInfo> keepers) {
    }

    /** Every (range, gaining node) of the change from {@code before} to {@code after} under {@code strategy}. */
    public static List<Movement> movements(TokenRing before, TokenRing after, ReplicationStrategy strategy) {
        List<Movement> out = new ArrayList<>();
        if (after.isEmpty()) {
            return out;
        }
        TreeSet<Long> cuts = new TreeSet<>(before.sortedTokens());
        cuts.addAll(after.sortedTokens());
        List<Long> tokens = new ArrayList<>(cuts);
        for (int i = 0; i < tokens.size(); i++) {
            long right = tokens.get(i);
            long left = tokens.get(i == 0 ? tokens.size() - 1 : i - 1);
            List<NodeInfo> was = before.isEmpty() ? List.of() : before.replicasFor(strategy, right);
            List<NodeInfo> will = after.replicasFor(strategy, right);
            List<NodeInfo> losers = new ArrayList<>();
            List<NodeInfo> keepers = new ArrayList<>();
            for (NodeInfo n : was) {
                (contains(will, n.id()) ? keepers : losers).add(n);
            }
            for (NodeInfo n : will) {
                if (!contains(was, n.id())) {
                    out.add(new Movement(new TokenRange(left, right), n.id(), List.copyOf(losers), List.copyOf(keepers)));
                }
            }
        }
        return out;
    }

    /** The movements whose gainer is {@code node}. */
    public static List<Movement> gainedBy(TokenRing before, TokenRing after, ReplicationStrategy strategy, NodeId node) {
        return movements(before, after, strategy).stream().filter(m -> m.gainer().equals(node)).toList();
    }

    static boolean contains(List<NodeInfo> nodes, NodeId id) {
        for (NodeInfo n : nodes) {
            if (n.id().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
