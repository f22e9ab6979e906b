package io.sibyl.app.cql.auth;

import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.ast.RoleStatement;
import io.sibyl.app.cql.ast.RoleStatement.AlterRole;
import io.sibyl.app.cql.ast.RoleStatement.CreateRole;
import io.sibyl.app.cql.ast.RoleStatement.DropRole;
import io.sibyl.app.cql.ast.RoleStatement.GrantPermissions;
import io.sibyl.app.cql.ast.RoleStatement.GrantRole;
import io.sibyl.app.cql.ast.RoleStatement.ListPermissions;
import io.sibyl.app.cql.ast.RoleStatement.ListRoles;
import io.sibyl.app.cql.ast.RoleStatement.Resource;
import io.sibyl.app.cql.ast.RoleStatement.RevokePermissions;
import io.sibyl.app.cql.ast.RoleStatement.RevokeRole;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.UnauthorizedException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs the role and permission statements (docs/api.md, Roles and permissions). Creating, altering and
 * dropping roles and granting roles need a superuser (a role may change its own password); granting
 * permissions needs a superuser or AUTHORIZE on the resource. A non-superuser is refused before any role
 * is looked up, so the answer never tells it whether a role exists.
 */
public final class RoleStatements {
    private static final Set<Permission> TABLE_PERMISSIONS = EnumSet.of(Permission.ALTER, Permission.DROP,
            Permission.SELECT, Permission.MODIFY, Permission.AUTHORIZE, Permission.DESCRIBE);

    private final Auth auth;
    private final SchemaStore schema;

    public RoleStatements(Auth auth, SchemaStore schema) {
        this.auth = auth;
        this.schema = schema;
    }

    public CompletionStage<QueryResult> execute(RoleStatement s, QueryRequest request, AuthenticatedUser user) {
        if (!auth.settings().passwordAuthenticator()) {
            throw new InvalidRequestException(s.getClass().getSimpleName() + " needs sibyl.auth.authenticator = "
                    + "PasswordAuthenticator (roles live in system_auth; see docs/security.md)");
        }
        boolean permissionStatement = s instanceof GrantPermissions || s instanceof RevokePermissions
                || s instanceof ListPermissions;
        if (permissionStatement && !auth.settings().cassandraAuthorizer()) {
            throw new InvalidRequestException("permission statements need sibyl.auth.authorizer = CassandraAuthorizer");
        }
        RoleStore store = auth.store();
        CompletionStage<QueryResult> result;
        if (s instanceof CreateRole c) result = superuser(user, "create roles").thenCompose(v -> create(store, c));
        else if (s instanceof AlterRole a) result = alter(store, a, user);
        else if (s instanceof DropRole d) result = superuser(user, "drop roles").thenCompose(v -> drop(store, d, user));
        else if (s instanceof GrantRole g) result = superuser(user, "grant roles").thenCompose(v -> grantRole(store, g));
        else if (s instanceof RevokeRole r) result = superuser(user, "revoke roles").thenCompose(v -> revokeRole(store, r));
        else if (s instanceof ListRoles l) result = listRoles(store, l, user);
        else if (s instanceof GrantPermissions g) {
            DataResource res = resource(g.resource(), request.keyspace());
            Set<Permission> perms = permissions(g.permissions(), res);
            result = mayAuthorize(user, res).thenCompose(v -> existing(store, g.grantee()))
                    .thenCompose(r -> store.grant(r.name(), res, perms)).thenApply(v -> QueryResult.empty());
        } else if (s instanceof RevokePermissions r) {
            DataResource res = resource(r.resource(), request.keyspace());
            Set<Permission> perms = permissions(r.permissions(), res);
            result = mayAuthorize(user, res).thenCompose(v -> existing(store, r.revokee()))
                    .thenCompose(role -> store.revoke(role.name(), res, perms)).thenApply(v -> QueryResult.empty());
        } else if (s instanceof ListPermissions l) result = listPermissions(store, l, request, user);
        else throw new InvalidRequestException("unsupported statement " + s.getClass().getSimpleName());
        // This node sees its own changes at once; other nodes within sibyl.auth.cache_validity.
        return result.whenComplete((r, err) -> auth.invalidate());
    }

