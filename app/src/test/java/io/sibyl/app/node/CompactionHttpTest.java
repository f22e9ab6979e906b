package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.app.node.NodeClient.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compaction through a real node: CQL options validated, major compaction, status and table stats. */
class CompactionHttpTest extends NodeTestSupport {

    @Test
    void compactionOptionsMajorCompactionAndStats() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
        assertEquals(200, cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());

        Answer badClass = cql("CREATE TABLE ks.bad (k int PRIMARY KEY) WITH compaction = {'class': 'DateTieredCompactionStrategy'}");
        assertEquals(400, badClass.status());
        assertEquals("INVALID", badClass.code());
        Answer badOption = cql("CREATE TABLE ks.bad (k int PRIMARY KEY) WITH compaction = {'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 'x'}");
        assertEquals("INVALID", badOption.code());
        assertTrue(badOption.body().path("error").path("message").asText().contains("sstable_size_in_mb"));

        assertEquals(200, cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text) WITH compaction = "
                + "{'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', 'min_threshold': '8'}").status());
        Answer schema = send("GET", "/v1/keyspaces/ks/tables/t", null);
        assertTrue(schema.body().toString().contains("'class': 'SizeTieredCompactionStrategy'"), schema.body().toString());
        assertEquals("INVALID", cql("ALTER TABLE ks.t WITH compaction = {'class': 'SizeTieredCompactionStrategy', 'min_threshold': '1'}").code());

        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 20; k++) {
                assertEquals(200, cql("INSERT INTO ks.t (k, v) VALUES (" + k + ", 'r" + round + "')").status());
            }
            assertEquals(200, send("POST", "/v1/admin/flush?keyspace=ks&table=t", null).status());
        }
        Answer compacted = send("POST", "/v1/admin/compact?keyspace=ks&table=t", null);
        assertEquals(200, compacted.status(), compacted.body().toString());
        assertEquals("ks.t", compacted.body().path("compacted").get(0).asText());

        JsonNode t = null;
        for (JsonNode n : send("GET", "/v1/admin/tables", null).body().path("tables")) {
            if (n.path("table").asText().equals("t")) t = n;
        }
        assertEquals(1, t.path("sstableCount").asInt(), t.toString());
        assertEquals(1, t.path("compaction").path("compactionsCompleted").asInt(), t.toString());
        assertTrue(t.path("compaction").path("writeAmplification").asDouble() > 1.0, t.toString());

        Answer rows = cql("SELECT v FROM ks.t WHERE k = 7");
        assertTrue(rows.body().toString().contains("r2"), rows.body().toString());

        Answer status = send("GET", "/v1/admin/compactions", null);
        assertEquals(200, status.status());
        assertEquals(0, status.body().path("running").size());
        assertTrue(status.body().has("pending_tasks"));

        Answer unknown = send("POST", "/v1/admin/compact?keyspace=ks&table=nope", null);
        assertEquals(404, unknown.status(), unknown.body().toString());
        assertEquals("NOT_FOUND", unknown.code());
        assertEquals(400, send("POST", "/v1/admin/compact?table=t", null).status());
        assertEquals(202, send("POST", "/v1/admin/compact?wait=false", null).status());
    }
}
