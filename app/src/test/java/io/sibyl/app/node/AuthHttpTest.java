package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node with PasswordAuthenticator and CassandraAuthorizer: the generated first superuser, 401 and
 * 403 on each route family, role and permission statements with inheritance and revocation, their error
 * codes, system_auth's protection, and the native protocol's SASL PLAIN login with the Java driver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;

    private SibylNode node;
    private int cqlPort;
    private String superPassword;

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String code() {
            return body.path("error").path("code").asText();
        }
    }

    @BeforeAll
    void start() throws Exception {
        cqlPort = TestNodes.freePort();
        node = TestNodes.start(dataDir, TestNodes.passwordAuth(Map.of("sibyl.cql.port", cqlPort,
                "sibyl.auth.cache_validity", "0s")));
        superPassword = TestNodes.initialSuperuserPassword(dataDir);
        Path file = dataDir.resolve("initial-superuser-password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(superPassword.length() >= 16);
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) node.stop().get();
    }

    private Answer send(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().startsWith("{") ? JSON.readTree(r.body()) : JSON.createObjectNode(), r);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String su() {
        return basic("sibyl", superPassword);
    }

    private Answer cql(String auth, String query) throws Exception {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("query", query);
        return send("POST", "/v1/cql", JSON.writeValueAsString(req), auth);
    }

    private void ok(Answer a) {
        assertEquals(200, a.status(), a.body().toString());
    }

    private void forbidden(Answer a) {
        assertEquals(403, a.status(), a.body().toString());
        assertEquals("UNAUTHORIZED", a.code());
    }

    private void invalid(Answer a) {
        assertEquals(400, a.status(), a.body().toString());
        assertEquals("INVALID", a.code());
    }

    @Test
    void openRoutesAndMissingOrWrongCredentials() throws Exception {
        assertEquals(200, send("GET", "/health", null, null).status());
        assertEquals(200, send("GET", "/ready", null, null).status());
        assertEquals(200, send("GET", "/metrics", null, null).status());
        for (String[] route : new String[][] {{"POST", "/v1/cql"}, {"GET", "/v1/keyspaces"}, {"GET", "/v1/cluster"},
                {"POST", "/v1/admin/flush"}, {"GET", "/v1/keyspaces/ks/tables/t/rows/a"}, {"GET", "/nope"}}) {
            Answer a = send(route[0], route[1], route[0].equals("POST") ? "{}" : null, null);
            assertEquals(401, a.status(), route[1]);
            assertEquals("UNAUTHORIZED", a.code());
            assertEquals("Basic realm=\"sibyl\"", a.raw().headers().firstValue("WWW-Authenticate").orElse(""));
        }
        // a member's metrics through this node (the dashboard's totals) need a superuser here, as /v1/cluster does
        String self = send("GET", "/v1/cluster", null, su()).body().path("node").asText();
        assertEquals(401, send("GET", "/v1/cluster/nodes/" + self + "/metrics", null, null).status());
        Answer peer = send("GET", "/v1/cluster/nodes/" + self + "/metrics", null, su());
        assertEquals(200, peer.status());
        assertTrue(peer.raw().body().contains("sibyl_coordinator_requests_seconds_bucket"), peer.raw().body());
        Answer wrong = cql(basic("sibyl", "wrong"), "SELECT role FROM system_auth.roles");
        Answer unknown = cql(basic("nobody", "wrong"), "SELECT role FROM system_auth.roles");
        assertEquals(401, wrong.status());
        assertEquals(401, unknown.status());
        assertEquals(wrong.body().toString(), unknown.body().toString(), "an unknown role reads like a wrong password");
        for (String header : new String[] {"Basic", "Basic !!!", "Bearer abc", "Basic " + Base64.getEncoder()
                .encodeToString("nocolon".getBytes()), "Basic Og==", ""}) {
            assertEquals(401, send("GET", "/v1/keyspaces", null, header).status(), header);
        }
        ok(send("GET", "/v1/cluster", null, su()));
    }

    @Test
    void permissionsAreCheckedPerStatementAndRouteAndInherited() throws Exception {
        ok(cql(su(), "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        ok(cql(su(), "CREATE TABLE IF NOT EXISTS ks.t (k text PRIMARY KEY, v int)"));
        ok(cql(su(), "CREATE ROLE alice WITH PASSWORD = 'pw-alice' AND LOGIN = true"));
        invalid(cql(su(), "CREATE ROLE alice WITH PASSWORD = 'x' AND LOGIN = true"));
        ok(cql(su(), "CREATE ROLE IF NOT EXISTS alice"));
        String alice = basic("alice", "pw-alice");

        forbidden(cql(alice, "SELECT * FROM ks.t"));
        forbidden(cql(alice, "INSERT INTO ks.t (k, v) VALUES ('a', 1)"));
        forbidden(cql(alice, "CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        forbidden(cql(alice, "DROP TABLE ks.t"));
        forbidden(send("GET", "/v1/keyspaces/ks/tables/t/rows/a", null, alice));
        forbidden(send("PUT", "/v1/keyspaces/ks/tables/t/rows", "{\"k\": \"a\", \"v\": 1}", alice));
        forbidden(send("GET", "/v1/keyspaces", null, alice));
        forbidden(send("GET", "/v1/cluster", null, alice));
        forbidden(send("POST", "/v1/admin/flush", "{}", alice));
        forbidden(cql(alice, "CREATE ROLE bob"));
        forbidden(cql(alice, "DROP ROLE nobody")); // refused before the role is looked up: no existence leak

        ok(cql(su(), "GRANT SELECT ON TABLE ks.t TO alice"));
        ok(cql(alice, "SELECT * FROM ks.t"));
        ok(send("GET", "/v1/keyspaces/ks/tables/t/rows/a", null, alice));
        forbidden(cql(alice, "INSERT INTO ks.t (k, v) VALUES ('a', 1)"));

        ok(cql(su(), "CREATE ROLE writer"));
        ok(cql(su(), "GRANT MODIFY ON KEYSPACE ks TO writer"));
        ok(cql(su(), "GRANT writer TO alice"));
        ok(cql(alice, "INSERT INTO ks.t (k, v) VALUES ('a', 1)"));
        ok(send("PUT", "/v1/keyspaces/ks/tables/t/rows", "{\"k\": \"b\", \"v\": 2}", alice));
        Answer perms = cql(su(), "LIST ALL PERMISSIONS OF alice");
        ok(perms);
        assertTrue(perms.body().toString().contains("<table ks.t>"), perms.body().toString());
        assertTrue(perms.body().toString().contains("<keyspace ks>"), perms.body().toString());
        Answer roles = cql(su(), "LIST ROLES");
        assertTrue(roles.body().toString().contains("\"alice\""), roles.body().toString());
        assertFalse(roles.body().toString().contains("$2a$"), "no hash in LIST ROLES");

        ok(cql(su(), "REVOKE writer FROM alice"));
        forbidden(cql(alice, "INSERT INTO ks.t (k, v) VALUES ('a', 2)"));
        ok(cql(su(), "REVOKE SELECT ON TABLE ks.t FROM alice"));
        forbidden(cql(alice, "SELECT * FROM ks.t"));

        // a role changes its own password, nothing else
        ok(cql(alice, "ALTER ROLE alice WITH PASSWORD = 'pw2'"));
        assertEquals(401, cql(alice, "SELECT * FROM ks.t").status());
        forbidden(cql(basic("alice", "pw2"), "ALTER ROLE alice WITH SUPERUSER = true"));
    }

    @Test
    void roleStatementErrorsAndSystemAuthProtection() throws Exception {
        ok(cql(su(), "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        ok(cql(su(), "CREATE ROLE IF NOT EXISTS carol WITH LOGIN = false"));
        invalid(cql(su(), "GRANT SELECT ON TABLE ks.missing TO carol"));
        invalid(cql(su(), "GRANT SELECT ON KEYSPACE nope TO carol"));
        invalid(cql(su(), "GRANT SELECT ON ALL KEYSPACES TO nobody"));
        invalid(cql(su(), "GRANT nobody TO carol"));
        invalid(cql(su(), "DROP ROLE sibyl"));              // dropping the role one is logged in as
        invalid(cql(su(), "DROP ROLE nobody"));
        ok(cql(su(), "DROP ROLE IF EXISTS nobody"));
        forbidden(cql(su(), "ALTER ROLE sibyl WITH SUPERUSER = false"));
        assertEquals("SYNTAX_ERROR", cql(su(), "CREATE ROLE x WITH PASSWORD 'secret-value'").code());
        assertFalse(cql(su(), "CREATE ROLE x WITH PASSWORD 'secret-value'").body().toString().contains("secret-value"));

        forbidden(cql(su(), "SELECT * FROM system_auth.roles"));
        forbidden(cql(su(), "SELECT role, salted_hash FROM system_auth.roles"));
        forbidden(cql(su(), "INSERT INTO system_auth.roles (role, is_superuser) VALUES ('evil', true)"));
        forbidden(cql(su(), "DROP KEYSPACE system_auth"));
        Answer names = cql(su(), "SELECT role, is_superuser FROM system_auth.roles");
        ok(names);
        assertTrue(names.body().toString().contains("sibyl"));
        // a role without LOGIN cannot log in, and that reads like a wrong password
        assertEquals(401, cql(basic("carol", ""), "SELECT role FROM system_auth.roles").status());
    }

    @Test
    void theLastSuperuserThatCanLogInCannotBeRemoved() throws Exception {
        ok(cql(su(), "CREATE ROLE IF NOT EXISTS boss WITH PASSWORD = 'pw-boss' AND LOGIN = true AND SUPERUSER = true"));
        ok(cql(su(), "CREATE ROLE IF NOT EXISTS admins WITH SUPERUSER = true")); // a superuser no one logs in as
        ok(cql(su(), "CREATE ROLE IF NOT EXISTS erin WITH PASSWORD = 'pw-erin' AND LOGIN = true"));
        String boss = basic("boss", "pw-boss");
        String erin = basic("erin", "pw-erin");
        // Cassandra's own rules: not one's own role, not one's own superuser status
        invalid(cql(boss, "DROP ROLE boss"));
        forbidden(cql(boss, "ALTER ROLE boss WITH SUPERUSER = false"));

        // sibyl without LOGIN leaves boss; then boss is the last one that can log in
        ok(cql(boss, "ALTER ROLE sibyl WITH LOGIN = false"));
        Answer last = cql(boss, "ALTER ROLE boss WITH LOGIN = false");
        invalid(last);
        assertTrue(last.body().toString().contains("no superuser that can log in"), last.body().toString());
        ok(cql(boss, "ALTER ROLE sibyl WITH LOGIN = true"));

        // superuser status through a granted role counts; removing it any way is refused while erin is the last
        ok(cql(su(), "GRANT admins TO erin"));
        ok(cql(erin, "ALTER ROLE boss WITH SUPERUSER = false"));
        ok(cql(erin, "ALTER ROLE sibyl WITH LOGIN = false"));
        invalid(cql(erin, "REVOKE admins FROM erin"));
        invalid(cql(erin, "DROP ROLE admins"));
        invalid(cql(erin, "ALTER ROLE admins WITH SUPERUSER = false"));
        invalid(cql(erin, "ALTER ROLE erin WITH LOGIN = false"));
        ok(cql(erin, "LIST ROLES")); // nothing was changed: erin is still a superuser
        ok(cql(erin, "ALTER ROLE sibyl WITH LOGIN = true"));
        // with sibyl back, the same statements pass
        ok(cql(su(), "REVOKE admins FROM erin"));
        forbidden(cql(erin, "LIST ROLES OF sibyl"));
        ok(cql(su(), "DROP ROLE admins"));
        ok(cql(su(), "DROP ROLE boss"));
        ok(cql(su(), "DROP ROLE erin"));
        invalid(cql(su(), "ALTER ROLE sibyl WITH LOGIN = false")); // the last one left
    }

    @Test
    void droppedKeyspacesTablesAndRolesTakeTheirGrantsWithThem() throws Exception {
        String ksCql = "CREATE KEYSPACE IF NOT EXISTS gone WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}";
        ok(cql(su(), ksCql));
        ok(cql(su(), "CREATE TABLE IF NOT EXISTS gone.t (k text PRIMARY KEY, v int)"));
        ok(cql(su(), "CREATE TABLE IF NOT EXISTS gone.u (k text PRIMARY KEY, v int)"));
        ok(cql(su(), "CREATE ROLE IF NOT EXISTS frank WITH PASSWORD = 'pw-frank' AND LOGIN = true"));
        String frank = basic("frank", "pw-frank");

        // DROP TABLE: the table's grants go, the keyspace's stay
        ok(cql(su(), "GRANT SELECT ON TABLE gone.t TO frank"));
        ok(cql(su(), "GRANT MODIFY ON KEYSPACE gone TO frank"));
        ok(cql(frank, "SELECT * FROM gone.t"));
        ok(cql(su(), "DROP TABLE gone.t"));
        ok(cql(su(), "CREATE TABLE gone.t (k text PRIMARY KEY, v int)"));
        forbidden(cql(frank, "SELECT * FROM gone.t"));
        ok(cql(frank, "INSERT INTO gone.t (k, v) VALUES ('a', 1)"));
        Answer perms = cql(su(), "LIST ALL PERMISSIONS OF frank");
        assertFalse(perms.body().toString().contains("<table gone.t>"), perms.body().toString());

        // DROP KEYSPACE: its grants and its tables' go
        ok(cql(su(), "GRANT SELECT ON TABLE gone.u TO frank"));
        ok(cql(su(), "DROP KEYSPACE gone"));
        perms = cql(su(), "LIST ALL PERMISSIONS OF frank");
        ok(perms);
        assertFalse(perms.body().toString().contains("gone"), perms.body().toString());
        ok(cql(su(), ksCql));
        ok(cql(su(), "CREATE TABLE gone.u (k text PRIMARY KEY, v int)"));
        forbidden(cql(frank, "SELECT * FROM gone.u"));
        forbidden(cql(frank, "INSERT INTO gone.u (k, v) VALUES ('a', 1)"));

        // DROP ROLE: its grants and its memberships go; a new role of the same name starts with nothing
        ok(cql(su(), "CREATE ROLE IF NOT EXISTS readers"));
        ok(cql(su(), "GRANT SELECT ON KEYSPACE gone TO readers"));
        ok(cql(su(), "GRANT readers TO frank"));
        ok(cql(su(), "GRANT MODIFY ON TABLE gone.u TO frank"));
        ok(cql(frank, "SELECT * FROM gone.u"));
        ok(cql(su(), "DROP ROLE readers"));
        forbidden(cql(frank, "SELECT * FROM gone.u"));
        Answer roles = cql(su(), "LIST ROLES OF frank");
        assertFalse(roles.body().toString().contains("readers"), roles.body().toString());
        ok(cql(su(), "CREATE ROLE readers"));
        forbidden(cql(frank, "SELECT * FROM gone.u"));
        perms = cql(su(), "LIST ALL PERMISSIONS OF readers");
        ok(perms);
        assertEquals(0, perms.body().path("rows").size(), perms.body().toString());

        ok(cql(su(), "DROP ROLE frank"));
        ok(cql(su(), "CREATE ROLE frank WITH PASSWORD = 'pw-frank' AND LOGIN = true"));
        forbidden(cql(frank, "INSERT INTO gone.u (k, v) VALUES ('a', 1)"));
        perms = cql(su(), "LIST ALL PERMISSIONS");
        assertFalse(perms.body().toString().contains("\"frank\""), perms.body().toString());
        ok(cql(su(), "DROP ROLE frank"));
        ok(cql(su(), "DROP ROLE readers"));
        ok(cql(su(), "DROP KEYSPACE gone"));
    }

    @Test
    void nativeProtocolLogsInWithSaslPlain() throws Exception {
        ok(cql(su(), "CREATE ROLE IF NOT EXISTS dave WITH PASSWORD = 'pw-dave' AND LOGIN = true"));
        try (CqlSession session = connect("sibyl", superPassword)) {
            assertEquals("sibyl", session.execute("SELECT role FROM system_auth.roles WHERE role = 'sibyl'").one().getString(0));
            // LIST ROLES answers rows over the native protocol too (cqlsh prints them)
            java.util.List<String> roles = new java.util.ArrayList<>();
            for (com.datastax.oss.driver.api.core.cql.Row row : session.execute("LIST ROLES")) roles.add(row.getString("role"));
            assertTrue(roles.containsAll(java.util.List.of("sibyl", "dave")), roles.toString());
        }
        try (CqlSession session = connect("dave", "pw-dave")) {
            assertThrows(UnauthorizedException.class, () -> session.execute(
                    "CREATE KEYSPACE k3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        }
        Exception e = assertThrows(Exception.class, () -> connect("dave", "wrong").close());
        assertTrue(hasCause(e, AuthenticationException.class), e.toString());
    }

    private static boolean hasCause(Throwable t, Class<?> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return true;
            for (Throwable s : c.getSuppressed()) if (hasCause(s, type)) return true;
        }
        return t.toString().contains("Authentication error");
    }

    private CqlSession connect(String user, String password) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", cqlPort))
                .withLocalDatacenter("dc1")
                .withAuthCredentials(user, password)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .build())
                .build();
    }
}
