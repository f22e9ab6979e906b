package io.sibyl.app.errors;

/**
 * An operation that must not run while ranges move between nodes (cleanup while a range is pending):
 * {@code TOPOLOGY_CHANGE_IN_PROGRESS}, 409. Retry once the topology change has finished.
 */
public final class TopologyChangeInProgressException extends RequestException {

    public TopologyChangeInProgressException(String message) {
        super(message);
    }

    @Override public String code() { return "TOPOLOGY_CHANGE_IN_PROGRESS"; }
    @Override public int status() { return 409; }
}
