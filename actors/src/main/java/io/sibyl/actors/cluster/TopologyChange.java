package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one topology change in progress (Cassandra 5.1's in-progress sequence): which node joins or
 * leaves, how far the change has gone, and which nodes have finished streaming.
 *
 * @param kind         join, decommission (leave), removenode (remove) or replace
 * @param node         the joining, leaving or removed node (for a replace: the new node, which joins)
 * @param step         how far the change has gone
 * @param streamers    the nodes that must fetch data before reads move (the joining node; for a
 *                     leave or removal every remaining NORMAL node, each fetching what it gains; for
 *                     a leave also the leaving node, which hands its hints over)
 * @param streamsDone  the streamers that have reported their fetches complete
 * @param startedEpoch the epoch of the Prepare entry that opened the change
 * @param replaced     for a replace, the dead node whose tokens {@code node} takes over; null otherwise
 */
public record TopologyChange(Kind kind, NodeId node, Step step, Set<NodeId> streamers, Set<NodeId> streamsDone,
                             long startedEpoch, NodeId replaced) {

    /**
     * JOIN: a new node takes new tokens; LEAVE: decommission; REMOVE: removenode of a dead node;
     * REPLACE: a new node takes a dead node's tokens ({@code sibyl start --replace}).
     */
    public enum Kind { JOIN, LEAVE, REMOVE, REPLACE }

    /**
     * The steps, in order. The ring coordinators read from and the ring writes also go to follow from
     * the step (see {@link ClusterMetadata#readRing()} and {@link ClusterMetadata#pendingRing()}).
     */
    public enum Step {
        /** Registered (JOINING / LEAVING); no replica set has changed yet. */
        PREPARED,
        /** The gaining nodes are pending replicas: writes reach them, reads do not (CEP-21 StartJoin). */
        WRITES_PENDING,
        /** Every node writes to the pending replicas (barrier passed): the streamers fetch their ranges. */
        STREAMING,
        /** Reads moved to the new owners; the old owners still get writes (CEP-21 MidJoin). */
        READS_MOVED
    }

    public TopologyChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(step, "step");
        streamers = Set.copyOf(new TreeSet<>(streamers));
        streamsDone = Set.copyOf(new TreeSet<>(streamsDone));
        if ((kind == Kind.REPLACE) != (replaced != null)) {
            throw new IllegalArgumentException("a REPLACE change (and only it) names the replaced node");
        }
    }

    /** A change that replaces no node. */
    public TopologyChange(Kind kind, NodeId node, Step step, Set<NodeId> streamers, Set<NodeId> streamsDone,
                          long startedEpoch) {
        this(kind, node, step, streamers, streamsDone, startedEpoch, null);
    }

    public TopologyChange withStep(Step next) {
        return new TopologyChange(kind, node, next, streamers, streamsDone, startedEpoch, replaced);
    }

    public TopologyChange withStreamsDone(NodeId streamer) {
        Set<NodeId> done = new TreeSet<>(streamsDone);
        done.add(streamer);
        return new TopologyChange(kind, node, step, streamers, done, startedEpoch, replaced);
    }

    public boolean allStreamsDone() {
        return streamsDone.containsAll(streamers);
    }

    /** The state a node in this change shows in {@code nodetool status} terms. */
    public boolean isJoin() {
        return kind == Kind.JOIN || kind == Kind.REPLACE;
    }
}
