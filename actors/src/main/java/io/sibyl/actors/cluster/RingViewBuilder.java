package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The rules that turn replicated node records plus Pekko membership into a {@link RingView}.
 * Pure: the RingKeeper feeds it, tests call it directly.
 *
 * <ul>
 *   <li>The ring holds every node whose declared status owns tokens (NORMAL, LEAVING), whether or
 *       not it is reachable. Only a LEFT status (decommission, removenode) takes tokens away.</li>
 *   <li>A node is DN when it is unreachable, down, removed or not a member at all (for example
 *       a node that crashed and was downed by the split brain resolver, or shut down cleanly).</li>
 *   <li>Otherwise UJ while joining (Pekko Joining, or declared JOINING), UL while leaving (Pekko
 *       Leaving/Exiting, or declared LEAVING), else UN. Pekko's WeaklyUp counts as up: such a
 *       member is reachable and serves, it merely joined while another member was unreachable.</li>
 * </ul>
 *
 * <p>The ring is changed incrementally from the previous view's ring and kept as the same
 * instance when ownership did not change, so its cached replica sets survive liveness flaps.
 */
public final class RingViewBuilder {

    private RingViewBuilder() {
    }

    /**
     * The view that follows {@code previous}; {@code previous} itself when nothing changed.
     *
     * @param records  the replicated records, by node id string (the LWWMap's content)
     * @param warnings receives a message for each record that could not be placed (token clash)
     */
    public static RingView next(RingView previous, NodeInfo self, Map<String, NodeRecord> records,
                                Membership membership, Consumer<String> warnings) {
        Map<NodeId, NodeRecord> byId = new HashMap<>();
        for (NodeRecord r : records.values()) {
            byId.put(r.id(), r);
        }
        TokenRing ring = nextRing(previous.ring(), byId, warnings);
        Map<String, Membership.Member> members = membership.byHostPort();
        Map<NodeId, NodeState> states = new HashMap<>();
        for (NodeRecord r : byId.values()) {
            states.put(r.id(), stateOf(r, members.get(r.clusterAddress())));
        }
        RingView candidate = new RingView(previous.version() + 1, self, ring, byId, states);
        return candidate.sameContentAs(previous) ? previous : candidate;
    }

    /**
     * The view that follows {@code previous} under cluster metadata: statuses, tokens and the change in
     * progress come from {@code metadata}; addresses from the records each node publishes of itself
     * ({@code published}, when their dc and rack match); liveness from {@code membership}. LEFT nodes
     * are not shown. {@code previous} itself when nothing changed; the rings are reused while their
     * ownership is the same, keeping their replica caches.
     */
    public static RingView next(RingView previous, NodeInfo self, ClusterMetadata metadata,
                                Map<String, NodeRecord> published, Membership membership) {
        Map<NodeId, NodeInfo> infos = new HashMap<>();
        for (NodeRecord r : published.values()) {
            infos.put(r.id(), r.info());
        }
        ClusterMetadata m = metadata.withAddresses(infos);
        Map<NodeId, NodeRecord> byId = new HashMap<>();
        for (NodeRecord r : m.nodes().values()) {
            if (r.status() != NodeStatus.LEFT) {
                byId.put(r.id(), r);
            }
        }
        TokenRing ring = sameOwnership(previous.ring(), m.readRing()) ? previous.ring() : m.readRing();
        TokenRing pending = m.pendingRing();
        if (pending != null && previous.pendingRing() != null && sameOwnership(previous.pendingRing(), pending)) {
            pending = previous.pendingRing();
        }
        Map<String, Membership.Member> members = membership.byHostPort();
        Map<NodeId, NodeState> states = new HashMap<>();
        NodeId replaced = m.change() == null ? null : m.change().replaced();
        for (NodeRecord r : byId.values()) {
            // The node being replaced is dead by definition, even if its replacement took its address.
            states.put(r.id(), r.id().equals(replaced) ? NodeState.DN : stateOf(r, members.get(r.clusterAddress())));
        }
        RingView candidate = new RingView(previous.version() + 1, self, ring, byId, states, m.epoch(), pending,
                m.change());
        return candidate.sameContentAs(previous) ? previous : candidate;
    }

    /** Whether two rings have the same tokens, each owned by an equal NodeInfo. */
    static boolean sameOwnership(TokenRing a, TokenRing b) {
        if (a == b) {
            return true;
        }
        if (a.tokenCount() != b.tokenCount()) {
            return false;
        }
        for (int i = 0; i < a.tokenCount(); i++) {
            if (a.tokenAt(i) != b.tokenAt(i) || !a.ownerAt(i).equals(b.ownerAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A node's state from its declared status and the member at its address (null if none). */
    public static NodeState stateOf(NodeRecord record, Membership.Member member) {
        if (member == null || !member.isAlive()) {
            return NodeState.DN;
        }
        if (record.status() == NodeStatus.JOINING || member.phase() == Membership.Phase.JOINING) {
            return NodeState.UJ;
        }
        if (record.status() == NodeStatus.LEAVING || record.status() == NodeStatus.LEFT
                || member.phase() == Membership.Phase.LEAVING || member.phase() == Membership.Phase.EXITING) {
            return NodeState.UL;
        }
        return NodeState.UN;
    }

    private static TokenRing nextRing(TokenRing ring, Map<NodeId, NodeRecord> records, Consumer<String> warnings) {
        Set<NodeId> owners = new HashSet<>();
        for (NodeRecord r : records.values()) {
            if (r.status().ownsTokens()) {
                owners.add(r.id());
            }
        }
        List<NodeId> gone = new ArrayList<>();
        for (NodeInfo n : ring.nodes()) {
            if (!owners.contains(n.id())) {
                gone.add(n.id());
            }
        }
        for (NodeId id : gone) {
            ring = ring.withoutNode(id);
        }
        // In id order, so a (practically impossible) token clash is reported the same way each time.
        List<NodeRecord> sorted = new ArrayList<>(records.values());
        sorted.sort((a, b) -> a.id().compareTo(b.id()));
        for (NodeRecord r : sorted) {
            if (!r.status().ownsTokens()) {
                continue;
            }
            Optional<NodeInfo> onRing = ring.node(r.id());
            if (onRing.isPresent() && onRing.get().equals(r.info()) && ring.tokensOf(r.id()).equals(r.tokens())) {
                continue;
            }
            try {
                ring = ring.withNode(r.info(), r.tokens());
            } catch (IllegalArgumentException e) {
                warnings.accept("node " + r.id() + " left off the ring: " + e.getMessage());
            }
        }
        return ring;
    }
}
