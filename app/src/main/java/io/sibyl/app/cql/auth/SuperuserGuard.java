package io.sibyl.app.cql.auth;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Keeps someone able to manage roles: a role statement must not leave the cluster without a role that can
 * log in and is a superuser, itself or through a role granted to it (as {@link Auth} resolves it). With no
 * such role nobody could create, alter or grant roles again, short of editing system_auth by hand. The
 * changes that can do this — DROP ROLE, ALTER ROLE ... SUPERUSER = false or LOGIN = false, REVOKE role FROM
 * role — are checked by applying them to the current roles and looking at the result.
 */
final class SuperuserGuard {
    private SuperuserGuard() {
    }

    /** The roles that can log in and are superusers (own status or inherited), sorted by nothing in particular. */
    static Set<String> loginSuperusers(Collection<RoleRecord> roles) {
        Map<String, RoleRecord> byName = roles.stream().collect(Collectors.toMap(RoleRecord::name, Function.identity(), (a, b) -> a));
        Set<String> out = new LinkedHashSet<>();
        for (RoleRecord r : roles) {
            if (r.canLogin() && superuser(r, byName)) out.add(r.name());
        }
        return out;
    }

    private static boolean superuser(RoleRecord start, Map<String, RoleRecord> byName) {
        Set<String> seen = new HashSet<>();
        Deque<RoleRecord> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            RoleRecord r = todo.poll();
            if (!seen.add(r.name())) continue;
            if (r.superuser()) return true;
            for (String parent : r.memberOf()) {
                RoleRecord p = byName.get(parent);
                if (p != null) todo.add(p);
            }
        }
        return false;
    }

    /** The roles after DROP ROLE {@code role}: gone, and gone from every role's member_of. */
    static List<RoleRecord> afterDrop(Collection<RoleRecord> roles, String role) {
        return roles.stream().filter(r -> !r.name().equals(role)).map(r -> withoutParent(r, role)).toList();
    }

    /** The roles after ALTER ROLE {@code role} (null: unchanged). */
    static List<RoleRecord> afterAlter(Collection<RoleRecord> roles, String role, Boolean superuser, Boolean login) {
        return roles.stream().map(r -> !r.name().equals(role) ? r : new RoleRecord(r.name(),
                superuser != null ? superuser : r.superuser(), login != null ? login : r.canLogin(), r.saltedHash(),
                r.memberOf())).toList();
    }

    /** The roles after REVOKE {@code role} FROM {@code revokee}. */
    static List<RoleRecord> afterRevoke(Collection<RoleRecord> roles, String role, String revokee) {
        return roles.stream().map(r -> r.name().equals(revokee) ? withoutParent(r, role) : r).toList();
    }

    private static RoleRecord withoutParent(RoleRecord r, String parent) {
        if (!r.memberOf().contains(parent)) return r;
        Set<String> memberOf = new LinkedHashSet<>(r.memberOf());
        memberOf.remove(parent);
        return new RoleRecord(r.name(), r.superuser(), r.canLogin(), r.saltedHash(), memberOf);
    }
}
