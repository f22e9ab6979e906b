package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.cli.CleanupCommand;
import io.sibyl.app.node.NodeClient.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Streams and cleanup through a real node: the endpoints are wired, validate input, and keep owned data. */
class StreamHttpTest extends NodeTestSupport {

    @Test
    void streamsListAndCleanupKeepWhatTheNodeOwns() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
        assertEquals(200, cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
        assertEquals(200, cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());
        for (int k = 0; k < 30; k++) {
            assertEquals(200, cql("INSERT INTO ks.t (k, v) VALUES (" + k + ", 'v" + k + "')").status());
        }
        assertEquals(200, cql("DELETE FROM ks.t WHERE k = 3").status());

        Answer streams = send("GET", "/v1/admin/streams", null);
        assertEquals(200, streams.status());
        assertEquals(0, streams.body().path("sessions").size(), streams.body().toString());

        // a single node replicates the whole ring: cleanup keeps everything (memtable data flushed first)
        Answer cleaned = send("POST", "/v1/admin/cleanup?keyspace=ks", null);
        assertEquals(200, cleaned.status(), cleaned.body().toString());
        assertEquals("ks.t", cleaned.body().path("cleaned").get(0).asText());
        assertEquals(29, cql("SELECT * FROM ks.t").body().path("rows").size());

        assertEquals("NOT_FOUND", send("POST", "/v1/admin/cleanup?keyspace=ks&table=nope", null).code());
        assertEquals("NOT_FOUND", send("POST", "/v1/admin/cleanup?keyspace=nope", null).code());
        assertEquals("INVALID", send("POST", "/v1/admin/cleanup?table=t", null).code());

        // rebuild validates before streaming
        assertEquals("INVALID", send("POST", "/v1/admin/rebuild?keyspace=ks", null).code());
        assertEquals("NOT_FOUND", send("POST", "/v1/admin/rebuild?keyspace=nope&source=x", null).code());
        Answer unknownNode = send("POST", "/v1/admin/rebuild?keyspace=ks&source=no-such-node", null);
        assertEquals("INVALID", unknownNode.code());
        assertTrue(unknownNode.body().toString().contains("not in the ring"), unknownNode.body().toString());
        String self = send("GET", "/health", null).body().path("id").asText();
        Answer fromSelf = send("POST", "/v1/admin/rebuild?keyspace=ks&source=" + self, null);
        assertEquals("INVALID", fromSelf.code(), fromSelf.body().toString() + " self=" + self);

        String host = "http://127.0.0.1:" + node.httpPort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CleanupCommand ok = new CleanupCommand().printTo(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, new CommandLine(ok).execute("ks", "t", "--host", host));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("ks.t"), out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CleanupCommand bad = new CleanupCommand().printTo(System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, new CommandLine(bad).execute("nope", "--host", host));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("NOT_FOUND"), err.toString(StandardCharsets.UTF_8));
        assertEquals(29, cql("SELECT * FROM ks.t").body().path("rows").size());

        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(host + "/metrics")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("sibyl_streaming_received_bytes_total"), "streaming metrics exported");
        assertTrue(metrics.contains("sibyl_streaming_sessions_running"), "streaming metrics exported");
    }
}
