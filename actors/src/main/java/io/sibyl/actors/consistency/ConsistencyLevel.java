package io.sibyl.actors.consistency;

import io.sibyl.actors.ring.NetworkTopologyStrategy;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How many replicas must answer, with Cassandra's semantics (4.x {@code ConsistencyLevel} and
 * {@code ReplicaPlans}).
 *
 * <ul>
 *   <li>QUORUM is over the <em>sum</em> of all data centers' RFs; LOCAL_QUORUM over the local
 *       data center's RF (for SimpleStrategy, which has no per-DC RF, it is QUORUM's number but
 *       only local-DC replicas count); EACH_QUORUM needs a local quorum in every data center of
 *       a NetworkTopologyStrategy and is plain QUORUM for SimpleStrategy.</li>
 *   <li>ANY is write-only: a stored hint counts as the one ack, so ANY needs no live replica at
 *       all (the coordinator itself is alive and can hint). Reads at ANY are invalid.</li>
 *   <li>SERIAL/LOCAL_SERIAL size like QUORUM/LOCAL_QUORUM; they are for Paxos, not plain writes.</li>
 *   <li>Pending replicas (nodes gaining the range during bootstrap) are written to as well and
 *       raise the number of acks a write needs, so the new owner is never left behind.</li>
 * </ul>
 *
 * <p>All methods are pure functions of their arguments.
 */
public enum ConsistencyLevel {
    ANY(false),
    ONE(false),
    TWO(false),
    THREE(false),
    QUORUM(false),
    LOCAL_QUORUM(true),
    EACH_QUORUM(false),
    ALL(false),
    LOCAL_ONE(true),
    SERIAL(false),
    LOCAL_SERIAL(true);

    private final boolean datacenterLocal;

    ConsistencyLevel(boolean datacenterLocal) {
        this.datacenterLocal = datacenterLocal;
    }

