package io.sibyl.app.errors;

/** docs/api.md {@code UNAUTHORIZED} with 403: the role is known but lacks the permission the request needs. */
public final class UnauthorizedException extends RequestException {
    public UnauthorizedException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "UNAUTHORIZED";
    }

    @Override
    public int status() {
        return 403;
    }
}
