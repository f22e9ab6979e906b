package io.sibyl.app.errors;

import java.util.Map;

/**
 * A client-visible failure with a docs/api.md error code. Subclasses name the situations;
 * {@link io.sibyl.app.http.ErrorMapper} is the one place that turns any exception into a response.
 */
public abstract class RequestException extends RuntimeException {
    protected RequestException(String message) {
        super(message);
    }

    protected RequestException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract String code();

    public abstract int status();

    /** Extra fields of the error object (e.g. line/column, keyspace/table). */
    public Map<String, Object> details() {
        return Map.of();
    }
}
