package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.app.cli.RepairCommand;
import io.sibyl.app.node.NodeClient.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Repair and TRUNCATE through a real one-node cluster: the HTTP endpoints, their errors, and the CLI. */
class RepairHttpTest extends NodeTestSupport {

    @Test
    void repairEndpointsCliAndTruncate() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
        assertEquals(200, cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
        assertEquals(200, cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());
        String emptyRoot = send("GET", "/v1/admin/merkle?keyspace=ks&table=t", null).body().path("root").asText();
        for (int k = 0; k < 20; k++) {
            assertEquals(200, cql("INSERT INTO ks.t (k, v) VALUES (" + k + ", 'v')").status());
        }

        Answer started = send("POST", "/v1/admin/repair?keyspace=ks&table=t", null);
        assertEquals(202, started.status(), started.body().toString());
        String id = started.body().path("id").asText();
        JsonNode status = null;
        for (int i = 0; i < 300; i++) {
            status = send("GET", "/v1/admin/repair/" + id, null).body();
            if (!status.path("state").asText().equals("RUNNING")) break;
            Thread.sleep(50);
        }
        assertEquals("SUCCEEDED", status.path("state").asText(), status.toString());
        assertEquals(id, status.path("id").asText());
        assertEquals("ks", status.path("keyspace").asText());
        assertEquals("t", status.path("tables").get(0).asText());
        assertEquals(status.path("ranges_total").asLong(), status.path("ranges_done").asLong());
        assertEquals(0, status.path("partitions_streamed").asLong(), "one replica: nothing to compare");
        assertTrue(status.has("mismatched_leaves") && status.has("error"), status.toString());

        Answer merkle = send("GET", "/v1/admin/merkle?keyspace=ks&table=t&depth=4", null);
        assertEquals(200, merkle.status(), merkle.body().toString());
        assertEquals(32, merkle.body().path("root").asText().length());
        assertNotEquals(emptyRoot, send("GET", "/v1/admin/merkle?keyspace=ks&table=t", null).body().path("root").asText());

        assertEquals("NOT_FOUND", send("POST", "/v1/admin/repair?keyspace=nope", null).code());
        assertEquals("NOT_FOUND", send("POST", "/v1/admin/repair?keyspace=ks&table=nope", null).code());
        assertEquals("INVALID", send("POST", "/v1/admin/repair", null).code());
        assertEquals("INVALID", send("POST", "/v1/admin/repair?keyspace=ks&start_token=5", null).code());
        assertEquals("INVALID", send("POST", "/v1/admin/repair?keyspace=ks&start_token=x&end_token=1", null).code());
        assertEquals(404, send("GET", "/v1/admin/repair/no-such-id", null).status());

        // The CLI: posts, polls, exit code 0 on success and 1 when the repair cannot start.
        String host = "http://127.0.0.1:" + node.httpPort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RepairCommand ok = new RepairCommand().printTo(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        int code = new CommandLine(ok).execute("ks", "t", "--pr", "--host", host,
                "--poll-interval", "PT0.05S", "--start-token", "-100", "--end-token", "100000");
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("SUCCEEDED"), out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RepairCommand bad = new RepairCommand().printTo(System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, new CommandLine(bad).execute("nope", "--host", host));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("NOT_FOUND"), err.toString(StandardCharsets.UTF_8));

        // TRUNCATE goes through the coordinator (every node of the ring: here the one).
        assertEquals(200, cql("TRUNCATE ks.t").status());
        assertEquals(0, cql("SELECT * FROM ks.t").body().path("rows").size());
        assertEquals(emptyRoot, send("GET", "/v1/admin/merkle?keyspace=ks&table=t", null).body().path("root").asText());
    }
}
