package io.sibyl.app.cql.auth;

import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.errors.AuthenticationException;
import io.sibyl.app.errors.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorization of one node (docs/security.md): logs roles in (PasswordAuthenticator)
 * and checks their permissions (CassandraAuthorizer), over the roles in system_auth, with caches that
 * reuse an answer for {@code sibyl.auth.cache_validity}. With AllowAll* everyone passes.
 */
public final class Auth {
    private static final Logger log = LoggerFactory.getLogger(Auth.class);

    /** What a role may do, resolved through the roles granted to it (transitively). */
    record Grants(boolean superuser, boolean canLogin, Set<String> roles, Map<DataResource, Set<Permission>> permissions) {
        Set<Permission> on(DataResource resource) {
            Set<Permission> out = EnumSet.noneOf(Permission.class);
            for (DataResource r = resource; r != null; r = r.parent()) {
                Set<Permission> p = permissions.get(r);
                if (p != null) out.addAll(p);
            }
            return out;
        }
    }

    private final AuthSettings settings;
    private final PasswordHasher hasher;
    private final RoleStore store;
    private final ExpiringCache<String, AuthenticatedUser> credentials;
    private final ExpiringCache<String, Grants> grants;
    private final LoginThrottle throttle;
    private final byte[] credentialSalt = new byte[16];

    public Auth(AuthSettings settings, Function<QueryRequest, CompletionStage<QueryResult>> systemExecutor) {
        this.settings = settings;
        this.hasher = new PasswordHasher(settings.bcryptCost());
        this.store = new RoleStore(systemExecutor);
        this.credentials = new ExpiringCache<>(settings.cacheValidity(), 10_000, System::nanoTime);
        this.grants = new ExpiringCache<>(settings.cacheValidity(), 10_000, System::nanoTime);
        this.throttle = new LoginThrottle(settings.maxFailedLoginsPerMinute(), System::nanoTime);
        new java.security.SecureRandom().nextBytes(credentialSalt);
    }

    public AuthSettings settings() {
        return settings;
    }

    public boolean authenticationRequired() {
        return settings.passwordAuthenticator();
    }

    RoleStore store() {
        return store;
    }

    PasswordHasher hasher() {
        return hasher;
    }

    /**
     * The role {@code user} logs in as with {@code password}, or AuthenticationException (one message
     * for an unknown role, a wrong password and a role without LOGIN). Failures are logged with
     * {@code clientAddress} and throttled per address.
     */
    public CompletionStage<AuthenticatedUser> login(String user, String password, String clientAddress) {
        if (!settings.passwordAuthenticator()) return CompletableFuture.completedFuture(AuthenticatedUser.ANONYMOUS);
        if (throttle.blocked(clientAddress)) {
            log.warn("login refused for client {}: more than {} failed logins in the last minute",
                    clientAddress, settings.maxFailedLoginsPerMinute());
            return CompletableFuture.failedFuture(new AuthenticationException(
                    "too many failed logins from this address; retry in a minute"));
        }
        if (user == null || password == null || user.isEmpty()) {
            return failed(user, clientAddress);
        }
        // A credential that logged in is remembered by a salted digest, not the password, for the cache validity.
        String key = user + '\0' + digest(password);
        return credentials.get(key, k -> check(user, password))
                .thenApply(u -> u)
                .exceptionallyCompose(t -> {
                    Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
                    if (c instanceof AuthenticationException) return failed(user, clientAddress);
                    return CompletableFuture.failedFuture(c);
                });
    }

    private CompletionStage<AuthenticatedUser> check(String user, String password) {
        return store.get(user).thenApply(role -> {
            if (role.isPresent() && role.get().canLogin() && hasher.matches(password, role.get().saltedHash())) {
                return AuthenticatedUser.role(user);
            }
            throw new AuthenticationException("bad credentials");
        });
    }

    private CompletionStage<AuthenticatedUser> failed(String user, String clientAddress) {
        int n = throttle.failed(clientAddress);
        log.warn("failed login as '{}' from {} ({} in the last minute)", abbreviate(user), clientAddress, n);
        return CompletableFuture.failedFuture(new AuthenticationException(
                "Provided username and/or password are incorrect"));
    }

