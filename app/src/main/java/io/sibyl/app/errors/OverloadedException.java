package io.sibyl.app.errors;

/** The node sheds load rather than queueing without bound: {@code OVERLOADED}, 429. */
public final class OverloadedException extends RequestException {
    public OverloadedException(String message) {
        super(message);
    }

    @Override public String code() { return "OVERLOADED"; }
    @Override public int status() { return 429; }
}
