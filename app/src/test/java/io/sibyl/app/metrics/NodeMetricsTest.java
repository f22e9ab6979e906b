package io.sibyl.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.node.SibylNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics on a real node: Prometheus text, and the counters move with the node's work. */
class NodeMetricsTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SibylNode node;

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() throws Exception {
        if (node != null) node.stop().get();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void cql(String query) throws Exception {
        var r = send("POST", "/v1/cql", "{\"query\": \"" + query + "\"}");
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The value of the first sample of {@code metric} whose labels contain every one of {@code labels}. */
    private static double sample(String text, String metric, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        while (m.find()) {
            boolean all = true;
            for (String l : labels) all &= m.group(1).contains(l);
            if (all) return Double.parseDouble(m.group(2));
        }
        throw new AssertionError("no sample " + metric + " with " + String.join(",", labels) + " in:\n" + text);
    }

    @Test
    void metricsAreServedInThePrometheusFormatAndCountTheWork() throws Exception {
node = io.sibyl.app.node.TestNodes.start(dataDir, Map.of("sibyl.node_name", "m1", "sibyl.storage.key_cache_size", "8MiB"));
        cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        cql("CREATE TABLE ks.t (k int PRIMARY KEY, v int)");
        for (int i = 0; i < 5; i++) cql("INSERT INTO ks.t (k, v) VALUES (" + i + ", 1)");
        cql("DELETE FROM ks.t WHERE k = 0");
        cql("SELECT * FROM ks.t WHERE k = 0");
        assertEquals(200, send("POST", "/v1/admin/flush", null).statusCode());
        assertEquals(404, send("GET", "/v1/nope", null).statusCode());

        HttpResponse<String> r = send("GET", "/metrics", null);
        assertEquals(200, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
        String text = r.body();

        String t = "keyspace=\"ks\"";
        String table = "table=\"t\"";
        assertEquals(7, sample(text, "sibyl_http_requests_seconds_count", "route=\"/v1/cql\"", "status=\"200\"") - 2,
                "CREATE x2, INSERT x5, DELETE, SELECT on /v1/cql");
        assertEquals(1, sample(text, "sibyl_http_requests_seconds_count", "route=\"unmatched\"", "status=\"404\""));
        assertEquals(6, sample(text, "sibyl_write_latency_seconds_count", t, table));
        assertTrue(text.contains("sibyl_write_latency_seconds_bucket{") && text.contains("le=\"0.005\""), "histogram buckets");
        assertEquals(1, sample(text, "sibyl_read_latency_seconds_count", t, table));
        assertEquals(1, sample(text, "sibyl_tombstones_scanned_total", t, table), "the partition deletion");
        assertEquals(1, sample(text, "sibyl_memtable_flushes_total", t, table));
        assertEquals(1, sample(text, "sibyl_sstables", t, table));
        assertTrue(sample(text, "sibyl_sstable_bytes", t, table) > 0);
        assertEquals(0, sample(text, "sibyl_memtable_bytes", t, table));
        assertEquals(0, sample(text, "sibyl_sstable_checksum_failures_total", t, table));
        assertTrue(sample(text, "sibyl_commitlog_syncs_total", "node=\"m1\"") >= 1);
        assertTrue(sample(text, "sibyl_commitlog_records_total", "node=\"m1\"") >= 6);
        assertTrue(sample(text, "sibyl_commitlog_written_bytes_total", "node=\"m1\"") > 6 * 12);
        assertEquals(1, sample(text, "sibyl_memtable_flushed_bytes_count", t, table));
        assertEquals(0, sample(text, "sibyl_memtable_flushing", t, table));
        assertEquals(0, sample(text, "sibyl_memtable_unflushed_bytes", "node=\"m1\""));
        assertTrue(sample(text, "sibyl_commitlog_segments", "node=\"m1\"") >= 1);
        assertEquals(0, sample(text, "sibyl_tombstone_failures_total", t, table));
        assertTrue(sample(text, "jvm_memory_used_bytes", "area=\"heap\"") > 0);
        assertTrue(text.contains("jvm_gc_"), "GC meters");

        // the key cache: the first point read of a flushed key searches the index, the second does not
        assertEquals(0, sample(text, "sibyl_key_cache_hits_total", "node=\"m1\""));
        assertTrue(sample(text, "sibyl_key_cache_capacity_bytes", "node=\"m1\"") > 0);
        cql("SELECT * FROM ks.t WHERE k = 1");
        cql("SELECT * FROM ks.t WHERE k = 1");
        String after = send("GET", "/metrics", null).body();
        assertEquals(1, sample(after, "sibyl_key_cache_misses_total", "node=\"m1\""));
        assertEquals(1, sample(after, "sibyl_key_cache_hits_total", "node=\"m1\""));
        assertEquals(1, sample(after, "sibyl_key_cache_entries", "node=\"m1\""));
        assertTrue(sample(after, "sibyl_key_cache_size_bytes", "node=\"m1\"") > 100);
        assertTrue(sample(after, "sibyl_chunk_cache_capacity_bytes", "node=\"m1\"") > 0, "file_cache_size = auto by default");
        assertTrue(sample(after, "sibyl_chunk_cache_hits_total", "node=\"m1\"") >= 1, "the second read's chunk was cached");

        // a dropped table's meters go away
        cql("DROP TABLE ks.t");
        assertTrue(!send("GET", "/metrics", null).body().contains("table=\"t\""), "meters of a dropped table removed");
    }
}
