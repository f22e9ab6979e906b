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
 * Replace of a killed node ({@code sibyl start --replace ID}) in a loaded RF=2 cluster while QUORUM
 * writes run: the new node takes the dead node's tokens, fetches its ranges from the other replicas,
 * the dead node ends LEFT; then, with another original node stopped, every acknowledged row reads at
 * ONE from every live node (the new one included).
 */
class ReplaceIT {
    private static final Duration CHANGE = Duration.ofMinutes(3);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void aKilledNodeIsReplacedWithItsTokensAndNoAcknowledgedRowIsLost() throws Exception {
        Path work = NodeProcess.workDir("ReplaceIT");
        List<NodeProcess> three = Clusters.threeNodes(work, List.of());
        nodes.addAll(three);
        startAll(three);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        awaitCluster(n1, CHANGE, c -> Clusters.count(c, "UN") == 3 && c.path("topology_change").isNull());
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        assertEquals(200, c1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}").status());
        assertEquals(200, c1.cql("CREATE TABLE ks.kv (k int PRIMARY KEY, v text)").status());
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Clusters.bulkLoad(c1, "QUORUM", 0, 3000, acked);
        String id3 = id(n3);
        List<String> tokens3 = Clusters.tokens(Clusters.cluster(n1), id3);

        // n3 dies. Replacing a live node is refused first (n2), and the refused node stops.
        n3.kill9();
        awaitCluster(n1, CHANGE, c -> "DN".equals(Clusters.state(c, id3)));
        NodeProcess bad = new NodeProcess("bad", work.resolve("bad"), NodeProcess.freePort(), List.of("--replace", id(n2)))
                .withSeeds(List.of(n1.clusterAddress(), n2.clusterAddress()), "dc1", "rack2");
        nodes.add(bad);
        bad.start();
        assertTrue(bad.waitForExit(Duration.ofSeconds(90)), "a node replacing a live one did not stop");
        assertTrue(bad.logTail().contains("is alive"), bad.logTail());

        // n4 replaces n3 (same dc and rack) while QUORUM writes go on through n1 and n2.
        NodeProcess n4 = new NodeProcess("n4", work.resolve("n4"), NodeProcess.freePort(), List.of("--replace", id3))
                .withSeeds(List.of(n1.clusterAddress(), n2.clusterAddress()), "dc1", "rack3");
        nodes.add(n4);
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
        n4.start();
        n4.awaitReady(CHANGE);
        String id4 = id(n4);
        JsonNode done = awaitCluster(n1, CHANGE, c -> c.path("topology_change").isNull()
                && Clusters.count(c, "UN") == 3 && !listed(c, id3));
        writing.set(false);
        writer.join();
        assertEquals(tokens3, Clusters.tokens(done, id4), "n4 took exactly n3's tokens");

        // n1 stops: every acknowledged row reads at ONE from n2 and from n4.
        n1.terminate(Duration.ofSeconds(30));
        for (NodeProcess n : List.of(n2, n4)) {
            Clusters.assertAllReadable(SibylClient.of(n.baseUrl()), acked, n.name() + " after the replace");
        }
    }

    private static boolean listed(JsonNode cluster, String id) {
        for (JsonNode e : cluster.path("nodes")) if (e.path("id").asText().equals(id)) return true;
        return false;
    }
}
