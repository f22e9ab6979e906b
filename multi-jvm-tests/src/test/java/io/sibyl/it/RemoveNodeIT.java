package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.id;
import static io.sibyl.it.Clusters.startAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Removenode of a killed node (docs/operations.md, "Removenode") in a loaded 4-node RF=2 cluster while
 * QUORUM writes run: refused for a live node and an unknown id; while the dead node's ranges are restreamed
 * (slowly: {@code stream_throughput_outbound} 0.25 MiB/s) cleanup is refused with 409
 * TOPOLOGY_CHANGE_IN_PROGRESS; afterwards the node is off the ring, and with one more original node stopped
 * every acknowledged row reads at ONE from every live node. The removed node, restarted, is refused.
 */
class RemoveNodeIT {
    private static final Duration CHANGE = Duration.ofMinutes(3);
    private static final int ROWS = 4000;
    private static final String PAD = "p".repeat(1000);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void aKilledNodeIsRemovedAndNoAcknowledgedRowIsLost() throws Exception {
        Path work = NodeProcess.workDir("RemoveNodeIT");
        Path conf = work.resolve("slow-streams.conf");
        Files.writeString(conf, "sibyl.streaming.stream_throughput_outbound = 0.25\n");
        List<String> args = List.of("--config", conf.toString());
        List<NodeProcess> three = Clusters.threeNodes(work, args);
        nodes.addAll(three);
        startAll(three);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        awaitCluster(n1, CHANGE, c -> Clusters.count(c, "UN") == 3 && c.path("topology_change").isNull());
        NodeProcess n4 = new NodeProcess("n4", work.resolve("n4"), NodeProcess.freePort(), args)
                .withSeeds(List.of(n1.clusterAddress(), n2.clusterAddress()), "dc1", "rack4");
        nodes.add(n4);
        n4.start().awaitReady(CHANGE);
        awaitCluster(n1, CHANGE, c -> Clusters.count(c, "UN") == 4 && c.path("topology_change").isNull());

        SibylClient c1 = SibylClient.of(n1.baseUrl());
        ok(c1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}"));
        ok(c1.cql("CREATE TABLE ks.kv (k int PRIMARY KEY, v text)"));
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        for (int from = 0; from < ROWS; from += 1000) {
            ok(c1.post("/v1/keyspaces/ks/tables/kv/rows:bulk?consistency=QUORUM", rows(from, from + 1000)));
            for (int k = from; k < from + 1000; k++) acked.add(k);
        }
        ok(c1.post("/v1/admin/flush?keyspace=ks", "")); // part of the data in SSTables, part in memtables
        for (int k = ROWS; k < ROWS + 300; k++) {
            if (c1.cqlAt("QUORUM", "INSERT INTO ks.kv (k, v) VALUES (?, ?)", k, "v" + k).status() == 200) acked.add(k);
        }

        // Bad input: removenode of a live node (400) and of an unknown id (404).
        String id2 = id(n2);
        SibylClient.Answer live = c1.post("/v1/admin/removenode/" + id2, "");
        assertEquals(400, live.status(), live.body().toString());
        assertTrue(live.body().toString().contains("alive"), live.body().toString());
        SibylClient.Answer unknown = c1.post("/v1/admin/removenode/no-such-node", "");
        assertEquals(404, unknown.status(), unknown.body().toString());

        // n3 dies; it is removed while QUORUM writes go on through n1 and n2.
        String id3 = id(n3);
        n3.kill9();
        // n2 is asked below: it must see n3 down too (each node's failure detector decides for itself)
        for (NodeProcess n : List.of(n1, n2)) {
            awaitCluster(n, CHANGE, c -> "DN".equals(Clusters.state(c, id3)));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            int k = 100_000;
            List<SibylClient> coordinators = List.of(c1, SibylClient.of(n2.baseUrl()));
            while (writing.get()) {
                try {
                    SibylClient c = coordinators.get(k % 2);
                    if (c.cqlAt("QUORUM", "INSERT INTO ks.kv (k, v) VALUES (?, ?)", k, "v" + k).status() == 200) acked.add(k);
                } catch (Exception e) {
                    // not acknowledged: not checked
                }
                k++;
            }
        });
        writer.start();
        try {
            SibylClient.Answer removal = SibylClient.of(n2.baseUrl()).post("/v1/admin/removenode/" + id3, "");
            assertEquals(202, removal.status(), removal.body().toString());
            assertEquals("removenode", removal.body().path("operation").asText(), removal.body().toString());

            // While the ranges stream (slowly) the change is at STREAMING: cleanup is refused on every live node.
            JsonNode streaming = awaitCluster(n1, CHANGE, c -> "STREAMING".equals(c.path("topology_change").path("step").asText()));
            assertEquals("REMOVE", streaming.path("topology_change").path("kind").asText(),
                    streaming.path("topology_change").toString());
            SibylClient.Answer cleanup = c1.post("/v1/admin/cleanup", "");
            assertEquals(409, cleanup.status(), cleanup.body().toString());
            assertEquals("TOPOLOGY_CHANGE_IN_PROGRESS", cleanup.errorCode(), cleanup.body().toString());
            JsonNode still = Clusters.cluster(n1).path("topology_change");
            assertTrue(!still.isNull() && !still.isMissingNode(), "the 409 was answered while the change ran: " + still);

            awaitCluster(n1, CHANGE, c -> c.path("topology_change").isNull() && !listed(c, id3)
                    && Clusters.count(c, "UN") == 3);
        } finally {
            writing.set(false);
            writer.join();
        }
        for (NodeProcess n : List.of(n1, n2, n4)) {
            awaitCluster(n, CHANGE, c -> c.path("topology_change").isNull() && !listed(c, id3));
        }
        // Cleanup works again once the change is over.
        ok(SibylClient.of(n4.baseUrl()).post("/v1/admin/cleanup?keyspace=ks", ""));

        // n1 stops: every acknowledged row reads at ONE from n2 and from n4.
        n1.terminate(Duration.ofSeconds(30));
        for (NodeProcess n : List.of(n2, n4)) {
            Clusters.assertAllReadable(SibylClient.of(n.baseUrl()), acked, n.name() + " after the removenode");
        }

        // The removed node, started again with its data directory, is refused.
        n3.start();
        assertTrue(n3.waitForExit(Duration.ofSeconds(90)), "the removed node kept running:\n" + n3.logTail());
        assertTrue(n3.logTail().contains("has left the ring (decommissioned or removed)"), n3.logTail());
        assertTrue(n3.exitCode() != 0, "a refused start exits non-zero, not " + n3.exitCode());
    }

    private static String rows(int from, int to) {
        StringBuilder ndjson = new StringBuilder();
        for (int k = from; k < to; k++) {
            ndjson.append("{\"k\":").append(k).append(",\"v\":\"v").append(k).append(PAD).append("\"}\n");
        }
        return ndjson.toString();
    }

    static boolean listed(JsonNode cluster, String id) {
        for (JsonNode e : cluster.path("nodes")) if (e.path("id").asText().equals(id)) return true;
        return false;
    }
}
