package io.sibyl.verify.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One answer of {@code POST /v1/cql}: HTTP status ({@value #NOT_CONNECTED}: no connection could be made, so
 * nothing was sent; 0: sent, but no answer — reset, client timeout), body, transport error.
 */
public record CqlResult(int status, JsonNode body, String transportError) {
    public static final int NOT_CONNECTED = -1;

    public boolean ok() {
        return status == 200;
    }

    /** {@code applied} of a conditional statement. */
    public boolean applied() {
        return body != null && body.path("applied").asBoolean(false);
    }

    public String errorCode() {
        return body == null ? null : body.path("error").path("code").asText(null);
    }

    /**
     * True when the API guarantees the statement did nothing (docs/api.md): a client error (4xx, e.g.
     * INVALID), OVERLOADED (429, nothing sent) and UNAVAILABLE (503, detected before anything was sent).
     * A connection that could not be made means nothing was sent. A timeout (504), a read or server failure
     * (5xx) or no answer to a sent request leave the outcome unknown.
     */
    public boolean certainlyNotApplied() {
        return status == NOT_CONNECTED || (status >= 400 && status < 500) || status == 503;
    }

    public String describe() {
        if (status == NOT_CONNECTED) {
            return "not connected: " + transportError;
        }
        if (status == 0) {
            return "no answer: " + transportError;
        }
        String code = errorCode();
        return status + (code == null ? "" : " " + code);
    }
}
