package io.sibyl.app.cql.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.cql.parse.CqlParser;
import io.sibyl.app.errors.UnauthorizedException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The permission model without a node: resources and their hierarchy, grants, hashing, throttling, statement permissions. */
class PermissionModelTest {

    @Test
    void resourcesNameAndNestAsCassandras() {
        DataResource t = DataResource.table("ks", "t");
        assertEquals("data/ks/t", t.name());
        assertEquals(DataResource.keyspace("ks"), t.parent());
        assertEquals(DataResource.ROOT, t.parent().parent());
        assertNull(DataResource.ROOT.parent());
        for (DataResource r : List.of(DataResource.ROOT, DataResource.keyspace("ks"), t)) {
            assertEquals(r, DataResource.fromName(r.name()));
        }
        assertNull(DataResource.fromName("roles/x"));
        assertNull(DataResource.fromName("data//t"));
        assertNull(DataResource.fromName("data/a/b/c"));
    }

    @Test
    void grantsOnAParentCoverTheChildAndNothingElse() {
        Auth.Grants g = new Auth.Grants(false, true, Set.of("alice", "reader"), Map.of(
                DataResource.keyspace("ks"), EnumSet.of(Permission.SELECT),
                DataResource.table("ks", "t"), EnumSet.of(Permission.MODIFY)));
        assertEquals(EnumSet.of(Permission.SELECT, Permission.MODIFY), g.on(DataResource.table("ks", "t")));
        assertEquals(EnumSet.of(Permission.SELECT), g.on(DataResource.table("ks", "u")));
        assertTrue(g.on(DataResource.table("other", "t")).isEmpty());
        assertTrue(g.on(DataResource.ROOT).isEmpty());
    }

    @Test
    void bcryptHashesVerifyAndAreSalted() {
        PasswordHasher h = new PasswordHasher(4);
        String a = h.hash("secret");
        assertTrue(a.startsWith("$2a$04$"), a);
        assertNotEquals(a, h.hash("secret"));
        assertTrue(h.matches("secret", a));
        assertFalse(h.matches("Secret", a));
        assertFalse(h.matches("secret", "not a hash"));
        assertFalse(h.matches("secret", null));
        assertTrue(h.matches("x".repeat(100), h.hash("x".repeat(100))));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(3));
    }

    @Test
    void throttleBlocksAnAddressPastTheLimitForAMinute() {
        AtomicLong now = new AtomicLong();
        LoginThrottle t = new LoginThrottle(3, now::get);
        for (int i = 0; i < 3; i++) {
            assertFalse(t.blocked("1.2.3.4"));
            t.failed("1.2.3.4");
        }
        assertTrue(t.blocked("1.2.3.4"));
        assertFalse(t.blocked("5.6.7.8"));
        now.addAndGet(61_000_000_000L);
        assertFalse(t.blocked("1.2.3.4"));
    }

    @Test
    void expiringCacheReloadsAfterValidityAndForgetsFailures() {
        AtomicLong now = new AtomicLong();
        ExpiringCache<String, Integer> c = new ExpiringCache<>(java.time.Duration.ofSeconds(1), 10, now::get);
        AtomicLong loads = new AtomicLong();
        java.util.function.Function<String, java.util.concurrent.CompletionStage<Integer>> loader =
                k -> java.util.concurrent.CompletableFuture.completedFuture((int) loads.incrementAndGet());
        assertEquals(1, c.get("k", loader).toCompletableFuture().join());
        assertEquals(1, c.get("k", loader).toCompletableFuture().join());
        now.addAndGet(1_000_000_001L);
        assertEquals(2, c.get("k", loader).toCompletableFuture().join());
        c.get("f", k -> java.util.concurrent.CompletableFuture.failedFuture(new RuntimeException("x")));
        assertEquals(3, c.get("f", loader).toCompletableFuture().join());
    }

    @Test
    void statementsNeedCassandrasPermissions() {
        assertEquals(List.of(new StatementPermissions.Needed(Permission.SELECT, DataResource.table("ks", "t"))),
                StatementPermissions.of(CqlParser.parse("SELECT * FROM t"), "ks"));
        assertEquals(List.of(new StatementPermissions.Needed(Permission.MODIFY, DataResource.table("ks", "t")),
                        new StatementPermissions.Needed(Permission.MODIFY, DataResource.table("o", "u"))),
                StatementPermissions.of(CqlParser.parse(
                        "BEGIN BATCH INSERT INTO ks.t (k) VALUES (1); DELETE FROM o.u WHERE k = 1; APPLY BATCH"), null));
        assertEquals(List.of(new StatementPermissions.Needed(Permission.CREATE, DataResource.ROOT)),
                StatementPermissions.of(CqlParser.parse("CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"), null));
        assertEquals(List.of(new StatementPermissions.Needed(Permission.CREATE, DataResource.keyspace("ks"))),
                StatementPermissions.of(CqlParser.parse("CREATE TABLE ks.t (k int PRIMARY KEY)"), null));
        assertEquals(List.of(new StatementPermissions.Needed(Permission.DROP, DataResource.table("ks", "t"))),
                StatementPermissions.of(CqlParser.parse("DROP TABLE ks.t"), null));
        assertEquals(List.of(new StatementPermissions.Needed(Permission.MODIFY, DataResource.table("ks", "t"))),
                StatementPermissions.of(CqlParser.parse("TRUNCATE ks.t"), null));
        assertThrows(UnauthorizedException.class, () -> StatementPermissions.of(
                CqlParser.parse("SELECT * FROM system_auth.roles"), null));
        assertThrows(UnauthorizedException.class, () -> StatementPermissions.of(
                CqlParser.parse("SELECT role, writetime(salted_hash) FROM system_auth.roles"), null));
        assertThrows(UnauthorizedException.class, () -> StatementPermissions.of(
                CqlParser.parse("UPDATE roles SET is_superuser = true WHERE role = 'x'"), "system_auth"));
        assertThrows(UnauthorizedException.class, () -> StatementPermissions.of(
                CqlParser.parse("DROP KEYSPACE system_auth"), null));
    }
}
