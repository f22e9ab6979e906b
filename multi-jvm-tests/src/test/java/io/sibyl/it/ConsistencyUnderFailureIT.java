package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.count;
import static io.sibyl.it.Clusters.id;
import static io.sibyl.it.Clusters.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's failure cases on real node JVMs: a paused (SIGSTOP) replica makes requests that need it
 * time out with WRITE_TIMEOUT / READ_TIMEOUT — never hang — and serves again after SIGCONT; with
 * NetworkTopologyStrategy dc1:3, dc2:2 and all of dc2 killed, LOCAL_QUORUM keeps working and
 * EACH_QUORUM answers UNAVAILABLE.
 */
class ConsistencyUnderFailureIT {
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) {
            if (n.isAlive()) {
                n.resume(); // a paused JVM cannot be stopped cleanly
            }
            n.close();
        }
    }

    @Test
    void aPausedReplicaTimesOutRequestsThatNeedItAndServesAgainAfterResume() throws Exception {
        List<NodeProcess> three = Clusters.startThreeNodes("paused", nodes);
        NodeProcess n1 = three.get(0);
        NodeProcess n3 = three.get(2);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        ok(c1.cql("CREATE KEYSPACE rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(c1.cql("CREATE TABLE rf3.t (k int PRIMARY KEY, v text)"));
        ok(c1.cqlAt("ALL", "INSERT INTO rf3.t (k, v) VALUES (1, 'one')"));

        String id3 = id(n3);
        n3.pause();
        // Before the failure detector notices (~3 s), n3 still counts as alive: ALL waits for it and
        // answers WRITE_TIMEOUT after write_request_timeout (2 s) with what it got; QUORUM does not need it.
        long t0 = System.nanoTime();
        SibylClient.Answer w = c1.cqlAt("ALL", "INSERT INTO rf3.t (k, v) VALUES (2, 'two')");
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(504, w.status(), w.body().toString());
        assertEquals("WRITE_TIMEOUT", w.errorCode());
        assertEquals(2, w.body().path("error").path("received").asInt(), w.body().toString());
        assertEquals(3, w.body().path("error").path("block_for").asInt(), w.body().toString());
        assertTrue(tookMs < 5_000, "answered after the write timeout, did not hang: " + tookMs + " ms");
        ok(c1.cqlAt("QUORUM", "INSERT INTO rf3.t (k, v) VALUES (3, 'three')"));
        // Once n3 is marked down, ALL is refused up front instead.
        awaitCluster(n1, Duration.ofSeconds(10), c -> state(c, id3).equals("DN"));
        SibylClient.Answer r = c1.cqlAt("ALL", "SELECT v FROM rf3.t WHERE k = 1");
        assertEquals("UNAVAILABLE", r.errorCode(), r.body().toString());

        n3.resume();
        awaitCluster(n1, Duration.ofSeconds(15), c -> state(c, id3).equals("UN"));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        SibylClient.Answer again;
        do {
            again = c1.cqlAt("ALL", "SELECT v FROM rf3.t WHERE k = 3");
        } while (again.status() != 200 && System.nanoTime() < deadline);
        assertEquals("three", ok(again).rows().get(0).path("v").asText(), "n3 serves again after SIGCONT");
    }

    @Test
    void localQuorumSurvivesALostDataCenterAndEachQuorumDoesNot() throws Exception {
        Path work = NodeProcess.workDir("two-dcs");
        List<NodeProcess> five = new ArrayList<>();
        String[][] layout = {{"dc1", "rack1"}, {"dc1", "rack2"}, {"dc1", "rack3"}, {"dc2", "rack1"}, {"dc2", "rack2"}};
        for (int i = 0; i < layout.length; i++) {
            five.add(new NodeProcess("n" + (i + 1), work.resolve("n" + (i + 1)), NodeProcess.freePort(), List.of()));
        }
        List<String> seeds = List.of(five.get(0).clusterAddress(), five.get(3).clusterAddress());
        for (int i = 0; i < layout.length; i++) {
            five.get(i).withSeeds(seeds, layout[i][0], layout[i][1]);
        }
        nodes.addAll(five);
        Clusters.startAll(five);
        NodeProcess n1 = five.get(0);
        awaitCluster(n1, Duration.ofSeconds(60), c -> count(c, "UN") == 5);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        ok(c1.cql("CREATE KEYSPACE nts WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}"));
        ok(c1.cql("CREATE TABLE nts.t (k int PRIMARY KEY, v text)"));
        ok(c1.cqlAt("EACH_QUORUM", "INSERT INTO nts.t (k, v) VALUES (1, 'both dcs')"));

        List<String> dc2 = List.of(id(five.get(3)), id(five.get(4)));
        five.get(3).kill9();
        five.get(4).kill9();
        awaitCluster(n1, Duration.ofSeconds(15), c -> dc2.stream().allMatch(id -> state(c, id).equals("DN")));

        ok(c1.cqlAt("LOCAL_QUORUM", "INSERT INTO nts.t (k, v) VALUES (2, 'dc1 only')"));
        JsonNode rows = ok(c1.cqlAt("LOCAL_QUORUM", "SELECT k, v FROM nts.t WHERE k IN (1, 2)")).rows();
        assertEquals(2, rows.size(), rows.toString());
        SibylClient.Answer each = c1.cqlAt("EACH_QUORUM", "INSERT INTO nts.t (k, v) VALUES (3, 'never')");
        assertEquals(503, each.status(), each.body().toString());
        assertEquals("UNAVAILABLE", each.errorCode());
        assertEquals(0, ok(c1.cqlAt("LOCAL_QUORUM", "SELECT v FROM nts.t WHERE k = 3")).rows().size(),
                "an UNAVAILABLE write wrote nothing");
    }
}
