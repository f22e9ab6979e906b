package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster's metadata at one epoch: every node ever registered (its record with status and
 * tokens) and the topology change in progress, if any. Immutable; the next epoch comes only from
 * {@link #apply(MetadataEntry)}, a pure function, so every node that applies the same log in order
 * holds the same metadata.
 *
 * <p>The rings follow from the nodes and the step of the change (see {@link TopologyChange.Step}):
 * <ul>
 *   <li>{@link #currentRing()}: the NORMAL and LEAVING nodes (who owned the data before the change);</li>
 *   <li>{@link #futureRing()}: the ring once the change completes;</li>
 *   <li>{@link #readRing()}: the natural replicas (reads, and writes' block-for): the current ring
 *       until reads move, then the future ring;</li>
 *   <li>{@link #pendingRing()}: the other ring writes also reach while ranges move (the future one
 *       from StartChange, the current one after MidChange); null when nothing is pending.</li>
 * </ul>
 */
public final class ClusterMetadata {

    public static final ClusterMetadata EMPTY = new ClusterMetadata(0, Map.of(), null, null);

    private final long epoch;
    private final Map<NodeId, NodeRecord> nodes;
    private final TopologyChange change;
    private final String lastAbort;
    private TokenRing current;
    private TokenRing future;

    public ClusterMetadata(long epoch, Map<NodeId, NodeRecord> nodes, TopologyChange change, String lastAbort) {
        this.epoch = epoch;
        this.nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
        this.change = change;
        this.lastAbort = lastAbort;
    }

    public long epoch() {
        return epoch;
    }

    /** Every registered node, LEFT ones included (they may never come back under the same id). */
    public Map<NodeId, NodeRecord> nodes() {
        return nodes;
    }

    /** The change in progress, or null. */
    public TopologyChange change() {
        return change;
    }

    /** Why the last aborted change was aborted (null if none was). */
    public String lastAbort() {
        return lastAbort;
    }

    public NodeStatus status(NodeId id) {
        NodeRecord r = nodes.get(id);
        return r == null ? null : r.status();
    }

    public boolean hasNormalNode() {
        return nodes.values().stream().anyMatch(r -> r.status() == NodeStatus.NORMAL);
    }

    /** The NORMAL nodes, by id. */
    public Set<NodeId> normalNodes() {
        Set<NodeId> out = new TreeSet<>();
        nodes.values().forEach(r -> {
            if (r.status() == NodeStatus.NORMAL) {
                out.add(r.id());
            }
        });
        return out;
    }

    /** The same metadata with the nodes' addresses replaced (the addresses each node publishes of itself). */
    public ClusterMetadata withAddresses(Map<NodeId, NodeInfo> infos) {
        Map<NodeId, NodeRecord> next = new HashMap<>();
        boolean changed = false;
        for (NodeRecord r : nodes.values()) {
            NodeInfo i = infos.get(r.id());
            if (i != null && !i.equals(r.info()) && i.dc().equals(r.info().dc()) && i.rack().equals(r.info().rack())) {
                next.put(r.id(), new NodeRecord(i, r.tokens(), r.status()));
                changed = true;
            } else {
                next.put(r.id(), r);
            }
        }
        return changed ? new ClusterMetadata(epoch, next, change, lastAbort) : this;
    }

    // ------------------------------------------------------------------ rings

    /** The owners before the change in progress: NORMAL and LEAVING nodes. */
    public synchronized TokenRing currentRing() {
        if (current == null) {
            current = ringOf(nodes.values().stream().filter(r -> r.status().ownsTokens()).toList());
        }
        return current;
    }

    /** The ring once the change in progress completes (the current ring when none is). */
    public synchronized TokenRing futureRing() {
        if (future == null) {
            if (change == null) {
                future = currentRing();
            } else if (change.kind() == TopologyChange.Kind.JOIN) {
                NodeRecord j = nodes.get(change.node());
                future = currentRing().withNode(j.info(), j.tokens());
            } else if (change.kind() == TopologyChange.Kind.REPLACE) {
                // The same tokens, the dead node's owner swapped for the new node.
                NodeRecord j = nodes.get(change.node());
                future = currentRing().withoutNode(change.replaced()).withNode(j.info(), j.tokens());
            } else {
                future = currentRing().withoutNode(change.node());
            }
        }
        return future;
    }

    /** The natural replicas' ring: the current one until reads move (MidChange), then the future one. */
    public TokenRing readRing() {
        if (change != null && change.step() == TopologyChange.Step.READS_MOVED) {
            return futureRing();
        }
        return currentRing();
    }

    /**
     * The ring whose replicas also get writes while ranges move: the future ring from StartChange until
     * reads move, the current (old) ring after; null when nothing is pending.
     */
    public TokenRing pendingRing() {
        if (change == null || change.step() == TopologyChange.Step.PREPARED) {
            return null;
        }
        if ((change.kind() == TopologyChange.Kind.REMOVE || change.kind() == TopologyChange.Kind.REPLACE)
                && change.step() == TopologyChange.Step.READS_MOVED) {
            // The old ring differs from the new one only by the removed (replaced) node, which is dead:
            // writing to it would only raise block-for with a replica that cannot answer.
            return null;
        }
        return change.step() == TopologyChange.Step.READS_MOVED ? currentRing() : futureRing();
    }

    private static TokenRing ringOf(List<NodeRecord> records) {
        TokenRing ring = TokenRing.empty();
        List<NodeRecord> sorted = records.stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
        for (NodeRecord r : sorted) {
            ring = ring.withNode(r.info(), r.tokens());
        }
        return ring;
    }

    // ------------------------------------------------------------------ transitions

    /** Thrown for an entry that does not follow this metadata (wrong epoch, illegal transition). */
    public static final class IllegalTransitionException extends IllegalStateException {
        public IllegalTransitionException(String message) {
            super(message);
        }
    }

    /** {@code metadata.apply(entry)}, as a function. */
    public static ClusterMetadata apply(ClusterMetadata metadata, MetadataEntry entry) {
        return metadata.apply(entry);
    }

    /**
     * The metadata at {@code entry.epoch()}.
     *
     * @throws IllegalTransitionException if the entry's epoch is not this epoch + 1, or the entry is
     *         not allowed in this state (the message says why)
     */
    public ClusterMetadata apply(MetadataEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry.epoch() != epoch + 1) {
            throw new IllegalTransitionException("entry " + entry.describe() + " does not follow epoch " + epoch);
        }
        if (entry instanceof MetadataEntry.Snapshot) {
            throw illegal(entry, "a snapshot is installed (MetadataLog.replay), never applied");
        }
        long e = entry.epoch();
        Map<NodeId, NodeRecord> next = new HashMap<>(nodes);
        if (entry instanceof MetadataEntry.Register r) {
            requireNoChange(entry);
            requireNew(r.record(), entry);
            requireStatus(r.record(), NodeStatus.NORMAL, entry);
            requireNoClash(r.record(), entry);
            next.put(r.record().id(), r.record());
            return new ClusterMetadata(e, next, null, lastAbort);
        }
        if (entry instanceof MetadataEntry.PrepareJoin p) {
            requireNoChange(entry);
            requireNew(p.record(), entry);
            requireStatus(p.record(), NodeStatus.JOINING, entry);
            requireNoClash(p.record(), entry);
            if (!hasNormalNode()) {
                throw illegal(entry, "there is no NORMAL node to join (the first nodes register as NORMAL)");
            }
            next.put(p.record().id(), p.record());
            return new ClusterMetadata(e, next, new TopologyChange(TopologyChange.Kind.JOIN, p.record().id(),
                    TopologyChange.Step.PREPARED, Set.of(p.record().id()), Set.of(), e), lastAbort);
        }
        if (entry instanceof MetadataEntry.PrepareReplace p) {
            requireNoChange(entry);
            requireNew(p.record(), entry);
            requireStatus(p.record(), NodeStatus.JOINING, entry);
            NodeRecord dead = nodes.get(p.replaced());
            String why = replaceRefusal(p.record(), dead, p.replaced());
            if (why != null) {
                throw illegal(entry, why);
            }
            next.put(p.record().id(), p.record());
            return new ClusterMetadata(e, next, new TopologyChange(TopologyChange.Kind.REPLACE, p.record().id(),
                    TopologyChange.Step.PREPARED, Set.of(p.record().id()), Set.of(), e, p.replaced()), lastAbort);
        }
        if (entry instanceof MetadataEntry.PrepareLeave p) {
            requireNoChange(entry);
            NodeRecord r = nodes.get(p.node());
            if (r == null || r.status() != NodeStatus.NORMAL) {
                throw illegal(entry, "node " + p.node() + " is " + (r == null ? "unknown" : r.status())
                        + ", not NORMAL");
            }
            Set<NodeId> remaining = normalNodes();
            remaining.remove(p.node());
            if (remaining.isEmpty()) {
                throw illegal(entry, "node " + p.node() + " is the last NORMAL node");
            }
            next.put(p.node(), new NodeRecord(r.info(), r.tokens(), NodeStatus.LEAVING));
            TopologyChange.Kind kind = p.removal() ? TopologyChange.Kind.REMOVE : TopologyChange.Kind.LEAVE;
            // A decommissioning node streams too: it hands the hints it holds for other nodes over to a
            // remaining one (HintHandOff) before reads move and it leaves. A removed node is dead: it cannot.
            Set<NodeId> streamers = new TreeSet<>(remaining);
            if (!p.removal()) {
                streamers.add(p.node());
            }
            return new ClusterMetadata(e, next, new TopologyChange(kind, p.node(), TopologyChange.Step.PREPARED,
                    streamers, Set.of(), e), lastAbort);
        }
        if (entry instanceof MetadataEntry.StartChange s) {
            requireStep(s.node(), TopologyChange.Step.PREPARED, entry);
            return new ClusterMetadata(e, next, change.withStep(TopologyChange.Step.WRITES_PENDING), lastAbort);
        }
        if (entry instanceof MetadataEntry.BeginStreaming s) {
            requireStep(s.node(), TopologyChange.Step.WRITES_PENDING, entry);
            return new ClusterMetadata(e, next, change.withStep(TopologyChange.Step.STREAMING), lastAbort);
        }
        if (entry instanceof MetadataEntry.StreamsDone s) {
            requireStep(s.node(), TopologyChange.Step.STREAMING, entry);
            if (!change.streamers().contains(s.streamer())) {
                throw illegal(entry, "node " + s.streamer() + " does not stream in this change");
            }
            if (change.streamsDone().contains(s.streamer())) {
                throw illegal(entry, "node " + s.streamer() + " already reported its streams done");
            }
            return new ClusterMetadata(e, next, change.withStreamsDone(s.streamer()), lastAbort);
        }
        if (entry instanceof MetadataEntry.MidChange m) {
            requireStep(m.node(), TopologyChange.Step.STREAMING, entry);
            if (!change.allStreamsDone()) {
                Set<NodeId> missing = new TreeSet<>(change.streamers());
                missing.removeAll(change.streamsDone());
                throw illegal(entry, "nodes " + missing + " have not finished streaming");
            }
            return new ClusterMetadata(e, next, change.withStep(TopologyChange.Step.READS_MOVED), lastAbort);
        }
        if (entry instanceof MetadataEntry.FinishChange f) {
            requireStep(f.node(), TopologyChange.Step.READS_MOVED, entry);
            NodeRecord r = nodes.get(f.node());
            NodeStatus to = change.isJoin() ? NodeStatus.NORMAL : NodeStatus.LEFT;
            next.put(f.node(), new NodeRecord(r.info(), r.tokens(), to));
            if (change.kind() == TopologyChange.Kind.REPLACE) {
                NodeRecord dead = nodes.get(change.replaced());
                next.put(dead.id(), new NodeRecord(dead.info(), dead.tokens(), NodeStatus.LEFT));
            }
            return new ClusterMetadata(e, next, null, lastAbort);
        }
        if (entry instanceof MetadataEntry.AbortChange a) {
            if (change == null || !change.node().equals(a.node())) {
                throw illegal(entry, "no change of node " + a.node() + " is in progress");
            }
            if (change.step() == TopologyChange.Step.READS_MOVED) {
                throw illegal(entry, "reads already moved to the new owners; the change can only finish");
            }
            if (change.isJoin()) {
                // A replaced node stays NORMAL (and down): it was never touched.
                next.remove(a.node());
            } else {
                NodeRecord r = nodes.get(a.node());
                next.put(a.node(), new NodeRecord(r.info(), r.tokens(), NodeStatus.NORMAL));
            }
            return new ClusterMetadata(e, next, null, a.reason());
        }
        throw new IllegalArgumentException("unknown entry " + entry);
    }

    /**
     * Why {@code record} may not replace {@code replacedId} (whose record is {@code dead}, null if
     * unknown), or null if it may: the replaced node must be NORMAL, and the new node must take
     * exactly its tokens in the same data center and rack (so no other replica set changes).
     */
    public static String replaceRefusal(NodeRecord record, NodeRecord dead, NodeId replacedId) {
        if (dead == null) {
            return "node " + replacedId + " is unknown (no such node in the cluster metadata)";
        }
        if (dead.status() != NodeStatus.NORMAL) {
            return "node " + replacedId + " is " + dead.status() + ", not NORMAL; only a NORMAL (dead) node can be replaced";
        }
        if (record.id().equals(replacedId)) {
            return "a node cannot replace itself";
        }
        if (!record.info().dc().equals(dead.info().dc()) || !record.info().rack().equals(dead.info().rack())) {
            return "node " + replacedId + " is in data center '" + dead.info().dc() + "', rack '" + dead.info().rack()
                    + "' but the replacing node is configured for '" + record.info().dc() + "', '"
                    + record.info().rack() + "'; start it with the same sibyl.cluster.dc and rack";
        }
        if (!record.tokens().equals(dead.tokens())) {
            return "the replacing node must take exactly the tokens of node " + replacedId;
        }
        return null;
    }

    private void requireNoChange(MetadataEntry entry) {
        if (change != null) {
            throw illegal(entry, "a topology change is in progress (" + describeChange() + ")");
        }
    }

    private void requireNew(NodeRecord r, MetadataEntry entry) {
        NodeRecord known = nodes.get(r.id());
        if (known != null) {
            throw illegal(entry, "node " + r.id() + " is already registered (" + known.status() + ")");
        }
    }

    private static void requireStatus(NodeRecord r, NodeStatus s, MetadataEntry entry) {
        if (r.status() != s) {
            throw illegal(entry, "node " + r.id() + " must register as " + s + ", not " + r.status());
        }
    }

    private void requireNoClash(NodeRecord r, MetadataEntry entry) {
        Set<Long> taken = new HashSet<>();
        nodes.values().stream().filter(n -> n.status() != NodeStatus.LEFT).forEach(n -> taken.addAll(n.tokens()));
        for (Long t : r.tokens()) {
            if (taken.contains(t)) {
                throw illegal(entry, "token " + t + " of node " + r.id() + " is already owned");
            }
        }
    }

    private void requireStep(NodeId node, TopologyChange.Step step, MetadataEntry entry) {
        if (change == null || !change.node().equals(node) || change.step() != step) {
            throw illegal(entry, "needs the change of node " + node + " at step " + step + ", but "
                    + (change == null ? "no change is in progress" : "the change is " + describeChange()));
        }
    }

    private static IllegalTransitionException illegal(MetadataEntry entry, String why) {
        return new IllegalTransitionException("cannot apply " + entry.describe() + ": " + why);
    }

    /** E.g. {@code JOIN of <id> at STREAMING (streams done 0/1)}; "none" without a change. */
    public String describeChange() {
        if (change == null) {
            return "none";
        }
        return change.kind() + " of " + change.node()
                + (change.replaced() == null ? "" : " (replacing " + change.replaced() + ")")
                + " at " + change.step() + " (streams done "
                + change.streamsDone().size() + "/" + change.streamers().size() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterMetadata m && m.epoch == epoch && m.nodes.equals(nodes)
                && Objects.equals(m.change, change) && Objects.equals(m.lastAbort, lastAbort);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, nodes, change);
    }

    @Override
    public String toString() {
        return "ClusterMetadata{epoch=" + epoch + ", nodes=" + nodes.size() + ", change=" + describeChange() + "}";
    }
}