    /** The role name as logged: at most 64 characters, control characters escaped (no forged log lines). */
    static String abbreviate(String s) {
        if (s == null) return "";
        String cut = s.length() > 64 ? s.substring(0, 64) : s;
        StringBuilder b = new StringBuilder(cut.length() + 8);
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0xFFFD) b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
        });
        return s.length() > 64 ? b.append("...").toString() : b.toString();
    }

    private String digest(String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(credentialSalt);
            return HexFormat.of().formatHex(md.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The grants of {@code user}'s role, resolved and cached. */
    CompletionStage<Grants> grants(String role) {
        return grants.get(role, this::resolve);
    }

    private CompletionStage<Grants> resolve(String role) {
        return store.get(role).thenCompose(start -> {
            if (start.isEmpty()) {
                return CompletableFuture.completedFuture(new Grants(false, false, Set.of(), Map.of()));
            }
            return collect(start.get(), new HashSet<>(), new ArrayDeque<>(start.get().memberOf()), start.get().superuser())
                    .thenCompose(acc -> permissionsOf(acc.roles).thenApply(perms ->
                            new Grants(acc.superuser, start.get().canLogin(), Set.copyOf(acc.roles), perms)));
        });
    }

    private record Acc(Set<String> roles, boolean superuser) {}

    private CompletionStage<Acc> collect(RoleRecord first, Set<String> seen, Deque<String> todo, boolean superuser) {
        seen.add(first.name());
        String next = null;
        while (!todo.isEmpty()) {
            String n = todo.poll();
            if (!seen.contains(n)) { next = n; break; }
        }
        if (next == null) return CompletableFuture.completedFuture(new Acc(seen, superuser));
        String name = next;
        return store.get(name).thenCompose(r -> {
            if (r.isEmpty()) {
                seen.add(name);
                return collect(first, seen, todo, superuser);
            }
            todo.addAll(r.get().memberOf());
            return collect(r.get(), seen, todo, superuser || r.get().superuser());
        });
    }

    private CompletionStage<Map<DataResource, Set<Permission>>> permissionsOf(Set<String> roles) {
        Map<DataResource, Set<Permission>> out = new HashMap<>();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (String r : roles) {
            chain = chain.thenCompose(v -> store.permissions(r)).thenAccept(p -> p.forEach((res, perms) ->
                    out.computeIfAbsent(res, k -> EnumSet.noneOf(Permission.class)).addAll(perms)));
        }
        return chain.thenApply(v -> out);
    }

    public CompletionStage<Boolean> isSuperuser(AuthenticatedUser user) {
        if (user.isSystem() || !settings.cassandraAuthorizer()) return CompletableFuture.completedFuture(true);
        if (user.isAnonymous()) return CompletableFuture.completedFuture(false);
        return grants(user.name()).thenApply(Grants::superuser);
    }

    /** Completes normally if {@code user} holds {@code permission} on {@code resource} (or above it), else UnauthorizedException. */
    public CompletionStage<Void> authorize(AuthenticatedUser user, Permission permission, DataResource resource) {
        if (user.isSystem() || !settings.cassandraAuthorizer()) return CompletableFuture.completedFuture(null);
        if (user.isAnonymous()) {
            return CompletableFuture.failedFuture(new UnauthorizedException("You have to be logged in to perform this request"));
        }
        return grants(user.name()).thenApply(g -> {
            if (g.superuser() || g.on(resource).contains(permission)) return null;
            throw new UnauthorizedException("User " + user.name() + " has no " + permission + " permission on <"
                    + resource.toCql().toLowerCase(java.util.Locale.ROOT) + "> or any of its parents");
        });
    }

    public CompletionStage<Void> requireSuperuser(AuthenticatedUser user, String what) {
        return isSuperuser(user).thenApply(su -> {
            if (su) return null;
            throw new UnauthorizedException("Only superusers may " + what);
        });
    }

    /**
     * Removes the grants on a dropped keyspace or table (and, for a keyspace, on its tables), as Cassandra's
     * AuthSchemaChangeListener does, so that a later keyspace or table of the same name starts without them.
     * Completes with the number of grants (role, resource) removed; a no-op without system_auth.
     */
    public CompletionStage<Integer> revokeAllOn(DataResource dropped) {
        if (!settings.enabled() || dropped.isRoot()) return CompletableFuture.completedFuture(0);
        return store.revokeAllOn(dropped).whenComplete((n, err) -> {
            invalidate();
            if (err == null && n > 0) log.info("removed {} grant(s) on dropped {}", n, dropped.toCql());
        });
    }

    /** Drops cached grants and credentials on this node (after a role statement here, so it sees the change at once). */
    public void invalidate() {
        grants.invalidateAll();
        credentials.invalidateAll();
    }

    /**
     * Creates system_auth if missing and, with PasswordAuthenticator, the first superuser when no role
     * exists (see {@link InitialSuperuser}). Runs once the node has joined its cluster.
     */
    public CompletionStage<Void> setup(SchemaStore schema, java.nio.file.Path dataDir) {
        if (!settings.enabled()) return CompletableFuture.completedFuture(null);
        return AuthSchema.ensure(schema, settings.systemAuthRf())
                .thenCompose(s -> settings.passwordAuthenticator()
                        ? new InitialSuperuser(store, hasher, dataDir).createIfNoRoles()
                        : CompletableFuture.completedFuture(null));
    }
}
