package io.sibyl.actors.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An immutable snapshot of token ownership (Cassandra's TokenMetadata): every node's tokens,
 * sorted, each token ending the range {@code (previous token, token]} its node primarily owns.
 * Changes produce a new ring with a higher {@link #version()}; readers never lock.
 *
 * <p>Replica sets are computed per (strategy, range) on first use and cached inside the
 * snapshot, as Cassandra caches endpoints per token range; since the snapshot never changes,
 * the cache never needs invalidating.
 */
public final class TokenRing {

    private static final TokenRing EMPTY = new TokenRing(0, new long[0], new NodeInfo[0], Map.of());

    private final long version;
    private final long[] tokens;          // sorted ascending
    private final NodeInfo[] owners;      // owners[i] owns tokens[i]
    private final Map<NodeId, NodeInfo> nodes;
    private final Map<String, Integer> nodesPerDc;
    private final Map<String, Integer> racksPerDc;
    private final Map<ReplicationStrategy, AtomicReferenceArray<List<NodeInfo>>> replicaCache =
            new ConcurrentHashMap<>();

    private TokenRing(long version, long[] tokens, NodeInfo[] owners, Map<NodeId, NodeInfo> nodes) {
        this.version = version;
        this.tokens = tokens;
        this.owners = owners;
        this.nodes = nodes;
        Map<String, Integer> perDc = new HashMap<>();
        Map<String, Set<String>> racks = new HashMap<>();
        for (NodeInfo n : nodes.values()) {
            perDc.merge(n.dc(), 1, Integer::sum);
            racks.computeIfAbsent(n.dc(), dc -> new HashSet<>()).add(n.rack());
        }
        Map<String, Integer> rackCounts = new HashMap<>();
        racks.forEach((dc, r) -> rackCounts.put(dc, r.size()));
        this.nodesPerDc = Map.copyOf(perDc);
        this.racksPerDc = Map.copyOf(rackCounts);
    }

    public static TokenRing empty() {
        return EMPTY;
    }

    // ------------------------------------------------------------------ changes

    /**
     * This ring with {@code node} owning exactly {@code nodeTokens}. A node already on the ring
     * has its info and tokens replaced (Cassandra's updateNormalTokens). A token owned by
     * another node is a conflict and rejected.
     */
    public TokenRing withNode(NodeInfo node, Collection<Long> nodeTokens) {
        Objects.requireNonNull(node, "node");
        if (nodeTokens.isEmpty()) {
            throw new IllegalArgumentException("node " + node.id() + " must own at least one token");
        }
        TreeMap<Long, NodeInfo> map = toMap(node.id());
        for (Long t : nodeTokens) {
            NodeInfo previous = map.put(Objects.requireNonNull(t, "token"), node);
            if (previous != null && !previous.id().equals(node.id())) {
                throw new IllegalArgumentException("token " + t + " of node " + node.id()
                        + " is already owned by node " + previous.id());
            }
        }
        return fromMap(map);
    }

    /** This ring without {@code id} and its tokens; the same ring if the node is not on it. */
    public TokenRing withoutNode(NodeId id) {
        if (!nodes.containsKey(id)) {
            return this;
        }
        return fromMap(toMap(id));
    }

    private TreeMap<Long, NodeInfo> toMap(NodeId excluded) {
        TreeMap<Long, NodeInfo> map = new TreeMap<>();
        for (int i = 0; i < tokens.length; i++) {
            if (!owners[i].id().equals(excluded)) {
                map.put(tokens[i], owners[i]);
            }
        }
        return map;
    }

    private TokenRing fromMap(TreeMap<Long, NodeInfo> map) {
        long[] ts = new long[map.size()];
        NodeInfo[] os = new NodeInfo[map.size()];
        Map<NodeId, NodeInfo> ns = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<Long, NodeInfo> e : map.entrySet()) {
            ts[i] = e.getKey();
            os[i] = e.getValue();
            ns.put(e.getValue().id(), e.getValue());
            i++;
        }
        return new TokenRing(version + 1, ts, os, Collections.unmodifiableMap(ns));
    }

    // ------------------------------------------------------------------ membership

    /** Increases with every change; lets holders of derived data know it is stale. */
    public long version() {
        return version;
    }

    public boolean isEmpty() {
        return tokens.length == 0;
    }

    /** The nodes on the ring, in the order of their lowest token. */
    public Collection<NodeInfo> nodes() {
        return nodes.values();
    }

    public int nodeCount() {
        return nodes.size();
    }

    public Optional<NodeInfo> node(NodeId id) {
        return Optional.ofNullable(nodes.get(id));
    }

    public boolean contains(NodeId id) {
        return nodes.containsKey(id);
    }

    /** The data centers that have at least one node on the ring. */
    public Set<String> dataCenters() {
        return nodesPerDc.keySet();
    }

    public int nodeCountIn(String dc) {
        return nodesPerDc.getOrDefault(dc, 0);
    }

    public int rackCountIn(String dc) {
        return racksPerDc.getOrDefault(dc, 0);
    }

    /** The tokens {@code id} owns, sorted; empty if not on the ring. */
    public List<Long> tokensOf(NodeId id) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (owners[i].id().equals(id)) {
                out.add(tokens[i]);
            }
        }
        return List.copyOf(out);
    }

    /** Every token on the ring, sorted. */
    public List<Long> sortedTokens() {
        List<Long> out = new ArrayList<>(tokens.length);
        for (long t : tokens) {
            out.add(t);
        }
        return Collections.unmodifiableList(out);
    }

    Set<Long> tokenSet() {
        Set<Long> out = new HashSet<>(tokens.length * 2);
        for (long t : tokens) {
            out.add(t);
        }
        return out;
    }

    public int tokenCount() {
        return tokens.length;
    }

    public long tokenAt(int index) {
        return tokens[index];
    }

    public NodeInfo ownerAt(int index) {
        return owners[index];
    }

    // ------------------------------------------------------------------ placement

    /** Index of the first ring token {@code >= token}, wrapping to 0 past the last one. */
    public int firstTokenIndex(long token) {
        requireNotEmpty();
        int i = Arrays.binarySearch(tokens, token);
        if (i < 0) {
            i = -i - 1;
            if (i == tokens.length) {
                i = 0;
            }
        }
        return i;
    }

    /** The node owning the range {@code token} falls in: the first ring token {@code >= token}, wrapping. */
    public NodeInfo primaryReplica(long token) {
        return owners[firstTokenIndex(token)];
    }

    /** The range ending at the ring token with this index. */
    public TokenRange rangeAt(int index) {
        int prev = index == 0 ? tokens.length - 1 : index - 1;
        return new TokenRange(tokens[prev], tokens[index]);
    }

    /** The ring range that contains {@code token}. */
    public TokenRange rangeFor(long token) {
        return rangeAt(firstTokenIndex(token));
    }

    /** All ranges, one per ring token, in token order; together they cover the ring once. */
    public List<TokenRange> ranges() {
        List<TokenRange> out = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            out.add(rangeAt(i));
        }
        return List.copyOf(out);
    }

    /** The ranges {@code id} owns as primary replica (those ending at its tokens). */
    public List<TokenRange> primaryRangesFor(NodeId id) {
        List<TokenRange> out = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (owners[i].id().equals(id)) {
                out.add(rangeAt(i));
            }
        }
        return List.copyOf(out);
    }

    /** The ranges {@code id} holds a replica of under {@code strategy} (Cassandra's getAddressRanges). */
    public List<TokenRange> rangesFor(ReplicationStrategy strategy, NodeId id) {
        List<TokenRange> out = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            for (NodeInfo n : replicasAt(strategy, i)) {
                if (n.id().equals(id)) {
                    out.add(rangeAt(i));
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The natural replicas of {@code token} under {@code strategy}, primary first. Every token
     * of one range gets the same list. Empty on an empty ring.
     */
    public List<NodeInfo> replicasFor(ReplicationStrategy strategy, long token) {
        if (tokens.length == 0) {
            return List.of();
        }
        return replicasAt(strategy, firstTokenIndex(token));
    }

    private List<NodeInfo> replicasAt(ReplicationStrategy strategy, int index) {
        AtomicReferenceArray<List<NodeInfo>> cache =
                replicaCache.computeIfAbsent(strategy, s -> new AtomicReferenceArray<>(tokens.length));
        List<NodeInfo> replicas = cache.get(index);
        if (replicas == null) {
            // A racing thread may compute the same list; both results are equal, so either wins.
            replicas = List.copyOf(strategy.calculateNaturalReplicas(this, tokens[index]));
            cache.set(index, replicas);
        }
        return replicas;
    }

    // ------------------------------------------------------------------ ownership

    /**
     * The fraction of the ring each node holds a replica of under {@code strategy} (nodetool
     * status "Owns (effective)"). Sums to the number of replicas per range, i.e. min(RF, nodes)
     * for SimpleStrategy.
     */
    public Map<NodeId, Double> ownership(ReplicationStrategy strategy) {
        Map<NodeId, Double> out = zeroOwnership();
        for (int i = 0; i < tokens.length; i++) {
            double f = rangeAt(i).fraction();
            for (NodeInfo n : replicasAt(strategy, i)) {
                out.merge(n.id(), f, Double::sum);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The fraction of the ring each node owns as primary replica; sums to 1.0. */
    public Map<NodeId, Double> primaryOwnership() {
        Map<NodeId, Double> out = zeroOwnership();
        for (int i = 0; i < tokens.length; i++) {
            out.merge(owners[i].id(), rangeAt(i).fraction(), Double::sum);
        }
        return Collections.unmodifiableMap(out);
    }

    private Map<NodeId, Double> zeroOwnership() {
        Map<NodeId, Double> out = new LinkedHashMap<>();
        for (NodeId id : nodes.keySet()) {
            out.put(id, 0.0);
        }
        return out;
    }

    private void requireNotEmpty() {
        if (tokens.length == 0) {
            throw new IllegalStateException("the token ring is empty: no node has joined yet");
        }
    }

    @Override
    public String toString() {
        return "TokenRing{version=" + version + ", nodes=" + nodes.size() + ", tokens=" + tokens.length + "}";
    }
}
