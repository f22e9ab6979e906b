package io.sibyl.actors.consistency;

import io.sibyl.actors.ring.NodeId;

import java.util.Objects;

/**
 * The coordinator shed a request instead of queueing it: a replica it needed already had
 * {@code max_in_flight_per_peer} requests outstanding from this node. Nothing of the request was
 * sent. Maps to {@code OVERLOADED} (429); the client should back off and retry.
 */
public final class OverloadedException extends RuntimeException {

    private final NodeId peer;
    private final int inFlight;

    public OverloadedException(NodeId peer, int inFlight) {
        super("Overloaded: " + inFlight + " requests already in flight to node " + peer
                + " (max_in_flight_per_peer); retry later");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.inFlight = inFlight;
    }

    public NodeId peer() {
        return peer;
    }

    public int inFlight() {
        return inFlight;
    }
}