    private CompletionStage<Void> superuser(AuthenticatedUser user, String what) {
        return auth.requireSuperuser(user, what);
    }

    private CompletionStage<Void> mayAuthorize(AuthenticatedUser user, DataResource resource) {
        return auth.authorize(user, Permission.AUTHORIZE, resource);
    }

    private static CompletionStage<RoleRecord> existing(RoleStore store, String role) {
        return store.get(role).thenApply(r -> r.orElseThrow(() ->
                new InvalidRequestException("role " + role + " doesn't exist")));
    }

    private CompletionStage<QueryResult> create(RoleStore store, CreateRole c) {
        var o = c.options();
        String hash = o.password() == null ? null : auth.hasher().hash(o.password());
        RoleRecord role = new RoleRecord(c.role(), Boolean.TRUE.equals(o.superuser()), Boolean.TRUE.equals(o.login()),
                hash, Set.of());
        return store.createIfAbsent(role).thenApply(created -> {
            if (!created && !c.ifNotExists()) throw new InvalidRequestException("role " + c.role() + " already exists");
            return QueryResult.empty();
        });
    }

    private CompletionStage<QueryResult> alter(RoleStore store, AlterRole a, AuthenticatedUser user) {
        var o = a.options();
        boolean self = user.kind() == AuthenticatedUser.Kind.ROLE && user.name().equals(a.role());
        return auth.isSuperuser(user).thenCompose(su -> {
            if (!su) {
                // A role may change its own password, nothing else, and nothing of another role.
                if (!self || o.login() != null || o.superuser() != null) {
                    throw new UnauthorizedException("Only superusers may alter roles other than their own password");
                }
            } else if (self && Boolean.FALSE.equals(o.superuser())) {
                throw new UnauthorizedException("You aren't allowed to alter your own superuser status");
            }
            return existing(store, a.role());
        }).thenCompose(role -> {
            String hash = o.password() == null ? null : auth.hasher().hash(o.password());
            CompletionStage<Void> check = Boolean.FALSE.equals(o.superuser()) || Boolean.FALSE.equals(o.login())
                    ? keepsALoginSuperuser(store, all -> SuperuserGuard.afterAlter(all, role.name(), o.superuser(), o.login()),
                            "ALTER ROLE " + role.name())
                    : done();
            return check.thenCompose(v -> store.update(role.name(), o.superuser(), o.login(), hash));
        }).thenApply(v -> QueryResult.empty());
    }

    private CompletionStage<QueryResult> drop(RoleStore store, DropRole d, AuthenticatedUser user) {
        if (user.kind() == AuthenticatedUser.Kind.ROLE && user.name().equals(d.role())) {
            throw new InvalidRequestException("Cannot DROP the role you are logged in as (" + d.role() + ")");
        }
        return store.get(d.role()).thenCompose(r -> {
            if (r.isEmpty()) {
                if (d.ifExists()) return CompletableFuture.completedFuture(QueryResult.empty());
                throw new InvalidRequestException("role " + d.role() + " doesn't exist");
            }
            CompletionStage<Void> check = keepsALoginSuperuser(store, all -> SuperuserGuard.afterDrop(all, d.role()),
                    "DROP ROLE " + d.role());
            return check.thenCompose(v -> store.delete(r.get())).thenApply(v -> QueryResult.empty());
        });
    }

    /**
     * Refuses a change that would leave no role that can log in and is a superuser (itself or through a
     * granted role): nobody could manage roles again (see {@link SuperuserGuard}).
     */
    private static CompletionStage<Void> keepsALoginSuperuser(RoleStore store,
                                                              java.util.function.UnaryOperator<List<RoleRecord>> change,
                                                              String what) {
        return store.all().thenAccept(all -> {
            Set<String> before = SuperuserGuard.loginSuperusers(all);
            if (!before.isEmpty() && SuperuserGuard.loginSuperusers(change.apply(all)).isEmpty()) {
                throw new InvalidRequestException("Cannot " + what + ": it would leave no superuser that can log in "
                        + "(now: " + String.join(", ", new TreeSet<>(before)) + "), and nobody could manage roles "
                        + "again. Create or promote another superuser with LOGIN = true first");
            }
        });
    }

