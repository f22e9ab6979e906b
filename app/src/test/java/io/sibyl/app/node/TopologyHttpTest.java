package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.node.NodeClient.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Topology endpoints on a one-node cluster: the refusals of docs/api.md, and the epochs in /v1/cluster. */
class TopologyHttpTest extends NodeTestSupport {

    @Test
    void refusalsAndEpochs() throws Exception {
        node = TestNodes.start(dataDir, Map.of());
        String self = node.cluster().identity().id().value();

        Answer cluster = send("GET", "/v1/cluster", null);
        assertEquals(200, cluster.status());
        assertTrue(cluster.body().path("epoch").asLong() >= 1, cluster.body().toString());
        assertEquals(cluster.body().path("epoch").asLong(), cluster.body().path("nodes").get(0).path("epoch").asLong());
        assertTrue(cluster.body().path("topology_change").isNull(), cluster.body().toString());

        Answer last = send("POST", "/v1/admin/decommission", null);
        assertEquals(400, last.status(), last.body().toString());
        assertEquals("INVALID", last.code());
        assertTrue(last.body().path("error").path("message").asText().contains("last NORMAL node"), last.body().toString());

        Answer unknown = send("POST", "/v1/admin/removenode/no-such-node", null);
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", unknown.code());

        Answer live = send("POST", "/v1/admin/removenode/" + self, null);
        assertEquals(400, live.status());
        assertTrue(live.body().path("error").path("message").asText().contains("is alive"), live.body().toString());

        cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        Answer noAbort = send("POST", "/v1/admin/topology/abort?node=" + self, null);
        assertEquals(404, noAbort.status(), noAbort.body().toString());
    }
}
