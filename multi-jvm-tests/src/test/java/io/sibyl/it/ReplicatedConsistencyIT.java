package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.count;
import static io.sibyl.it.Clusters.id;
import static io.sibyl.it.Clusters.state;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real node JVMs, a keyspace with RF 3: writes and reads through any node at QUORUM go on
 * with one node killed, ALL and (with two down) QUORUM answer UNAVAILABLE and write nothing, and a
 * node that missed writes while it was down is repaired by reads at ALL so that it alone, with the
 * other two stopped, answers every row at ONE.
 */
class ReplicatedConsistencyIT {
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void quorumSurvivesANodeDownAllIsUnavailableAndReadRepairCatchesTheNodeUp() throws Exception {
        List<NodeProcess> three = Clusters.startThreeNodes("replicated", nodes);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        SibylClient c2 = SibylClient.of(n2.baseUrl());
        SibylClient c3 = SibylClient.of(n3.baseUrl());
        ok(c1.cql("CREATE KEYSPACE rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(c1.cql("CREATE TABLE rf3.t (k int PRIMARY KEY, v text)"));

        for (int k = 0; k < 100; k++) {
            ok(c1.cqlAt("QUORUM", "INSERT INTO rf3.t (k, v) VALUES (?, ?)", k, "v" + k));
        }
        everyKeyLivesOnExactlyItsReplicas(three);

        // n3 dies: QUORUM still writes and reads through the others; ALL is refused up front
        String id3 = id(n3);
        n3.kill9();
        awaitCluster(n1, Duration.ofSeconds(15), c -> state(c, id3).equals("DN"));
        awaitCluster(n2, Duration.ofSeconds(15), c -> state(c, id3).equals("DN"));
        for (int k = 100; k < 200; k++) {
            ok(c2.cqlAt("QUORUM", "INSERT INTO rf3.t (k, v) VALUES (?, ?)", k, "v" + k));
        }
        SibylClient.Answer all = c1.cqlAt("ALL", "INSERT INTO rf3.t (k, v) VALUES (?, ?)", 999, "never");
        assertEquals(503, all.status(), all.body().toString());
        assertEquals("UNAVAILABLE", all.errorCode());
        JsonNode err = all.body().path("error");
        assertEquals(3, err.path("required").asInt(), err.toString());
        assertEquals(2, err.path("alive").asInt(), err.toString());
        assertEquals(0, ok(c2.cqlAt("QUORUM", "SELECT * FROM rf3.t WHERE k = 999")).rows().size(),
                "an UNAVAILABLE write wrote nothing");
        assertEquals(200, ok(c1.cqlAt("QUORUM", "SELECT count(*) FROM rf3.t")).rows().get(0).path("count").asInt());

        // n3 returns without the rows 100..199 (no hints here); reads at ALL repair it
        n3.start().awaitReady(Clusters.READY);
        awaitCluster(n1, Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        awaitCluster(n3, Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        for (int k = 100; k < 200; k++) {
            JsonNode rows = ok(c3.cqlAt("ALL", "SELECT v FROM rf3.t WHERE k = ?", k)).rows();
            assertEquals("v" + k, rows.get(0).path("v").asText(), "row " + k);
        }

        // n3 alone now holds everything: the others stop, and it answers every row at ONE
        // Stopped cleanly (they leave the membership, keeping their tokens): two nodes killed at once
        // would leave n3 a minority that the split brain resolver shuts down (docs/adr/003).
        n1.terminate(Duration.ofSeconds(30));
        n2.terminate(Duration.ofSeconds(30));
        awaitCluster(n3, Duration.ofSeconds(15), c -> count(c, "DN") == 2);
        JsonNode rows = ok(c3.cqlAt("ONE", "SELECT k, v FROM rf3.t")).rows();
        assertEquals(200, rows.size(), "n3 alone answers every row");
        for (JsonNode r : rows) {
            assertEquals("v" + r.path("k").asInt(), r.path("v").asText());
        }
        SibylClient.Answer quorum = c3.cqlAt("QUORUM", "INSERT INTO rf3.t (k, v) VALUES (?, ?)", 1000, "never");
        assertEquals("UNAVAILABLE", quorum.errorCode(), quorum.body().toString());
        assertEquals(0, ok(c3.cqlAt("ONE", "SELECT * FROM rf3.t WHERE k = 1000")).rows().size());
    }

    /**
     * Every node reports the same tokens for every node; with RF 2, each key (written at ALL) is in the
     * memtables of exactly the two nodes that own it by walking the ring clockwise from its Murmur3 token
     * (computed here from /v1/cluster and SELECT token(k), which must agree on every node).
     */
    private static void everyKeyLivesOnExactlyItsReplicas(List<NodeProcess> three) throws Exception {
        SibylClient c1 = SibylClient.of(three.get(0).baseUrl());
        JsonNode view = Clusters.cluster(three.get(0));
        for (NodeProcess n : three) {
            JsonNode other = Clusters.cluster(n);
            for (JsonNode e : view.path("nodes")) {
                String id = e.path("id").asText();
                assertEquals(Clusters.tokens(view, id), Clusters.tokens(other, id), "token metadata agrees on " + n.name());
            }
        }
        java.util.TreeMap<Long, String> ring = new java.util.TreeMap<>();
        for (JsonNode e : view.path("nodes")) {
            for (String t : Clusters.tokens(view, e.path("id").asText())) ring.put(Long.parseLong(t), e.path("id").asText());
        }
        ok(c1.cql("CREATE KEYSPACE rf2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}"));
        ok(c1.cql("CREATE TABLE rf2.t (k int PRIMARY KEY, v text)"));
        java.util.Map<String, Integer> expected = new java.util.HashMap<>();
        for (int k = 0; k < 60; k++) {
            ok(c1.cqlAt("ALL", "INSERT INTO rf2.t (k, v) VALUES (?, ?)", k, "x"));
            long token = ok(c1.cql("SELECT token(k) FROM rf2.t WHERE k = ?", k)).rows().get(0)
                    .path("system.token(k)").asLong();
            for (NodeProcess n : three) {
                assertEquals(token, ok(SibylClient.of(n.baseUrl()).cql("SELECT token(k) FROM rf2.t WHERE k = ?", k))
                        .rows().get(0).path("system.token(k)").asLong(), "token(k) agrees on " + n.name());
            }
            // SimpleStrategy: the first two distinct nodes clockwise from the token's position
            java.util.LinkedHashSet<String> replicas = new java.util.LinkedHashSet<>();
            var walk = new ArrayList<>(ring.tailMap(token, true).values());
            walk.addAll(ring.headMap(token, false).values());
            for (String id : walk) {
                replicas.add(id);
                if (replicas.size() == 2) break;
            }
            for (String id : replicas) expected.merge(id, 1, Integer::sum);
        }
        for (NodeProcess n : three) {
            int stored = 0;
            for (JsonNode t : ok(SibylClient.of(n.baseUrl()).get("/v1/admin/tables")).body().path("tables")) {
                if (t.path("keyspace").asText().equals("rf2")) stored = t.path("memtablePartitions").asInt();
            }
            assertEquals(expected.getOrDefault(id(n), 0), stored, n.name() + " holds exactly the keys it replicates");
        }
    }
}
