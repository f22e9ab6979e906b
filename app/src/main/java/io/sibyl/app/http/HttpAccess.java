package io.sibyl.app.http;

import io.sibyl.app.cql.auth.Auth;
import io.sibyl.app.cql.auth.AuthenticatedUser;
import io.sibyl.app.cql.auth.DataResource;
import io.sibyl.app.cql.auth.Permission;
import io.sibyl.app.errors.AuthenticationException;
import io.sibyl.app.errors.ClusterLayerAwayException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The one authentication and authorization step in front of every route (docs/security.md): reads
 * {@code Authorization: Basic}, logs the role in, and checks what the route needs. /health and /ready
 * are open, /metrics if {@code sibyl.auth.metrics_open}; /v1/cql needs a login (each statement is then
 * checked by the CQL processor); rows need SELECT (GET) or MODIFY on the table; the schema routes
 * DESCRIBE on what they show; everything else (/v1/admin/*, /v1/cluster) a superuser.
 */
public final class HttpAccess {
    /** What a route needs. */
    sealed interface Rule permits Open, Login, Superuser, Needs {}
    record Open() implements Rule {}
    record Login() implements Rule {}
    record Superuser() implements Rule {}
    record Needs(Permission permission, DataResource resource) implements Rule {}

    private static final CompletableFuture<AuthenticatedUser> ANONYMOUS =
            CompletableFuture.completedFuture(AuthenticatedUser.ANONYMOUS);

    private final Auth auth;
    private final boolean metricsOpen;

    /** @param auth null when no cluster layer serves: then only the open routes answer */
    public HttpAccess(Auth auth, boolean metricsOpen) {
        this.auth = auth;
        this.metricsOpen = metricsOpen;
    }

    static Rule rule(String method, List<String> segments) {
        int n = segments.size();
        if (n == 1 && (segments.get(0).equals("health") || segments.get(0).equals("ready"))) return new Open();
        if (n < 2 || !segments.get(0).equals("v1")) return new Superuser();
        String area = segments.get(1);
        if (area.equals("cql") && n == 2) return new Login();
        if (area.equals("keyspaces")) {
            if (n == 2) return new Needs(Permission.DESCRIBE, DataResource.ROOT);
            String ks = segments.get(2);
            if (n <= 4) return new Needs(Permission.DESCRIBE, DataResource.keyspace(ks));
            if (!segments.get(3).equals("tables")) return new Superuser();
            DataResource table = DataResource.table(ks, segments.get(4));
            if (n == 5) return new Needs(Permission.DESCRIBE, table);
            String rows = segments.get(5);
            if (rows.equals("rows") || rows.equals("rows:bulk")) {
                return new Needs(method.equals("GET") ? Permission.SELECT : Permission.MODIFY, table);
            }
        }
        return new Superuser();
    }

    /**
     * The user the request runs as: ANONYMOUS for open routes and when authentication is off; else the
     * logged-in role, once it holds what the route needs (AuthenticationException: 401, UnauthorizedException: 403).
     */
    CompletionStage<AuthenticatedUser> check(HttpRequest request, List<String> segments) {
        if (auth != null && !auth.settings().enabled()) return ANONYMOUS; // the hot path with authentication off
        Rule rule = rule(request.method().value(), segments);
        if (rule instanceof Open || (metricsOpen && segments.equals(List.of("metrics")))) {
            return ANONYMOUS;
        }
        if (auth == null) {
            return CompletableFuture.failedFuture(new ClusterLayerAwayException(
                    "authentication (" + request.method().value() + " " + request.getUri().path() + ")"));
        }
        String[] credentials = basic(request.getHeader("Authorization"));
        if (credentials == null) {
            return CompletableFuture.failedFuture(new AuthenticationException(
                    "this request needs credentials: Authorization: Basic base64(role:password)"));
        }
        // the client's address only for a login (logs, throttling): not on the hot path with authentication off
        return auth.login(credentials[0], credentials[1], HttpApi.clientAddress(request)).thenCompose(user -> {
            if (rule instanceof Superuser) {
                return auth.requireSuperuser(user, "use " + request.getUri().path()).thenApply(v -> user);
            }
            if (rule instanceof Needs needs) {
                return auth.authorize(user, needs.permission(), needs.resource()).thenApply(v -> user);
            }
            return CompletableFuture.completedFuture(user);
        });
    }

    /** role and password of a Basic header; null if absent or malformed. */
    static String[] basic(Optional<HttpHeader> header) {
        if (header.isEmpty()) return null;
        String v = header.get().value().trim();
        if (v.length() < 6 || !v.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(v.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) return null;
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
