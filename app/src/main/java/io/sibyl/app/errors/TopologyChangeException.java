package io.sibyl.app.errors;

/**
 * A topology request that cannot start now: another change is in progress ({@code CONFLICT}, 409), or
 * the topology coordinator did not answer in time ({@code UNAVAILABLE}, 503; retry).
 */
public final class TopologyChangeException extends RequestException {
    private final String code;
    private final int status;

    private TopologyChangeException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public static TopologyChangeException conflict(String message) {
        return new TopologyChangeException("CONFLICT", 409, message);
    }

    public static TopologyChangeException unavailable(String message) {
        return new TopologyChangeException("UNAVAILABLE", 503, message);
    }

    @Override public String code() { return code; }
    @Override public int status() { return status; }
}
