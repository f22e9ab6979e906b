package io.sibyl.app.errors;

/**
 * docs/api.md {@code UNAUTHORIZED} with 401: credentials missing, malformed or wrong. The message never
 * says which (an unknown role and a wrong password read the same), so it cannot reveal which roles exist.
 */
public final class AuthenticationException extends RequestException {
    public AuthenticationException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "UNAUTHORIZED";
    }

    @Override
    public int status() {
        return 401;
    }
}
