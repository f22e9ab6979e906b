package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sibyl.app.node.NodeClient.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A single real node: a logged batch over several partitions goes through the node's own batchlog (the
 * only node of its data center) and applies in full; the crash hook of the multi-JVM tests is not there
 * without fault injection.
 */
class NodeLoggedBatchTest extends NodeTestSupport {

    @Test
    void aLoggedBatchOnASingleNodeAppliesEveryPartition() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
        assertEquals(200, cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
        assertEquals(200, cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());
        Answer batch = cql("BEGIN BATCH INSERT INTO ks.t (k, v) VALUES (1, 'a'); INSERT INTO ks.t (k, v) VALUES (2, 'b'); "
                + "UPDATE ks.t SET v = 'c' WHERE k = 3; APPLY BATCH");
        assertEquals(200, batch.status(), batch.body().toString());
        Answer rows = cql("SELECT k, v FROM ks.t");
        assertEquals(3, rows.body().path("rows").size(), rows.body().toString());
        assertEquals(404, send("POST", "/v1/admin/fault/crash_after_batchlog", new byte[0]).status(),
                "fault injection is off by default");
    }
}
