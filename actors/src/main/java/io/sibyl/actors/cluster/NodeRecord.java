package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import java.util.List;
import java.util.Objects;

/**
 * One node's entry in the replicated ring metadata: who it is, where it is reachable, the tokens
 * it chose at its first start, and its declared status. Each node writes only its own record;
 * Jackson CBOR carries it between nodes and into the durable store.
 */
public record NodeRecord(NodeInfo info, List<Long> tokens, NodeStatus status) implements CborSerializable {

    public NodeRecord {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(status, "status");
        tokens = tokens.stream().sorted().toList();
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("node " + info.id() + " must have at least one token");
        }
    }

    public NodeId id() {
        return info.id();
    }

    /** The key of this record in the replicated map. */
    public String key() {
        return info.id().value();
    }

    /** {@code host:clusterPort}, the form Pekko member addresses are matched on. */
    public String clusterAddress() {
        return info.host() + ":" + info.clusterPort();
    }
}
