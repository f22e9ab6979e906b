package io.sibyl.app.errors;

import java.util.Map;

/** A request body or a single value over the configured limit: {@code PAYLOAD_TOO_LARGE}, 413. */
public final class PayloadTooLargeException extends RequestException {
    private final long limit;

    public PayloadTooLargeException(String what, long limit) {
        super(what + " exceeds the limit of " + limit + " bytes");
        this.limit = limit;
    }

    @Override public String code() { return "PAYLOAD_TOO_LARGE"; }
    @Override public int status() { return 413; }

    @Override
    public Map<String, Object> details() {
        return Map.of("limit", limit);
    }
}
