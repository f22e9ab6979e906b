package io.sibyl.app.cql.parse;

import io.sibyl.app.cql.ast.RoleStatement;
import io.sibyl.app.cql.ast.RoleStatement.Resource;
import io.sibyl.app.cql.ast.RoleStatement.RoleOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CREATE/ALTER/DROP ROLE, GRANT, REVOKE and LIST (roles and permissions). The leading keyword
 * (CREATE, ALTER, DROP, GRANT, REVOKE, LIST) is consumed by {@link CqlParser}. USER is accepted for ROLE.
 */
final class RoleParser {
    private static final Set<String> PERMISSIONS = Set.of("CREATE", "ALTER", "DROP", "SELECT", "MODIFY", "AUTHORIZE",
            "DESCRIBE", "ALL");

    private final TokenCursor cur;

    RoleParser(TokenCursor cur) {
        this.cur = cur;
    }

    /** Whether the current token starts a role object (ROLE or USER), i.e. after CREATE/ALTER/DROP. */
    static boolean isRoleKeyword(Token t) {
        return t.isKeyword("ROLE") || t.isKeyword("USER");
    }

    RoleStatement create() {
        cur.next(); // ROLE | USER
        boolean ifNotExists = false;
        if (cur.acceptKeyword("IF")) {
            cur.expectKeyword("NOT");
            cur.expectKeyword("EXISTS");
            ifNotExists = true;
        }
        String role = roleName();
        return new RoleStatement.CreateRole(role, ifNotExists, options());
    }

    RoleStatement alter() {
        cur.next();
        String role = roleName();
        RoleOptions options = options();
        if (options.isEmpty()) throw cur.mismatched("WITH");
        return new RoleStatement.AlterRole(role, options);
    }

    RoleStatement drop() {
        cur.next();
        boolean ifExists = false;
        if (cur.acceptKeyword("IF")) {
            cur.expectKeyword("EXISTS");
            ifExists = true;
        }
        return new RoleStatement.DropRole(roleName(), ifExists);
    }

    RoleStatement grant() {
        if (startsPermissions()) {
            List<String> perms = permissions();
            cur.expectKeyword("ON");
            Resource resource = resource();
            cur.expectKeyword("TO");
            return new RoleStatement.GrantPermissions(perms, resource, roleName());
        }
        String role = roleName();
        cur.expectKeyword("TO");
        return new RoleStatement.GrantRole(role, roleName());
    }

    RoleStatement revoke() {
        if (startsPermissions()) {
            List<String> perms = permissions();
            cur.expectKeyword("ON");
            Resource resource = resource();
            cur.expectKeyword("FROM");
            return new RoleStatement.RevokePermissions(perms, resource, roleName());
        }
        String role = roleName();
        cur.expectKeyword("FROM");
        return new RoleStatement.RevokeRole(role, roleName());
    }

    RoleStatement list() {
        if (cur.acceptKeyword("ROLES") || cur.acceptKeyword("USERS")) {
            String of = cur.acceptKeyword("OF") ? roleName() : null;
            return new RoleStatement.ListRoles(of, cur.acceptKeyword("NORECURSIVE"));
        }
        if (!startsPermissions()) throw cur.mismatched("ROLES, ALL or a permission");
        List<String> perms = permissions();
        Resource resource = cur.acceptKeyword("ON") ? resource() : null;
        String of = cur.acceptKeyword("OF") ? roleName() : null;
        return new RoleStatement.ListPermissions(perms, resource, of, cur.acceptKeyword("NORECURSIVE"));
    }

    /** A permission name followed by ON, PERMISSION(S), a comma, OF, or the end (LIST) starts a permission list. */
    private boolean startsPermissions() {
        Token t = cur.peek();
        if (t.type() != TokenType.IDENT || !PERMISSIONS.contains(t.text().toUpperCase(Locale.ROOT))) return false;
        Token after = cur.peek(1);
        return after.isKeyword("ON") || after.isKeyword("PERMISSION") || after.isKeyword("PERMISSIONS")
                || after.type() == TokenType.COMMA || after.isKeyword("OF") || after.isKeyword("NORECURSIVE")
                || after.type() == TokenType.EOF || after.type() == TokenType.SEMICOLON;
    }

    private List<String> permissions() {
        List<String> out = new ArrayList<>();
        do {
            Token t = cur.next();
            String name = t.text().toUpperCase(Locale.ROOT);
            if (t.type() != TokenType.IDENT || !PERMISSIONS.contains(name)) {
                throw cur.error(t, "unknown permission " + t.source());
            }
            out.add(name);
        } while (cur.accept(TokenType.COMMA));
        if (!cur.acceptKeyword("PERMISSIONS")) cur.acceptKeyword("PERMISSION");
        if (out.contains("ALL") && out.size() > 1) throw cur.error(cur.peek(), "ALL cannot be listed with other permissions");
        return out;
    }

    private Resource resource() {
        if (cur.acceptKeyword("ALL")) {
            cur.expectKeyword("KEYSPACES");
            return Resource.ALL_KEYSPACES;
        }
        if (cur.acceptKeyword("KEYSPACE")) {
            return new Resource(cur.identifier(), null, false);
        }
        cur.acceptKeyword("TABLE");
        var name = cur.qualifiedName();
        return new Resource(name.keyspace(), name.name(), false);
    }

    /** A role name: an identifier (lower-cased unless quoted) or a string literal (kept as written). */
    private String roleName() {
        Token t = cur.peek();
        if (t.type() == TokenType.STRING) {
            cur.next();
            return t.text();
        }
        return cur.identifier();
    }

    private RoleOptions options() {
        if (!cur.acceptKeyword("WITH")) return RoleOptions.NONE;
        String password = null;
        Boolean login = null;
        Boolean superuser = null;
        do {
            Token option = cur.next();
            String name = option.text().toUpperCase(Locale.ROOT);
            if (!cur.accept(TokenType.EQ)) throw cur.error(option, "expecting '=' after " + option.source());
            switch (option.type() == TokenType.IDENT ? name : "") {
                case "PASSWORD" -> {
                    Token value = cur.next();
                    // The value is never echoed in an error: it may be a password.
                    if (value.type() != TokenType.STRING) throw cur.error(option, "PASSWORD takes a string literal");
                    password = value.text();
                }
                case "LOGIN" -> login = bool(option);
                case "SUPERUSER" -> superuser = bool(option);
                default -> throw cur.error(option, "unknown role option " + option.source()
                        + " (PASSWORD, LOGIN, SUPERUSER)");
            }
        } while (cur.acceptKeyword("AND"));
        return new RoleOptions(password, login, superuser);
    }

    private boolean bool(Token option) {
        Token v = cur.next();
        if (v.isKeyword("true")) return true;
        if (v.isKeyword("false")) return false;
        throw cur.error(option, option.text().toUpperCase(Locale.ROOT) + " takes true or false");
    }
}
