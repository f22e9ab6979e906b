package io.sibyl.actors.cluster;

/**
 * What a node declares about its own place on the ring (Cassandra's gossip STATUS), as opposed to
 * what the failure detector says about it. Only a node's own RingKeeper writes its status.
 */
public enum NodeStatus {
    /** Bootstrapping: known, but its tokens are not yet natural replicas. */
    JOINING,
    /** Owns its tokens. */
    NORMAL,
    /** Decommissioning: still owns its tokens until it has streamed them away. */
    LEAVING,
    /** Decommissioned or removed: its tokens are off the ring. */
    LEFT;

    /** Whether a node in this status has its tokens on the ring. */
    public boolean ownsTokens() {
        return this == NORMAL || this == LEAVING;
    }
}
