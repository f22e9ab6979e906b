package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An immutable snapshot of what this node knows about the cluster: the token ring, every known
 * node's record and its state (UN, DN, ...), and this node's own info. Request paths read the
 * current one from {@link RingViewHolder} without asking any actor.
 *
 * <p>A node that is down keeps its tokens here: liveness decides which replicas are contacted,
 * never which replicas own a range.
 */
public final class RingView {

    private final long version;
    private final NodeInfo self;
    private final TokenRing ring;
    private final Map<NodeId, NodeRecord> records;
    private final Map<NodeId, NodeState> states;
    private final List<NodeInfo> liveNodes;
    private final long epoch;
    private final TokenRing pendingRing;
    private final TopologyChange change;

    /**
     * @param version increases with every change seen by this node
     * @param self    this node
     * @param ring    token ownership of the nodes whose status owns tokens
     * @param records every known node (also joining ones, whose tokens are not yet on the ring)
     * @param states  the state of every node in {@code records}; a missing entry counts as DN
     */
    public RingView(long version, NodeInfo self, TokenRing ring, Map<NodeId, NodeRecord> records,
                    Map<NodeId, NodeState> states) {
        this(version, self, ring, records, states, 0, null, null);
    }

    /**
     * @param epoch       the cluster metadata epoch this view was built from
     * @param pendingRing the ring whose replicas also get writes while a topology change moves
     *                    ranges ({@link ClusterMetadata#pendingRing()}); null when nothing is pending
     * @param change      the topology change in progress, or null
     */
    public RingView(long version, NodeInfo self, TokenRing ring, Map<NodeId, NodeRecord> records,
                    Map<NodeId, NodeState> states, long epoch, TokenRing pendingRing, TopologyChange change) {
        this.epoch = epoch;
        this.pendingRing = pendingRing;
        this.change = change;
        this.version = version;
        this.self = Objects.requireNonNull(self, "self");
        this.ring = Objects.requireNonNull(ring, "ring");
        this.records = Collections.unmodifiableMap(new TreeMap<>(records));
        Map<NodeId, NodeState> st = new TreeMap<>();
        for (NodeId id : this.records.keySet()) {
            st.put(id, states.getOrDefault(id, NodeState.DN));
        }
        this.states = Collections.unmodifiableMap(st);
        List<NodeInfo> live = new ArrayList<>();
        for (NodeRecord r : this.records.values()) {
            if (r.id().equals(self.id()) || this.states.get(r.id()).isUp()) {
                live.add(r.info());
            }
        }
        this.liveNodes = List.copyOf(live);
    }

    /** The view before anything is known: no ring, this node alone and down (not yet a member). */
    public static RingView initial(NodeInfo self) {
        return new RingView(0, self, TokenRing.empty(), Map.of(), Map.of());
    }

    public long version() {
        return version;
    }

    public NodeInfo self() {
        return self;
    }

    public NodeId selfId() {
        return self.id();
    }

    public TokenRing ring() {
        return ring;
    }

    /**
     * The nodes that will replicate {@code token} once the topology change in progress completes
     * but are not its natural replicas now (Cassandra's pending endpoints): a joining node for the
     * ranges it gains, the new owners of a leaving node's ranges. Coordinators send every write to
     * them as well and wait for one more acknowledgement per pending replica (Cassandra's
     * {@code totalBlockFor}); reads never use them. Empty while no topology change is in progress.
     */
    public List<NodeInfo> pendingReplicas(io.sibyl.actors.ring.ReplicationStrategy strategy, long token) {
        if (pendingRing == null || pendingRing.isEmpty()) {
            return List.of();
        }
        List<NodeInfo> other = pendingRing.replicasFor(strategy, token);
        if (ring.isEmpty()) {
            return other;
        }
        List<NodeInfo> natural = ring.replicasFor(strategy, token);
        List<NodeInfo> out = null;
        for (NodeInfo n : other) {
            if (!RangeMovements.contains(natural, n.id())) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(n);
            }
        }
        return out == null ? List.of() : List.copyOf(out);
    }

    /** The cluster metadata epoch this view follows (0 before any entry is known). */
    public long epoch() {
        return epoch;
    }

    /** The topology change in progress, or null. */
    public TopologyChange change() {
        return change;
    }

    /** The ring pending writes follow (see {@link ClusterMetadata#pendingRing()}); null when nothing is pending. */
    public TokenRing pendingRing() {
        return pendingRing;
    }

    /**
     * Whether a topology change has ranges pending anywhere on the ring (cleanup is refused then:
     * it would drop data a pending move still needs). False while no topology change is in progress.
     */
    public boolean hasPendingRanges() {
        return pendingRing != null;
    }

    /** Every known node's record, by id. */
    public Map<NodeId, NodeRecord> records() {
        return records;
    }

    public Optional<NodeRecord> record(NodeId id) {
        return Optional.ofNullable(records.get(id));
    }

    /** Every known node's NodeInfo, ordered by id. */
    public Collection<NodeInfo> nodes() {
        return records.values().stream().map(NodeRecord::info).collect(Collectors.toUnmodifiableList());
    }

    /** The state of every known node. */
    public Map<NodeId, NodeState> states() {
        return states;
    }

    /** The node's state; DN for a node this view does not know. */
    public NodeState state(NodeId id) {
        return states.getOrDefault(id, NodeState.DN);
    }

    /**
     * Whether {@code id} counts as alive for consistency levels: a reachable cluster member, or this
     * node itself, which is running even while it is not (yet, or no longer) a member — cut off by a
     * partition it still serves what needs only its own replicas, as a Cassandra node does.
     */
    public boolean isAlive(NodeId id) {
        return id.equals(self.id()) || state(id).isUp();
    }

    /** The nodes that are alive (see {@link #isAlive}), ordered by id. */
    public List<NodeInfo> liveNodes() {
        return liveNodes;
    }

    /** The ids of the live nodes. */
    public Set<NodeId> liveNodeIds() {
        return liveNodes.stream().map(NodeInfo::id).collect(Collectors.toUnmodifiableSet());
    }

    /** This node is a reachable member whose own record is known (it can coordinate requests). */
    public boolean isSelfUp() {
        return state(self.id()).isUp() && records.containsKey(self.id());
    }

    /** Same content, ignoring the version: lets the keeper skip publishing a view that changed nothing. */
    boolean sameContentAs(RingView other) {
        return self.equals(other.self) && ring == other.ring && records.equals(other.records)
                && states.equals(other.states) && epoch == other.epoch && pendingRing == other.pendingRing
                && Objects.equals(change, other.change);
    }

    @Override
    public String toString() {
        Map<String, NodeState> byId = new LinkedHashMap<>();
        states.forEach((id, s) -> byId.put(id.value(), s));
        return "RingView{version=" + version + ", epoch=" + epoch + ", self=" + self.id() + ", ring=" + ring + ", states=" + byId + "}";
    }
}
