package io.sibyl.app.errors;

/** A REST path names a keyspace, table or route that does not exist: {@code NOT_FOUND}, 404. */
public final class NotFoundException extends RequestException {
    public NotFoundException(String message) {
        super(message);
    }

    @Override public String code() { return "NOT_FOUND"; }
    @Override public int status() { return 404; }
}