    private CompletionStage<QueryResult> grantRole(RoleStore store, GrantRole g) {
        return existing(store, g.role()).thenCompose(role -> existing(store, g.grantee()).thenCompose(grantee -> {
            if (role.name().equals(grantee.name())) {
                throw new InvalidRequestException(role.name() + " is a member of itself already");
            }
            // A cycle would make every role in it a member of itself: refuse if role already has grantee.
            return auth.grants(role.name()).thenCompose(gr -> {
                if (gr.roles().contains(grantee.name())) {
                    throw new InvalidRequestException(grantee.name() + " is a member of " + role.name());
                }
                return store.grantRole(role.name(), grantee.name());
            });
        })).thenApply(v -> QueryResult.empty());
    }

    private CompletionStage<QueryResult> revokeRole(RoleStore store, RevokeRole r) {
        return existing(store, r.role()).thenCompose(role -> existing(store, r.revokee()).thenCompose(revokee -> {
            if (!revokee.memberOf().contains(role.name())) {
                throw new InvalidRequestException(revokee.name() + " is not a member of " + role.name());
            }
            return keepsALoginSuperuser(store, all -> SuperuserGuard.afterRevoke(all, role.name(), revokee.name()),
                    "REVOKE " + role.name() + " FROM " + revokee.name())
                    .thenCompose(v -> store.revokeRole(role.name(), revokee.name()));
        })).thenApply(v -> QueryResult.empty());
    }

