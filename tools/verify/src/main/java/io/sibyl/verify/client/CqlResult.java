package io.sibyl.verify.client;

import com.fasterxml.jackson.databind.JsonNode;

/** One answer of {@code POST /v1/cql}: HTTP status (0: no answer — refused, reset, client timeout), body, transport error. */
public record CqlResult(int status, JsonNode body, String transportError) {

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
     * A timeout (504), a read or server failure (5xx) or no answer at all leave the outcome unknown.
     */
    public boolean certainlyNotApplied() {
        return (status >= 400 && status < 500) || status == 503;
    }

    public String describe() {
        if (status == 0) {
            return "no answer: " + transportError;
        }
        String code = errorCode();
        return status + (code == null ? "" : " " + code);
    }
}
