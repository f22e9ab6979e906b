package io.sibyl.actors.cluster;

/**
 * A node's state as {@code nodetool status} shows it: Up/Down, then Normal/Joining/Leaving/Moving.
 * "Down" means not alive for consistency purposes (unreachable, or no longer a cluster member); it
 * never means the node lost its tokens.
 */
public enum NodeState {
    UN, DN, UJ, UL, UM;

    public boolean isUp() {
        return this != DN;
    }
}
