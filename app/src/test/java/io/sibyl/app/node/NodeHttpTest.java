package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.node.NodeClient.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real node on an ephemeral port, driven over HTTP: schema statements, the error model, restart. */
class NodeHttpTest extends NodeTestSupport {

    private SibylNode start() throws Exception {
        node = TestNodes.start(dataDir, Map.of("sibyl.http.max_request_bytes", 4096));
        return node;
    }

    @Test
    void schemaStatementsAndErrorsFollowTheApi() throws Exception {
        start();
        assertEquals(200, send("GET", "/health", null).status());
        assertEquals(200, send("GET", "/ready", null).status());

        Answer created = cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        assertEquals(200, created.status(), created.body().toString());
        Answer again = cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        assertEquals(409, again.status());
        assertEquals("ALREADY_EXISTS", again.code());
        assertEquals("ks", again.body().path("error").path("keyspace").asText());
        assertEquals(200, cql("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());

        assertEquals(200, cql("CREATE TABLE ks.t (k text, c int, v text, s int static, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)").status());
        Answer dupTable = cql("CREATE TABLE ks.t (k text PRIMARY KEY)");
        assertEquals("ALREADY_EXISTS", dupTable.code());
        assertEquals("t", dupTable.body().path("error").path("table").asText());

        Answer syntax = cql("SELECT *\nFROM ks.t WHER k = 'a'");
        assertEquals(400, syntax.status());
        assertEquals("SYNTAX_ERROR", syntax.code());
        assertEquals(2, syntax.body().path("error").path("line").asInt());
        assertTrue(syntax.body().path("error").path("column").asInt() > 0);

        assertEquals("INVALID", cql("CREATE TABLE ks.u (a int, b list<int>, PRIMARY KEY (b))").code());
        assertEquals("INVALID", cql("CREATE TABLE nope.u (a int PRIMARY KEY)").code());
        assertEquals("INVALID", cql("CREATE TABLE ks.u (a int PRIMARY KEY, b foo)").code());
        assertEquals("INVALID", cql("CREATE TABLE ks.u (a int PRIMARY KEY, s int static)").code());
        assertEquals("INVALID", cql("CREATE KEYSPACE k2 WITH replication = {'class': 'NoSuchStrategy'}").code());
        assertEquals("INVALID", cql("ALTER TABLE ks.t DROP k").code());

        Answer malformed = send("POST", "/v1/cql", "{\"query\": ".getBytes());
        assertEquals(400, malformed.status());
        assertEquals("INVALID", malformed.code());
        Answer badUtf8 = send("POST", "/v1/cql", new byte[] {'{', '"', 'q', '"', ':', '"', (byte) 0xff, '"', '}'});
        assertEquals(400, badUtf8.status());
        Answer tooLarge = send("POST", "/v1/cql", ("{\"query\": \"" + "x".repeat(5000) + "\"}").getBytes());
        assertEquals(413, tooLarge.status());
        assertEquals("PAYLOAD_TOO_LARGE", tooLarge.code());
        assertEquals(4096, tooLarge.body().path("error").path("limit").asInt());

        assertEquals(404, send("GET", "/v1/keyspaces/nope", null).status());
        assertEquals("NOT_FOUND", send("GET", "/v1/keyspaces/ks/tables/nope", null).code());
        assertEquals(404, send("GET", "/v1/no/such/endpoint", null).status());

        Answer table = send("GET", "/v1/keyspaces/ks/tables/t", null);
        assertEquals(200, table.status());
        assertTrue(table.body().path("cql").asText().contains("CLUSTERING ORDER BY (c DESC)"), table.body().toString());
        // the node still serves after every bad request
        assertEquals(200, send("GET", "/health", null).status());
    }

    @Test
    void schemaSurvivesRestart() throws Exception {
        start();
        assertEquals(200, cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
        assertEquals(200, cql("CREATE TABLE ks.t (k text PRIMARY KEY, v int)").status());
        assertEquals(200, cql("ALTER TABLE ks.t ADD w text").status());
        String before = send("GET", "/v1/keyspaces/ks/tables/t", null).body().toString();
        node.stop().get();
        node = null;
        start();
        Answer after = send("GET", "/v1/keyspaces/ks/tables/t", null);
        assertEquals(200, after.status());
        assertEquals(before, after.body().toString());
        assertEquals(200, cql("DROP TABLE ks.t").status());
        assertEquals(404, send("GET", "/v1/keyspaces/ks/tables/t", null).status());
    }
}
