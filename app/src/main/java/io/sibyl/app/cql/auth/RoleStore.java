package io.sibyl.app.cql.auth;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Reads and writes {@code system_auth} through the normal coordinator at QUORUM, as internal CQL
 * statements (they run as {@link AuthenticatedUser#SYSTEM}, so no permission check applies to them).
 * Values are always bound, never spliced into the text: a role name cannot inject CQL.
 */
final class RoleStore {
    private static final ConsistencyLevel CL = ConsistencyLevel.QUORUM;
    private static final String ROLES = AuthSchema.KEYSPACE + "." + AuthSchema.ROLES;
    private static final String MEMBERS = AuthSchema.KEYSPACE + "." + AuthSchema.ROLE_MEMBERS;
    private static final String PERMISSIONS = AuthSchema.KEYSPACE + "." + AuthSchema.ROLE_PERMISSIONS;

    private final Function<QueryRequest, CompletionStage<QueryResult>> executor;

    /** @param executor runs a statement unchecked (QueryProcessor#execute as SYSTEM) */
    RoleStore(Function<QueryRequest, CompletionStage<QueryResult>> executor) {
        this.executor = executor;
    }

    private CompletionStage<QueryResult> run(String cql, Object... values) {
        return executor.apply(new QueryRequest(cql, values.length == 0 ? null : java.util.Arrays.asList(values), null, CL,
                ConsistencyLevel.SERIAL, 10_000, null, null));
    }

    CompletionStage<Optional<RoleRecord>> get(String role) {
        return run("SELECT role, is_superuser, can_login, salted_hash, member_of FROM " + ROLES + " WHERE role = ?", role)
                .thenApply(r -> r.rows().isEmpty() ? Optional.empty() : Optional.of(record(r.rows().get(0))));
    }

    CompletionStage<List<RoleRecord>> all() {
        return run("SELECT role, is_superuser, can_login, salted_hash, member_of FROM " + ROLES)
                .thenApply(r -> r.rows().stream().map(RoleStore::record).toList());
    }

    CompletionStage<Boolean> anyRole() {
        return run("SELECT role FROM " + ROLES + " LIMIT 1").thenApply(r -> !r.rows().isEmpty());
    }

    /** INSERT ... IF NOT EXISTS (a Paxos round): true if this call created the role. */
    CompletionStage<Boolean> createIfAbsent(RoleRecord role) {
        return run("INSERT INTO " + ROLES + " (role, is_superuser, can_login, salted_hash, member_of) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS",
                role.name(), role.superuser(), role.canLogin(), role.saltedHash(), new ArrayList<>(role.memberOf()))
                .thenApply(r -> Boolean.TRUE.equals(r.applied()));
    }

    CompletionStage<Void> update(String role, Boolean superuser, Boolean canLogin, String saltedHash) {
        List<String> sets = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (superuser != null) { sets.add("is_superuser = ?"); values.add(superuser); }
        if (canLogin != null) { sets.add("can_login = ?"); values.add(canLogin); }
        if (saltedHash != null) { sets.add(AuthSchema.SALTED_HASH + " = ?"); values.add(saltedHash); }
        if (sets.isEmpty()) return CompletableFuture.completedFuture(null);
        values.add(role);
        return run("UPDATE " + ROLES + " SET " + String.join(", ", sets) + " WHERE role = ?", values.toArray())
                .thenApply(r -> null);
    }

    /** Removes the role, its memberships both ways, and its permissions. */
    CompletionStage<Void> delete(RoleRecord role) {
        CompletionStage<Void> chain = members(role.name()).thenCompose(members -> {
            CompletionStage<Void> c = CompletableFuture.completedFuture(null);
            for (String member : members) {
                c = c.thenCompose(v -> revokeRole(role.name(), member));
            }
            return c;
        });
        for (String parent : role.memberOf()) {
            chain = chain.thenCompose(v -> run("DELETE FROM " + MEMBERS + " WHERE role = ? AND member = ?", parent, role.name()))
                    .thenApply(r -> null);
        }
        return chain
                .thenCompose(v -> run("DELETE FROM " + PERMISSIONS + " WHERE role = ?", role.name()))
                .thenCompose(v -> run("DELETE FROM " + MEMBERS + " WHERE role = ?", role.name()))
                .thenCompose(v -> run("DELETE FROM " + ROLES + " WHERE role = ?", role.name()))
                .thenApply(r -> null);
    }

    CompletionStage<List<String>> members(String role) {
        return run("SELECT member FROM " + MEMBERS + " WHERE role = ?", role)
                .thenApply(r -> r.rows().stream().map(row -> (String) row.get("member")).toList());
    }

    CompletionStage<Void> grantRole(String role, String grantee) {
        return run("UPDATE " + ROLES + " SET member_of = member_of + ? WHERE role = ?", List.of(role), grantee)
                .thenCompose(v -> run("INSERT INTO " + MEMBERS + " (role, member) VALUES (?, ?)", role, grantee))
                .thenApply(r -> null);
    }

    CompletionStage<Void> revokeRole(String role, String revokee) {
        return run("UPDATE " + ROLES + " SET member_of = member_of - ? WHERE role = ?", List.of(role), revokee)
                .thenCompose(v -> run("DELETE FROM " + MEMBERS + " WHERE role = ? AND member = ?", role, revokee))
                .thenApply(r -> null);
    }

    CompletionStage<Map<DataResource, Set<Permission>>> permissions(String role) {
        return run("SELECT resource, permissions FROM " + PERMISSIONS + " WHERE role = ?", role)
                .thenApply(r -> {
                    Map<DataResource, Set<Permission>> out = new LinkedHashMap<>();
                    for (Map<String, Object> row : r.rows()) {
                        DataResource resource = DataResource.fromName((String) row.get("resource"));
                        if (resource != null) out.put(resource, permissionSet(row.get("permissions")));
                    }
                    return out;
                });
    }

    /** Every grant: role -> resource -> permissions. */
    CompletionStage<Map<String, Map<DataResource, Set<Permission>>>> allPermissions() {
        return run("SELECT role, resource, permissions FROM " + PERMISSIONS).thenApply(r -> {
            Map<String, Map<DataResource, Set<Permission>>> out = new LinkedHashMap<>();
            for (Map<String, Object> row : r.rows()) {
                DataResource resource = DataResource.fromName((String) row.get("resource"));
                if (resource == null) continue;
                out.computeIfAbsent((String) row.get("role"), k -> new LinkedHashMap<>())
                        .put(resource, permissionSet(row.get("permissions")));
            }
            return out;
        });
    }

    CompletionStage<Void> grant(String role, DataResource resource, Set<Permission> permissions) {
        return run("UPDATE " + PERMISSIONS + " SET permissions = permissions + ? WHERE role = ? AND resource = ?",
                names(permissions), role, resource.name()).thenApply(r -> null);
    }

    CompletionStage<Void> revoke(String role, DataResource resource, Set<Permission> permissions) {
        return run("UPDATE " + PERMISSIONS + " SET permissions = permissions - ? WHERE role = ? AND resource = ?",
                names(permissions), role, resource.name()).thenApply(r -> null);
    }

    /** Removes every grant on {@code resource} and on anything under it (a dropped keyspace's tables), of every role. */
    CompletionStage<Integer> revokeAllOn(DataResource resource) {
        return allPermissions().thenCompose(all -> {
            CompletionStage<Integer> chain = CompletableFuture.completedFuture(0);
            for (var byRole : all.entrySet()) {
                for (DataResource granted : byRole.getValue().keySet()) {
                    if (!within(granted, resource)) continue;
                    chain = chain.thenCompose(n -> run("DELETE FROM " + PERMISSIONS + " WHERE role = ? AND resource = ?",
                            byRole.getKey(), granted.name()).thenApply(r -> n + 1));
                }
            }
            return chain;
        });
    }

    private static boolean within(DataResource r, DataResource ancestor) {
        for (DataResource p = r; p != null; p = p.parent()) if (p.equals(ancestor)) return true;
        return false;
    }

    private static List<String> names(Set<Permission> permissions) {
        return permissions.stream().map(Enum::name).toList();
    }

    private static Set<Permission> permissionSet(Object value) {
        Set<Permission> out = EnumSet.noneOf(Permission.class);
        if (value instanceof Collection<?> c) {
            for (Object o : c) {
                Permission p = o == null ? null : Permission.parse(o.toString());
                if (p != null) out.add(p);
            }
        }
        return out;
    }

    private static RoleRecord record(Map<String, Object> row) {
        Set<String> memberOf = new LinkedHashSet<>();
        if (row.get("member_of") instanceof Collection<?> c) {
            for (Object o : c) memberOf.add(o.toString());
        }
        return new RoleRecord((String) row.get("role"), Boolean.TRUE.equals(row.get("is_superuser")),
                Boolean.TRUE.equals(row.get("can_login")), (String) row.get(AuthSchema.SALTED_HASH), memberOf);
    }
}