    /**
     * Parses a level name case-insensitively ("quorum", "LOCAL_ONE").
     *
     * @throws IllegalArgumentException naming the valid levels
     */
    public static ConsistencyLevel parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Missing consistency level; valid levels are " + validNames());
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown consistency level '" + name + "'; valid levels are " + validNames());
        }
    }

    private static String validNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** LOCAL_ONE, LOCAL_QUORUM, LOCAL_SERIAL: only replicas in the coordinator's data center count. */
    public boolean isDatacenterLocal() {
        return datacenterLocal;
    }

    public boolean isSerial() {
        return this == SERIAL || this == LOCAL_SERIAL;
    }

    // ------------------------------------------------------------------ sizes

    /** A majority of all replicas: sum of RFs / 2 + 1. */
    public static int quorumFor(ReplicationStrategy strategy) {
        return strategy.replicationFactor() / 2 + 1;
    }

    /** A majority of {@code dc}'s replicas; for SimpleStrategy the same as {@link #quorumFor}. */
    public static int localQuorumFor(ReplicationStrategy strategy, String dc) {
        if (strategy instanceof NetworkTopologyStrategy) {
            return ((NetworkTopologyStrategy) strategy).replicationFactor(dc) / 2 + 1;
        }
        return quorumFor(strategy);
    }

    /** How many replicas must answer, ignoring pending replicas. */
    public int blockFor(ReplicationStrategy strategy, String localDc) {
        switch (this) {
            case ANY:
            case ONE:
            case LOCAL_ONE:
                return 1;
            case TWO:
                return 2;
            case THREE:
                return 3;
            case QUORUM:
            case SERIAL:
                return quorumFor(strategy);
            case ALL:
                return strategy.replicationFactor();
            case LOCAL_QUORUM:
            case LOCAL_SERIAL:
                return localQuorumFor(strategy, localDc);
            case EACH_QUORUM:
                if (strategy instanceof NetworkTopologyStrategy) {
                    int n = 0;
                    for (int q : eachQuorum((NetworkTopologyStrategy) strategy).values()) {
                        n += q;
                    }
                    return n;
                }
                return quorumFor(strategy);
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * The acks a write needs: {@link #blockFor} plus one per pending replica (only local-DC
     * pending replicas for LOCAL_* levels; none for ANY).
     */
    public int blockForWrite(ReplicationStrategy strategy, String localDc, Collection<NodeInfo> pending) {
        int blockFor = blockFor(strategy, localDc);
        if (this == ANY) {
            return blockFor;
        }
        return blockFor + (datacenterLocal ? countIn(pending, localDc) : pending.size());
    }

    /**
     * For EACH_QUORUM with NetworkTopologyStrategy: the quorum each data center must reach.
     * Empty for every other level, and for SimpleStrategy (where EACH_QUORUM is QUORUM), meaning
     * "no per-DC requirement: use {@link #blockFor}".
     */
    public Map<String, Integer> blockForPerDc(ReplicationStrategy strategy) {
        if (this != EACH_QUORUM || !(strategy instanceof NetworkTopologyStrategy)) {
            return Map.of();
        }
        return eachQuorum((NetworkTopologyStrategy) strategy);
    }

    // A data center configured with RF 0 holds no replicas, so it has no quorum to reach
    // (counting it as needing 1 would make EACH_QUORUM impossible).
    private static Map<String, Integer> eachQuorum(NetworkTopologyStrategy nts) {
        Map<String, Integer> perDc = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : nts.dcRf().entrySet()) {
            if (e.getValue() > 0) {
                perDc.put(e.getKey(), e.getValue() / 2 + 1);
            }
        }
        return Collections.unmodifiableMap(perDc);
    }

    // ------------------------------------------------------------------ validation

    /** @throws IllegalArgumentException for ANY, which only writes support */
    public void validateForRead() {
        if (this == ANY) {
            throw new IllegalArgumentException("ANY ConsistencyLevel is only supported for writes");
        }
    }

    /** @throws IllegalArgumentException for SERIAL levels, which need a conditional update */
    public void validateForWrite() {
        if (isSerial()) {
            throw new IllegalArgumentException("You must use conditional updates for serializable writes (consistency " + this + ")");
        }
    }

    // ------------------------------------------------------------------ live checks

    /**
     * Fails fast, before anything is sent, when too few replicas are alive for a read.
     *
     * @param liveReplicas the live natural replicas of the token
     * @throws UnavailableException when the level cannot be met
     * @throws IllegalArgumentException for ANY
     */
    public void assureSufficientLiveNodesForRead(ReplicationStrategy strategy, String localDc,
                                                 List<NodeInfo> liveReplicas) {
        validateForRead();
        assureSufficientLiveNodes(strategy, localDc, liveReplicas, List.of(), blockFor(strategy, localDc));
    }

    /** {@link #assureSufficientLiveNodesForWrite(ReplicationStrategy, String, List, Collection)} with no pending replicas. */
    public void assureSufficientLiveNodesForWrite(ReplicationStrategy strategy, String localDc,
                                                  List<NodeInfo> liveReplicas) {
        assureSufficientLiveNodesForWrite(strategy, localDc, liveReplicas, List.of());
    }

    /**
     * Fails fast, before anything is written, when too few replicas are alive for a write.
     * ANY always passes: with no replica alive the coordinator stores a hint, which counts.
     *
     * @param liveReplicas the live natural replicas plus the live pending ones
     * @param pending      all pending replicas, live or not (each raises the acks needed)
     * @throws UnavailableException when the level cannot be met
     */
    public void assureSufficientLiveNodesForWrite(ReplicationStrategy strategy, String localDc,
                                                  List<NodeInfo> liveReplicas, Collection<NodeInfo> pending) {
        assureSufficientLiveNodes(strategy, localDc, liveReplicas, pending, blockForWrite(strategy, localDc, pending));
    }

    private void assureSufficientLiveNodes(ReplicationStrategy strategy, String localDc, List<NodeInfo> live,
                                           Collection<NodeInfo> pending, int blockFor) {
        if (this == ANY) {
            return;
        }
        if (datacenterLocal) {
            int localLive = countIn(live, localDc);
            if (localLive < blockFor) {
                throw new UnavailableException(this, blockFor, localLive);
            }
            return;
        }
        if (this == EACH_QUORUM && strategy instanceof NetworkTopologyStrategy) {
            Map<String, Integer> livePerDc = countPerDc(live);
            Map<String, Integer> pendingPerDc = countPerDc(pending);
            // Unlike Cassandra we include a DC's pending replicas here too: the response handler
            // will wait for them, so a DC that cannot reach them is better refused now than timed out.
            for (Map.Entry<String, Integer> e : blockForPerDc(strategy).entrySet()) {
                int dcBlockFor = e.getValue() + pendingPerDc.getOrDefault(e.getKey(), 0);
                int dcLive = livePerDc.getOrDefault(e.getKey(), 0);
                if (dcLive < dcBlockFor) {
                    throw new UnavailableException(this, dcBlockFor, dcLive, e.getKey());
                }
            }
            return;
        }
        if (live.size() < blockFor) {
            throw new UnavailableException(this, blockFor, live.size());
        }
    }

    // ------------------------------------------------------------------ reads

    /** {@link #filterForRead(ReplicationStrategy, String, List, boolean)} without a speculative extra replica. */
    public List<NodeInfo> filterForRead(ReplicationStrategy strategy, String localDc,
                                        List<NodeInfo> liveReplicasByProximity) {
        return filterForRead(strategy, localDc, liveReplicasByProximity, false);
    }

    /**
     * The replicas to contact for a read (Cassandra's candidatesForRead + contactForRead): the
     * closest {@link #blockFor} of the candidates — only local-DC ones for LOCAL_* levels — plus
     * one more when {@code speculate}. EACH_QUORUM with NetworkTopologyStrategy takes the closest
     * local quorum of every data center (reads at EACH_QUORUM exist since Cassandra 3.0) and never
     * speculates. May return fewer than needed when too few are alive; call
     * {@link #assureSufficientLiveNodesForRead} first.
     *
     * @param liveReplicasByProximity live natural replicas, closest first
     * @throws IllegalArgumentException for ANY
     */
    public List<NodeInfo> filterForRead(ReplicationStrategy strategy, String localDc,
                                        List<NodeInfo> liveReplicasByProximity, boolean speculate) {
        validateForRead();
        if (this == EACH_QUORUM && strategy instanceof NetworkTopologyStrategy) {
            Map<String, Integer> left = new HashMap<>(blockForPerDc(strategy));
            List<NodeInfo> out = new ArrayList<>();
            for (NodeInfo n : liveReplicasByProximity) {
                Integer l = left.get(n.dc());
                if (l != null && l > 0) {
                    out.add(n);
                    left.put(n.dc(), l - 1);
                }
            }
            return out;
        }
        List<NodeInfo> candidates = datacenterLocal ? inDc(liveReplicasByProximity, localDc) : liveReplicasByProximity;
        int count = blockFor(strategy, localDc) + (speculate ? 1 : 0);
        return List.copyOf(candidates.subList(0, Math.min(count, candidates.size())));
    }

    // ------------------------------------------------------------------ write acks

    /** Whether an ack from {@code replica} counts towards this level (LOCAL_* count only local-DC acks). */
    public boolean countsForWrite(NodeInfo replica, String localDc) {
        return !datacenterLocal || replica.isIn(localDc);
    }

    /** {@link #isSufficient(ReplicationStrategy, String, Map, Collection)} with no pending replicas. */
    public boolean isSufficient(ReplicationStrategy strategy, String localDc, Map<String, Integer> acksPerDc) {
        return isSufficient(strategy, localDc, acksPerDc, List.of());
    }

    /**
     * Whether the acks received so far satisfy this level for a write: the write response
     * handler's completion test.
     *
     * @param acksPerDc successful acks by the acking replica's data center; for ANY a stored hint
     *                  is counted as an ack under any key
     * @param pending   the pending replicas of the write
     */
    public boolean isSufficient(ReplicationStrategy strategy, String localDc, Map<String, Integer> acksPerDc,
                                Collection<NodeInfo> pending) {
        int total = 0;
        for (int a : acksPerDc.values()) {
            total += a;
        }
        if (this == ANY) {
            return total >= 1;
        }
        if (datacenterLocal) {
            return acksPerDc.getOrDefault(localDc, 0) >= blockForWrite(strategy, localDc, pending);
        }
        if (this == EACH_QUORUM && strategy instanceof NetworkTopologyStrategy) {
            Map<String, Integer> pendingPerDc = countPerDc(pending);
            for (Map.Entry<String, Integer> e : blockForPerDc(strategy).entrySet()) {
                int need = e.getValue() + pendingPerDc.getOrDefault(e.getKey(), 0);
                if (acksPerDc.getOrDefault(e.getKey(), 0) < need) {
                    return false;
                }
            }
            return true;
        }
        return total >= blockForWrite(strategy, localDc, pending);
    }

    // ------------------------------------------------------------------ helpers

    private static int countIn(Collection<NodeInfo> nodes, String dc) {
        int n = 0;
        for (NodeInfo node : nodes) {
            if (node.isIn(dc)) {
                n++;
            }
        }
        return n;
    }

    private static List<NodeInfo> inDc(List<NodeInfo> nodes, String dc) {
        List<NodeInfo> out = new ArrayList<>();
        for (NodeInfo node : nodes) {
            if (node.isIn(dc)) {
                out.add(node);
            }
        }
        return out;
    }

    private static Map<String, Integer> countPerDc(Collection<NodeInfo> nodes) {
        Map<String, Integer> out = new HashMap<>();
        for (NodeInfo node : nodes) {
            out.merge(node.dc(), 1, Integer::sum);
        }
        return out;
    }
}
