package io.sibyl.actors.ring;

import java.util.Objects;
import java.util.UUID;

/**
 * A node's stable identity. Chosen once at first start (a UUID) and kept across restarts, so a
 * node that changes address keeps its tokens and hints addressed to it stay valid.
 */
public record NodeId(String value) implements Comparable<NodeId> {

    public NodeId {
        Objects.requireNonNull(value, "node id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    /** A fresh random id, for a node's first start. */
    public static NodeId random() {
        return new NodeId(UUID.randomUUID().toString());
    }

    @Override
    public int compareTo(NodeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
