package io.sibyl.app.errors;

/**
 * A range stream failed (source down or stuck, corrupt chunk, data not storable): {@code STREAM_FAILED}, 502.
 * Retrying with the same session id resumes it.
 */
public final class StreamFailedException extends RequestException {

    public StreamFailedException(String message) {
        super(message);
    }

    @Override public String code() { return "STREAM_FAILED"; }
    @Override public int status() { return 502; }
}
