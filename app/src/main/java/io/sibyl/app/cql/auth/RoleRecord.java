package io.sibyl.app.cql.auth;

import java.util.Set;

/**
 * One row of {@code system_auth.roles}. {@code saltedHash} is the bcrypt hash (null: the role has no
 * password and cannot log in with one); it stays inside the auth package and is never rendered.
 */
public record RoleRecord(String name, boolean superuser, boolean canLogin, String saltedHash, Set<String> memberOf) {
    public RoleRecord {
        memberOf = memberOf == null ? Set.of() : Set.copyOf(memberOf);
    }

    @Override
    public String toString() {
        return "RoleRecord[" + name + ", superuser=" + superuser + ", login=" + canLogin + ", member_of=" + memberOf + "]";
    }
}
