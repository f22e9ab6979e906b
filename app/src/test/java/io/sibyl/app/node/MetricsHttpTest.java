package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /metrics of a real node: latency histograms ({@code _bucket} series that aggregate across nodes),
 * coordinator metrics per consistency level, pending compactions and flushes, dispatcher gauges.
 */
class MetricsHttpTest extends NodeTestSupport {

    private String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static void has(String metrics, String line) {
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith(line.split("\\{")[0]) && l.contains(line.contains("{")
                ? line.substring(line.indexOf('{') + 1) : "")), "no line like " + line);
    }

    @Test
    void histogramsCoordinatorAndPoolMetrics() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
        assertEquals(200, cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
        assertEquals(200, cql("CREATE KEYSPACE ks3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}").status());
        assertEquals(200, cql("CREATE TABLE ks.t (k int PRIMARY KEY, v int)").status());
        assertEquals(200, cql("CREATE TABLE ks3.t (k int PRIMARY KEY, v int)").status());
        for (int k = 0; k < 5; k++) {
            assertEquals(200, cql("INSERT INTO ks.t (k, v) VALUES (" + k + ", 1)").status());
        }
        assertEquals(200, cql("SELECT v FROM ks.t WHERE k = 1").status());
        assertEquals("UNAVAILABLE", NodeClient.send(node, "POST", "/v1/cql",
                "{\"query\": \"INSERT INTO ks3.t (k, v) VALUES (1, 1)\", \"consistency\": \"QUORUM\"}".getBytes()).code());

        String m = scrape();
        for (String line : List.of(
                "sibyl_write_latency_seconds_bucket{keyspace=\"ks\"",
                "sibyl_read_latency_seconds_bucket{keyspace=\"ks\"",
                "sibyl_write_latency_seconds_count{keyspace=\"ks\"",
                "sibyl_http_requests_seconds_bucket{le=\"0.001\"",
                "sibyl_coordinator_requests_seconds_bucket{consistency=\"ONE\",kind=\"write\"",
                "sibyl_coordinator_requests_seconds_count{consistency=\"ONE\",kind=\"read\"",
                "sibyl_coordinator_unavailables_total{consistency=\"QUORUM\",kind=\"write\"",
                "sibyl_compaction_pending_tasks{",
                "sibyl_memtable_flushes_pending{",
                "sibyl_flush_writers_active{",
                "sibyl_drained{",
                "sibyl_streaming_received_bytes_total{",
                "sibyl_hints_pending{",
                "sibyl_dispatcher_active_threads{dispatcher=\"pekko.actor.default-dispatcher\"",
                "sibyl_dispatcher_queued_tasks{dispatcher=\"sibyl.replica.read_dispatcher\"",
                "sibyl_dispatcher_pool_threads{dispatcher=\"pekko.actor.default-dispatcher\"",
                "sibyl_actor_mailbox_pending{kind=\"Replica\"",
                "sibyl_actors{kind=\"RingKeeper\"",
                "sibyl_actor_messages_completed_total{kind=\"Replica\"",
                "sibyl_actor_messages_dropped_total{kind=\"HintReplayer\"")) {
            has(m, line);
        }
        // every metric the Grafana dashboard queries exists (those created by their first event aside)
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("..", "config", "grafana", "sibyl.json"));
        java.util.Set<String> lazy = java.util.Set.of("sibyl_read_repairs_total", "sibyl_speculative_retries_total",
                "sibyl_coordinator_timeouts_total", "sibyl_coordinator_failures_total", "sibyl_hints_pending_by_target");
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("(sibyl_[a-z_]+|jvm_memory_used_bytes)").matcher(dashboard);
        int checked = 0;
        while (names.find()) {
            String name = names.group(1);
            if (!lazy.contains(name)) {
                assertTrue(m.contains("\n" + name + "{"), "the dashboard queries " + name + ", which /metrics lacks");
                checked++;
            }
        }
        assertTrue(checked > 15, "dashboard names checked: " + checked);
        assertTrue(m.contains("# TYPE sibyl_coordinator_requests_seconds histogram"), "a histogram, not a summary");
        assertTrue(m.contains("# TYPE sibyl_write_latency_seconds histogram"), "a histogram, not a summary");
        assertTrue(m.lines().anyMatch(l -> l.startsWith("sibyl_write_latency_seconds_bucket") && l.contains("le=\"+Inf\"")
                && l.endsWith(" 5.0") || l.startsWith("sibyl_write_latency_seconds_bucket") && l.contains("le=\"+Inf\"") && l.endsWith(" 5")),
                "five writes in the +Inf bucket");

        // GET /v1/cluster/nodes/{id}/metrics: a ring member's /metrics through this node (the dashboard's totals)
        String self = NodeClient.send(node, "GET", "/v1/cluster", null).body().path("node").asText();
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + node.httpPort() + "/v1/cluster/nodes/" + self + "/metrics")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        has(r.body(), "sibyl_coordinator_requests_seconds_bucket{");
        NodeClient.Answer missing = NodeClient.send(node, "GET", "/v1/cluster/nodes/nobody/metrics", null);
        assertEquals(404, missing.status());
        assertEquals("NOT_FOUND", missing.code());
    }
}
