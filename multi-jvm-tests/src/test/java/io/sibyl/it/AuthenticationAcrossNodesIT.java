package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes with PasswordAuthenticator and CassandraAuthorizer, system_auth at RF 3: exactly one first
 * superuser is created, a role created on one node logs in on the others, and a permission revoked on one
 * node is refused on another within the cache validity.
 */
class AuthenticationAcrossNodesIT {
    private static final Duration VALIDITY = Duration.ofSeconds(1);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void rolesReachEveryNodeAndRevocationTakesEffectWithinTheCacheValidity() throws Exception {
        List<NodeProcess> three = Clusters.threeNodes(NodeProcess.workDir("auth"), List.of());
        nodes.addAll(three);
        for (NodeProcess n : three) {
            n.withProperty("sibyl.auth.authenticator", "PasswordAuthenticator")
                    .withProperty("sibyl.auth.authorizer", "CassandraAuthorizer")
                    .withProperty("sibyl.auth.system_auth_rf", "3")
                    .withProperty("sibyl.auth.bcrypt_cost", "4")
                    .withProperty("sibyl.auth.cache_validity", VALIDITY.toMillis() + "ms");
        }
        // one after the other: joining nodes stream system_auth from those already up
        for (NodeProcess n : three) n.start().awaitReady(Duration.ofSeconds(120));

        String password = awaitSuperuserPassword(three);
        SibylClient su1 = SibylClient.of(three.get(0).baseUrl()).as("sibyl", password);
        awaitStatus(su1, 200, "SELECT role FROM system_auth.roles WHERE role = 'sibyl'", Duration.ofSeconds(60));
        assertEquals(401, SibylClient.of(three.get(1).baseUrl()).get("/v1/cluster").status());

        ok(su1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(su1.cql("CREATE TABLE ks.t (k text PRIMARY KEY, v int)"));
        ok(su1.cql("CREATE ROLE app WITH PASSWORD = 'app-pw' AND LOGIN = true"));
        ok(su1.cql("GRANT SELECT ON KEYSPACE ks TO app"));

        SibylClient app2 = SibylClient.of(three.get(1).baseUrl()).as("app", "app-pw");
        SibylClient app3 = SibylClient.of(three.get(2).baseUrl()).as("app", "app-pw");
        awaitStatus(app2, 200, "SELECT * FROM ks.t", Duration.ofSeconds(10));
        awaitStatus(app3, 200, "SELECT * FROM ks.t", Duration.ofSeconds(10));
        assertEquals(403, app3.cql("INSERT INTO ks.t (k, v) VALUES ('a', 1)").status());

        ok(su1.cql("REVOKE SELECT ON KEYSPACE ks FROM app"));
        long t0 = System.nanoTime();
        awaitStatus(app3, 403, "SELECT * FROM ks.t", Duration.ofSeconds(10));
        long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertTrue(took <= VALIDITY.toMillis() + 2000, "revocation reached node 3 after " + took + " ms");

        // one superuser row, whichever node created it
        SibylClient.Answer roles = su1.cql("SELECT role FROM system_auth.roles");
        assertEquals(2, roles.rows().size(), roles.body().toString());
    }

    private static void ok(SibylClient.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
    }

    private static void awaitStatus(SibylClient c, int status, String query, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        SibylClient.Answer last = null;
        while (System.nanoTime() < deadline) {
            last = c.cql(query);
            if (last.status() == status) return;
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + status + " for " + query + ", last " + last);
    }

    /** The generated password, from the data directory of the node that created the superuser. */
    private static String awaitSuperuserPassword(List<NodeProcess> three) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> found = new ArrayList<>();
            for (NodeProcess n : three) {
                Path f = n.dataDir().resolve("initial-superuser-password");
                if (Files.exists(f) && !Files.readString(f).isBlank()) found.add(Files.readString(f).strip());
            }
            if (!found.isEmpty()) {
                assertEquals(1, found.size(), "more than one node created the first superuser");
                return found.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no node created the first superuser:\n" + three.get(0).logTail());
    }
}
