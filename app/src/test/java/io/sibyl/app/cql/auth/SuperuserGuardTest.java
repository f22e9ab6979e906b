package io.sibyl.app.cql.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuperuserGuardTest {
    private static RoleRecord role(String name, boolean superuser, boolean login, String... memberOf) {
        return new RoleRecord(name, superuser, login, null, Set.of(memberOf));
    }

    private static final List<RoleRecord> ROLES = List.of(
            role("sibyl", true, true),
            role("admins", true, false),           // superuser, but nobody logs in as it
            role("erin", false, true, "admins"),   // a superuser through admins
            role("nested", false, true, "middle"),
            role("middle", false, false, "admins"),
            role("plain", false, true));

    @Test
    void ownAndInheritedSuperusersThatCanLogIn() {
        assertEquals(Set.of("sibyl", "erin", "nested"), SuperuserGuard.loginSuperusers(ROLES));
    }

    @Test
    void eachKindOfChangeIsModelled() {
        assertEquals(Set.of("erin", "nested"), SuperuserGuard.loginSuperusers(SuperuserGuard.afterDrop(ROLES, "sibyl")));
        assertEquals(Set.of("sibyl"), SuperuserGuard.loginSuperusers(SuperuserGuard.afterDrop(ROLES, "admins")));
        assertEquals(Set.of("sibyl", "erin"), SuperuserGuard.loginSuperusers(SuperuserGuard.afterDrop(ROLES, "middle")));
        assertEquals(Set.of("erin", "nested"),
                SuperuserGuard.loginSuperusers(SuperuserGuard.afterAlter(ROLES, "sibyl", false, null)));
        assertEquals(Set.of("erin", "nested"),
                SuperuserGuard.loginSuperusers(SuperuserGuard.afterAlter(ROLES, "sibyl", null, false)));
        assertEquals(Set.of("sibyl"), SuperuserGuard.loginSuperusers(SuperuserGuard.afterAlter(ROLES, "admins", false, null)));
        assertEquals(Set.of("sibyl", "nested"),
                SuperuserGuard.loginSuperusers(SuperuserGuard.afterRevoke(ROLES, "admins", "erin")));
        assertEquals(Set.of("sibyl", "erin", "nested", "plain"),
                SuperuserGuard.loginSuperusers(SuperuserGuard.afterAlter(ROLES, "plain", true, null)));
    }

    @Test
    void cyclesInMembershipDoNotLoop() {
        List<RoleRecord> cycle = List.of(role("a", false, true, "b"), role("b", false, false, "a"));
        assertEquals(Set.of(), SuperuserGuard.loginSuperusers(cycle));
    }
}
