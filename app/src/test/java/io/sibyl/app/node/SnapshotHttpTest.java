package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.app.node.NodeClient.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Snapshots through a real node: take, list, errors, survive compaction and restart, auto snapshot on
 * TRUNCATE and DROP, restore by copying the files back and refreshing; drain.
 */
class SnapshotHttpTest extends NodeTestSupport {

    private List<JsonNode> snapshots() throws Exception {
        Answer a = send("GET", "/v1/admin/snapshots", null);
        assertEquals(200, a.status(), a.body().toString());
        List<JsonNode> out = new ArrayList<>();
        a.body().path("snapshots").forEach(out::add);
        return out;
    }

    private String rows() throws Exception {
        Answer a = cql("SELECT k, v FROM ks.t");
        assertEquals(200, a.status(), a.body().toString());
        List<String> rows = new ArrayList<>();
        a.body().path("rows").forEach(r -> rows.add(r.toString()));
        rows.sort(null);
        return rows.toString();
    }

    @Test
    void snapshotRestoreAutoSnapshotAndDrain() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
        assertEquals(200, cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
        assertEquals(200, cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());
        for (int k = 0; k < 30; k++) {
            assertEquals(200, cql("INSERT INTO ks.t (k, v) VALUES (" + k + ", 'a" + k + "')").status());
        }
        assertEquals(200, send("POST", "/v1/admin/flush?keyspace=ks&table=t", null).status());
        for (int k = 30; k < 40; k++) { // in the memtable: the snapshot flushes first
            assertEquals(200, cql("INSERT INTO ks.t (k, v) VALUES (" + k + ", 'a" + k + "')").status());
        }
        String before = rows();

        Answer taken = send("POST", "/v1/admin/snapshot?tag=s1&keyspace=ks&table=t", null);
        assertEquals(200, taken.status(), taken.body().toString());
        JsonNode s1 = taken.body().path("snapshots").get(0);
        assertEquals("s1", s1.path("tag").asText());
        assertEquals("t", s1.path("table").asText());
        Path s1Dir = Path.of(s1.path("directory").asText());
        assertTrue(Files.readString(s1Dir.resolve("schema.cql")).contains("CREATE TABLE ks.t"));
        assertEquals(2 * 7 + 2, s1.path("files").asInt(), s1.toString());

        // errors (docs/api.md)
        assertEquals("INVALID", send("POST", "/v1/admin/snapshot?tag=../x", null).code());
        assertEquals(409, send("POST", "/v1/admin/snapshot?tag=s1&keyspace=ks", null).status());
        assertEquals("ALREADY_EXISTS", send("POST", "/v1/admin/snapshot?tag=s1&keyspace=ks", null).code());
        assertEquals("NOT_FOUND", send("POST", "/v1/admin/snapshot?tag=s2&keyspace=ks&table=nope", null).code());
        assertEquals("NOT_FOUND", send("POST", "/v1/admin/snapshot?tag=s2&keyspace=nope", null).code());
        assertEquals("INVALID", send("POST", "/v1/admin/snapshot?tag=s2&table=t", null).code());
        assertEquals("INVALID", send("POST", "/v1/admin/refresh?keyspace=ks", null).code());
        assertEquals("NOT_FOUND", send("POST", "/v1/admin/refresh?keyspace=ks&table=nope", null).code());
        assertEquals("INVALID", send("DELETE", "/v1/admin/snapshot", null).code());
        assertEquals("NOT_FOUND", send("DELETE", "/v1/admin/snapshot?tag=nope", null).code());

        // survives compaction and a restart
        for (int k = 0; k < 40; k++) {
            assertEquals(200, cql("INSERT INTO ks.t (k, v) VALUES (" + k + ", 'b" + k + "')").status());
        }
        assertEquals(200, send("POST", "/v1/admin/flush?keyspace=ks&table=t", null).status());
        assertEquals(200, send("POST", "/v1/admin/compact?keyspace=ks&table=t", null).status());
        node.stop().get();
        node = TestNodes.start(dataDir, Map.of());
        List<JsonNode> listed = snapshots();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(s1.path("bytes").asLong(), listed.get(0).path("bytes").asLong());
        assertTrue(listed.get(0).path("true_bytes").asLong() > 0, "compacted-away SSTables live on in the snapshot");

        // TRUNCATE takes an auto snapshot; restore s1 = copy its SSTables back + refresh
        assertEquals(200, cql("TRUNCATE ks.t").status());
        assertEquals("[]", rows());
        assertTrue(snapshots().stream().anyMatch(s -> s.path("tag").asText().matches("truncated-\\d+-t")), snapshots().toString());
        Path tableDir = s1Dir.getParent().getParent();
        try (Stream<Path> files = Files.list(s1Dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("sa-")).toList()) {
                Files.copy(f, tableDir.resolve(f.getFileName()));
            }
        }
        Answer refreshed = send("POST", "/v1/admin/refresh?keyspace=ks&table=t", null);
        assertEquals(200, refreshed.status(), refreshed.body().toString());
        assertEquals(2, refreshed.body().path("loaded").asInt());
        assertEquals(before, rows(), "the rows of the snapshot");

        // DROP TABLE takes one too; clear by tag
        assertEquals(200, cql("DROP TABLE ks.t").status());
        assertTrue(snapshots().stream().anyMatch(s -> s.path("tag").asText().matches("dropped-\\d+-t")), snapshots().toString());
        assertEquals(1, send("DELETE", "/v1/admin/snapshot/s1", null).body().path("cleared").asInt());
        Answer all = send("DELETE", "/v1/admin/snapshot?all=true", null);
        assertEquals(2, all.body().path("cleared").asInt(), all.body().toString());
        assertEquals(List.of(), snapshots());

        // drain: writes refused with DRAINED, reads served
        assertEquals(200, cql("CREATE TABLE ks.u (k int PRIMARY KEY, v int)").status());
        assertEquals(200, cql("INSERT INTO ks.u (k, v) VALUES (1, 1)").status());
        assertEquals(200, send("POST", "/v1/admin/drain", null).status());
        Answer refused = cql("INSERT INTO ks.u (k, v) VALUES (2, 2)");
        assertEquals(503, refused.status(), refused.body().toString());
        assertEquals("DRAINED", refused.code());
        Answer read = cql("SELECT v FROM ks.u WHERE k = 1");
        assertEquals(200, read.status());
        assertEquals(1, read.body().path("rows").size());
    }
}
