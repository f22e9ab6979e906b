package io.sibyl.actors.messaging;

import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.ring.NodeId;

/** A replica answered a request with a failure (it was reached, but could not do the work). */
public final class ReplicaFailureException extends RuntimeException {

    private final NodeId node;
    private final ReplicaActor.ReplicaFailure failure;

    public ReplicaFailureException(NodeId node, ReplicaActor.ReplicaFailure failure) {
        super("replica " + node + " failed: " + failure.reason() + ": " + failure.message());
        this.node = node;
        this.failure = failure;
    }

    public NodeId node() {
        return node;
    }

    public ReplicaActor.ReplicaFailure failure() {
        return failure;
    }
}
