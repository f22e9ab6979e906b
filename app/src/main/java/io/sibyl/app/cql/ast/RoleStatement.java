package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The role and permission statements (Cassandra's): CREATE/ALTER/DROP ROLE, GRANT/REVOKE a role,
 * GRANT/REVOKE permissions, LIST ROLES, LIST PERMISSIONS. toCql never prints a password.
 */
public sealed interface RoleStatement extends Statement {

    /** {@code WITH PASSWORD = '..' AND LOGIN = b AND SUPERUSER = b}; null: not given. */
    record RoleOptions(String password, Boolean login, Boolean superuser) {
        public static final RoleOptions NONE = new RoleOptions(null, null, null);

        public boolean isEmpty() {
            return password == null && login == null && superuser == null;
        }

        String toCql() {
            List<String> parts = new java.util.ArrayList<>();
            if (password != null) parts.add("PASSWORD = '***'");
            if (login != null) parts.add("LOGIN = " + login);
            if (superuser != null) parts.add("SUPERUSER = " + superuser);
            return parts.isEmpty() ? "" : " WITH " + String.join(" AND ", parts);
        }
    }

    /** {@code ALL KEYSPACES} (keyspace null), {@code KEYSPACE ks} (table null) or {@code TABLE [ks.]t} (keyspace may be null: the request's). */
    record Resource(String keyspace, String table, boolean allKeyspaces) {
        public static final Resource ALL_KEYSPACES = new Resource(null, null, true);

        String toCql() {
            if (allKeyspaces) return "ALL KEYSPACES";
            if (table == null) return "KEYSPACE " + keyspace;
            return "TABLE " + (keyspace == null ? "" : keyspace + ".") + table;
        }
    }

    record CreateRole(String role, boolean ifNotExists, RoleOptions options) implements RoleStatement {
        public String toCql() {
            return "CREATE ROLE " + (ifNotExists ? "IF NOT EXISTS " : "") + r(role) + options.toCql();
        }
    }

    record AlterRole(String role, RoleOptions options) implements RoleStatement {
        public String toCql() {
            return "ALTER ROLE " + r(role) + options.toCql();
        }
    }

    record DropRole(String role, boolean ifExists) implements RoleStatement {
        public String toCql() {
            return "DROP ROLE " + (ifExists ? "IF EXISTS " : "") + r(role);
        }
    }

    record GrantRole(String role, String grantee) implements RoleStatement {
        public String toCql() {
            return "GRANT " + r(role) + " TO " + r(grantee);
        }
    }

    record RevokeRole(String role, String revokee) implements RoleStatement {
        public String toCql() {
            return "REVOKE " + r(role) + " FROM " + r(revokee);
        }
    }

    /** {@code LIST ROLES [OF r] [NORECURSIVE]}. */
    record ListRoles(String of, boolean norecursive) implements RoleStatement {
        public String toCql() {
            return "LIST ROLES" + (of == null ? "" : " OF " + r(of)) + (norecursive ? " NORECURSIVE" : "");
        }
    }

    /** permissions: upper-case names, or {@code ["ALL"]}. */
    record GrantPermissions(List<String> permissions, Resource resource, String grantee) implements RoleStatement {
        public String toCql() {
            return "GRANT " + names(permissions) + " ON " + resource.toCql() + " TO " + r(grantee);
        }
    }

    record RevokePermissions(List<String> permissions, Resource resource, String revokee) implements RoleStatement {
        public String toCql() {
            return "REVOKE " + names(permissions) + " ON " + resource.toCql() + " FROM " + r(revokee);
        }
    }

    /** {@code LIST ALL|perm [PERMISSIONS] [ON resource] [OF role] [NORECURSIVE]}; resource and of may be null. */
    record ListPermissions(List<String> permissions, Resource resource, String of, boolean norecursive) implements RoleStatement {
        public String toCql() {
            return "LIST " + names(permissions) + (resource == null ? "" : " ON " + resource.toCql())
                    + (of == null ? "" : " OF " + r(of)) + (norecursive ? " NORECURSIVE" : "");
        }
    }

    /** A role name as CQL reads it back: bare if lower-case, else a string literal. */
    private static String r(String role) {
        return role.matches("[a-z][a-z0-9_]*") ? role : "'" + role.replace("'", "''") + "'";
    }

    private static String names(List<String> permissions) {
        String s = permissions.stream().map(p -> p.toUpperCase(Locale.ROOT)).collect(Collectors.joining(", "));
        return s.equals("ALL") ? "ALL PERMISSIONS" : s;
    }
}
