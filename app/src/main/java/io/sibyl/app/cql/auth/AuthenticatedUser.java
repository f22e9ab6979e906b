package io.sibyl.app.cql.auth;

import java.util.Objects;

/**
 * Who a request runs as: a role that logged in, {@link #ANONYMOUS} when authentication is off, or
 * {@link #SYSTEM} for the node's own internal statements (system_auth reads and writes), which are
 * never checked.
 */
public record AuthenticatedUser(String name, Kind kind) {
    public enum Kind { ROLE, ANONYMOUS, SYSTEM }

    public static final AuthenticatedUser ANONYMOUS = new AuthenticatedUser("anonymous", Kind.ANONYMOUS);
    public static final AuthenticatedUser SYSTEM = new AuthenticatedUser("system", Kind.SYSTEM);

    public AuthenticatedUser {
        Objects.requireNonNull(name);
        Objects.requireNonNull(kind);
    }

    public static AuthenticatedUser role(String name) {
        return new AuthenticatedUser(name, Kind.ROLE);
    }

    public boolean isSystem() {
        return kind == Kind.SYSTEM;
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }
}