    private CompletionStage<QueryResult> listRoles(RoleStore store, ListRoles l, AuthenticatedUser user) {
        return auth.isSuperuser(user).thenCompose(su -> {
            String of = l.of();
            if (!su && of == null) of = user.name();
            if (!su && !of.equals(user.name())) {
                throw new UnauthorizedException("You are not authorized to view roles granted to " + of);
            }
            if (of == null) return store.all();
            String target = of;
            return existing(store, target).thenCompose(role -> l.norecursive()
                    ? rolesNamed(store, withSelf(role, role.memberOf()))
                    : auth.grants(target).thenCompose(g -> rolesNamed(store, g.roles())));
        }).thenApply(roles -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            roles.stream().sorted(java.util.Comparator.comparing(RoleRecord::name)).forEach(r -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("role", r.name());
                row.put("super", r.superuser());
                row.put("login", r.canLogin());
                row.put("member_of", new ArrayList<>(new TreeSet<>(r.memberOf())));
                rows.add(row);
            });
            return new QueryResult(List.of(new QueryResult.ResultColumn("role", "text"),
                    new QueryResult.ResultColumn("super", "boolean"), new QueryResult.ResultColumn("login", "boolean"),
                    new QueryResult.ResultColumn("member_of", "set<text>")), rows, null, null, List.of());
        });
    }

    private static Set<String> withSelf(RoleRecord role, Set<String> others) {
        Set<String> s = new TreeSet<>(others);
        s.add(role.name());
        return s;
    }

    private static CompletionStage<List<RoleRecord>> rolesNamed(RoleStore store, Set<String> names) {
        List<RoleRecord> out = new ArrayList<>();
        CompletionStage<Void> chain = done();
        for (String n : names) {
            chain = chain.thenCompose(v -> store.get(n)).thenAccept(r -> r.ifPresent(out::add));
        }
        return chain.thenApply(v -> out);
    }

    private CompletionStage<QueryResult> listPermissions(RoleStore store, ListPermissions l, QueryRequest request,
                                                         AuthenticatedUser user) {
        DataResource on = l.resource() == null ? null : resource(l.resource(), request.keyspace());
        Set<Permission> wanted = l.permissions().contains("ALL") ? Permission.all() : parse(l.permissions());
        return auth.isSuperuser(user).thenCompose(su -> {
            String of = l.of();
            if (!su && of == null) of = user.name();
            if (!su && !of.equals(user.name())) {
                throw new UnauthorizedException("You are not authorized to view " + of + "'s permissions");
            }
            if (of == null) return store.allPermissions();
            String target = of;
            return existing(store, target).thenCompose(role -> {
                Set<String> roles = l.norecursive() ? Set.of(target) : null;
                CompletionStage<Set<String>> names = roles != null ? CompletableFuture.completedFuture(roles)
                        : auth.grants(target).thenApply(Auth.Grants::roles);
                return names.thenCompose(ns -> {
                    Map<String, Map<DataResource, Set<Permission>>> out = new LinkedHashMap<>();
                    CompletionStage<Void> chain = done();
                    for (String n : new TreeSet<>(ns)) {
                        chain = chain.thenCompose(v -> store.permissions(n)).thenAccept(p -> out.put(n, p));
                    }
                    return chain.thenApply(v -> out);
                });
            });
        }).thenApply(all -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (var byRole : new java.util.TreeMap<>(all).entrySet()) {
                for (var grant : byRole.getValue().entrySet()) {
                    if (on != null && !covers(grant.getKey(), on, l.norecursive())) continue;
                    for (Permission p : grant.getValue()) {
                        if (!wanted.contains(p)) continue;
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("role", byRole.getKey());
                        row.put("username", byRole.getKey());
                        row.put("resource", "<" + grant.getKey().toCql().toLowerCase(Locale.ROOT) + ">");
                        row.put("permission", p.name());
                        rows.add(row);
                    }
                }
            }
            return new QueryResult(List.of(new QueryResult.ResultColumn("role", "text"),
                    new QueryResult.ResultColumn("username", "text"), new QueryResult.ResultColumn("resource", "text"),
                    new QueryResult.ResultColumn("permission", "text")), rows, null, null, List.of());
        });
    }

    /** Whether a grant on {@code granted} shows when listing {@code on}: the same resource, or (recursively) a parent. */
    private static boolean covers(DataResource granted, DataResource on, boolean norecursive) {
        if (norecursive) return granted.equals(on);
        for (DataResource r = on; r != null; r = r.parent()) if (r.equals(granted)) return true;
        return false;
    }

    /** The resource named, which must exist (a GRANT on a missing table is INVALID, as in Cassandra). */
    private DataResource resource(Resource r, String requestKeyspace) {
        if (r.allKeyspaces()) return DataResource.ROOT;
        String ks = r.keyspace() != null ? r.keyspace() : requestKeyspace;
        if (ks == null) {
            throw new InvalidRequestException("No keyspace has been specified. USE a keyspace, or explicitly "
                    + "specify keyspace.tablename");
        }
        KeyspaceMetadata k = schema.current().keyspace(ks);
        if (r.table() == null) {
            if (k == null) throw new InvalidRequestException("Resource <keyspace " + ks + "> doesn't exist");
            return DataResource.keyspace(ks);
        }
        if (k == null || k.table(r.table()) == null) {
            throw new InvalidRequestException("Resource <table " + ks + "." + r.table() + "> doesn't exist");
        }
        return DataResource.table(ks, r.table());
    }

    private static Set<Permission> permissions(List<String> names, DataResource resource) {
        Set<Permission> applicable = resource.isTable() ? TABLE_PERMISSIONS : Permission.all();
        if (names.contains("ALL")) return EnumSet.copyOf(applicable);
        Set<Permission> out = parse(names);
        for (Permission p : out) {
            if (!applicable.contains(p)) {
                throw new InvalidRequestException("Resource type DataResource does not support the requested "
                        + "permissions: " + p + " on " + resource.toCql());
            }
        }
        return out;
    }

    private static Set<Permission> parse(List<String> names) {
        Set<Permission> out = EnumSet.noneOf(Permission.class);
        for (String n : names) {
            Permission p = Permission.parse(n);
            if (p == null) throw new InvalidRequestException("unknown permission " + n);
            out.add(p);
        }
        return out;
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

}
