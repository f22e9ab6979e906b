package io.sibyl.it;

import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.id;
import static io.sibyl.it.Clusters.startAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Grow a loaded RF=2 cluster from 3 to 4 nodes while QUORUM writes run, then shrink it back with a
 * decommission: afterwards, with one original node stopped, every acknowledged row reads at ONE from
 * every live node. Needs the real RangeStreamer (io.sibyl.actors.streaming): without one the join
 * fails and is rolled back, as documented.
 */
class TopologyChangeIT {
    private static final Duration CHANGE = Duration.ofMinutes(3);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void bootstrapAndDecommissionUnderWritesLoseNoAcknowledgedRow() throws Exception {
        Path work = NodeProcess.workDir("TopologyChangeIT");
        List<NodeProcess> three = Clusters.threeNodes(work, List.of());
        nodes.addAll(three);
        startAll(three);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        assertEquals(200, c1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}").status());
        assertEquals(200, c1.cql("CREATE TABLE ks.kv (k int PRIMARY KEY, v text)").status());
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Clusters.bulkLoad(c1, "QUORUM", 0, 3000, acked);

        // A fourth node joins while writes go on through the three original coordinators.
        NodeProcess n4 = new NodeProcess("n4", work.resolve("n4"), NodeProcess.freePort(), List.of())
                .withSeeds(List.of(n1.clusterAddress(), n2.clusterAddress()), "dc1", "rack4");
        nodes.add(n4);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            int k = 100_000;
            List<SibylClient> coordinators = List.of(c1, SibylClient.of(n2.baseUrl()), SibylClient.of(n3.baseUrl()));
            while (writing.get()) {
                try {
                    SibylClient c = coordinators.get(k % 3);
                    if (c.cqlAt("QUORUM", "INSERT INTO ks.kv (k, v) VALUES (?, ?)", k, "v" + k).status() == 200) acked.add(k);
                } catch (Exception e) {
                    // not acknowledged: not checked
                }
                k++;
            }
        });
        writer.start();
        n4.start();
        n4.awaitReady(CHANGE);
        String id4 = id(n4);
        JsonNode joined = awaitCluster(n1, CHANGE, c -> c.path("topology_change").isNull()
                && Clusters.count(c, "UN") == 4);
        long epoch = joined.path("epoch").asLong();
        writing.set(false);
        writer.join();

        // n1 stops: every acknowledged row reads at ONE from every live node (n4 included).
        n1.terminate(Duration.ofSeconds(30));
        for (NodeProcess n : List.of(n2, n3, n4)) {
            Clusters.assertAllReadable(SibylClient.of(n.baseUrl()), acked, n.name() + " after the join (epoch " + epoch + ")");
        }

        // n1 back; n4 decommissions; then n2 stops and every row still reads at ONE from n1 and n3.
        n1.start();
        n1.awaitReady(CHANGE);
        SibylClient.Answer dec = SibylClient.of(n4.baseUrl()).post("/v1/admin/decommission", "");
        assertEquals(202, dec.status(), dec.body().toString());
        assertTrue(n4.waitForExit(CHANGE), "n4 did not stop after its decommission");
        awaitCluster(n1, CHANGE, c -> {
            for (JsonNode e : c.path("nodes")) if (e.path("id").asText().equals(id4)) return false;
            return c.path("topology_change").isNull();
        });
        n2.terminate(Duration.ofSeconds(30));
        for (NodeProcess n : List.of(n1, n3)) {
            Clusters.assertAllReadable(SibylClient.of(n.baseUrl()), acked, n.name() + " after the decommission");
        }
        // The decommissioned node refuses to start again with its data directory.
        n4.start();
        assertTrue(n4.waitForExit(Duration.ofSeconds(60)));
        assertTrue(n4.logTail().contains("cannot rejoin with the same identity"), n4.logTail());
    }
}
