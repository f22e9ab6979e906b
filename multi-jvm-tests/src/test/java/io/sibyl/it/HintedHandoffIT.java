package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.count;
import static io.sibyl.it.Clusters.id;
import static io.sibyl.it.Clusters.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hinted handoff between real node JVMs: one of three replicas is killed, 10,000 rows are written at
 * QUORUM and more at ANY; the coordinator holding the hints is itself killed and restarted; when the
 * dead replica returns, every hint is delivered ({@code /v1/admin/hints} empties), and that replica
 * alone, with the other two stopped, answers every row at ONE.
 */
class HintedHandoffIT {
    private static final int ROWS = 10_000;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void hintsSurviveACoordinatorRestartAndCatchAReturningReplicaUp() throws Exception {
        List<NodeProcess> three = Clusters.startThreeNodes("hints", nodes);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        ok(c1.cql("CREATE KEYSPACE rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(c1.cql("CREATE TABLE rf3.t (k int PRIMARY KEY, v text)"));
        ok(c1.cql("CREATE KEYSPACE rf1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        ok(c1.cql("CREATE TABLE rf1.t (k int PRIMARY KEY, v text)"));

        String id3 = id(n3);
        n3.kill9();
        long n3Killed = System.nanoTime();
        awaitCluster(n1, Duration.ofSeconds(15), c -> state(c, id3).equals("DN"));
        awaitCluster(n2, Duration.ofSeconds(15), c -> state(c, id3).equals("DN"));

        StringBuilder ndjson = new StringBuilder();
        for (int k = 0; k < ROWS; k++) {
            ndjson.append("{\"k\":").append(k).append(",\"v\":\"v").append(k).append("\"}\n");
        }
        JsonNode bulk = ok(c1.post("/v1/keyspaces/rf3/tables/t/rows:bulk?consistency=QUORUM", ndjson.toString())).body();
        assertEquals(ROWS, bulk.path("written").asInt(), bulk.toString());
        assertEquals(0, bulk.path("failed").asInt(), bulk.toString());
        // ANY: keys whose only replica is the dead node are acknowledged once n1 holds a hint
        for (int k = 0; k < 60; k++) {
            ok(c1.cqlAt("ANY", "INSERT INTO rf1.t (k, v) VALUES (?, ?)", k, "a" + k));
        }
        JsonNode held = hints(n1);
        assertEquals(1, held.size(), "hints only for the dead node: " + held);
        assertEquals(id3, held.get(0).path("node").asText());
        assertTrue(held.get(0).path("hints_pending").asInt() >= ROWS, held.toString());

        // the coordinator dies holding its hints, and comes back with them. Not before the split brain
        // resolver's leader has downed n3 (stable-after 7 s): killing n1 sooner (on a fast machine the writes
        // above take ~4 s) leaves n2 seeing two unreachable members changing within down-all-when-unstable,
        // and SBR downs everyone.
        long settle = n3Killed + Duration.ofSeconds(12).toNanos() - System.nanoTime();
        if (settle > 0) Thread.sleep(settle / 1_000_000);
        n1.kill9();
        n1.start().awaitReady(Clusters.READY);
        long recovered = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (hints(n1).size() == 0 && System.nanoTime() < recovered) Thread.sleep(200);
        assertTrue(hints(n1).get(0).path("hints_pending").asInt() >= ROWS, "hints are durable: " + hints(n1));

        n3.start().awaitReady(Clusters.READY);
        for (NodeProcess n : List.of(n1, n2)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (hints(n).size() > 0 && System.nanoTime() < deadline) Thread.sleep(500);
            assertEquals(0, hints(n).size(), n.name() + " delivered every hint: " + hints(n));
        }
        SibylClient c3 = SibylClient.of(n3.baseUrl());
        for (int k = 0; k < 60; k++) {
            JsonNode rows = ok(c1.cqlAt("ONE", "SELECT v FROM rf1.t WHERE k = ?", k)).rows();
            assertEquals("a" + k, rows.get(0).path("v").asText(), "ANY write " + k + " arrived");
        }

        // n3 alone answers every row written while it was down
        // Stopped cleanly (they leave the membership, keeping their tokens): two nodes killed at once
        // would leave n3 a minority that the split brain resolver shuts down (docs/adr/003).
        n1.terminate(Duration.ofSeconds(30));
        n2.terminate(Duration.ofSeconds(30));
        awaitCluster(n3, Duration.ofSeconds(15), c -> count(c, "DN") == 2);
        JsonNode rows = ok(c3.cqlAt("ONE", "SELECT count(*) FROM rf3.t")).rows();
        assertEquals(ROWS, rows.get(0).path("count").asInt());
        for (int k = 0; k < ROWS; k += 997) {
            assertEquals("v" + k, ok(c3.cqlAt("ONE", "SELECT v FROM rf3.t WHERE k = ?", k)).rows().get(0)
                    .path("v").asText());
        }
    }

    private static JsonNode hints(NodeProcess n) throws Exception {
        return ok(SibylClient.of(n.baseUrl()).get("/v1/admin/hints")).body().path("targets");
    }
}
