package io.sibyl.app.errors;

/** Valid CQL the schema rejects, a bad value, missing key columns: {@code INVALID}, 400. */
public final class InvalidRequestException extends RequestException {
    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override public String code() { return "INVALID"; }
    @Override public int status() { return 400; }
}
