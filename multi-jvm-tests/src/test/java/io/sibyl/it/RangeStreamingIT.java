package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.count;
import static io.sibyl.it.Clusters.id;
import static io.sibyl.it.Clusters.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Range streaming between real node JVMs over Artery, through {@code POST /v1/admin/rebuild}
 * (nodetool rebuild): with hinted handoff off, an RF=3 replica is killed while rows are written,
 * overwritten and deleted at QUORUM; back up, it streams every range it shares with n1 from n1. Then it
 * has n1's data exactly (same Merkle root), both nodes list the session, and alone (the others stopped)
 * it answers every row at ONE with the deleted rows still deleted. Streaming is unthrottled here; the
 * measured rate is logged ("STREAM RATE").
 */
class RangeStreamingIT {
    private static final int OLD_ROWS = 600;
    private static final int NEW_ROWS = 20_000;
    private static final String PAD = "x".repeat(400);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    // soak: range streaming runs in CI through TopologyChangeIT, ReplaceIT and RemoveNodeIT; RangeFetcherTest covers rebuild plans
    @Tag("soak")
    @Test
    void rebuildStreamsTheMissedDataFromASourceNode() throws Exception {
        Path work = NodeProcess.workDir("range-streaming");
        Path conf = work.resolve("streaming.conf");
        Files.writeString(conf, "sibyl.hints.hinted_handoff_enabled = off\n"
                + "sibyl.streaming.stream_throughput_outbound = 0\n");
        List<NodeProcess> three = Clusters.threeNodes(work, List.of("--config", conf.toString()));
        nodes.addAll(three);
        Clusters.startAll(three);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        awaitCluster(n1, Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        ok(c1.cql("CREATE KEYSPACE rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(c1.cql("CREATE TABLE rf3.t (k int PRIMARY KEY, v text)"));
        ok(c1.post("/v1/keyspaces/rf3/tables/t/rows:bulk?consistency=ALL", rows(0, OLD_ROWS, "old")));

        String id1 = id(n1);
        String id3 = id(n3);
        n3.kill9();
        awaitCluster(n1, Duration.ofSeconds(15), c -> state(c, id3).equals("DN"));
        awaitCluster(n2, Duration.ofSeconds(15), c -> state(c, id3).equals("DN"));
        for (int from = OLD_ROWS; from < OLD_ROWS + NEW_ROWS; from += 5_000) {
            ok(c1.post("/v1/keyspaces/rf3/tables/t/rows:bulk?consistency=QUORUM", rows(from, from + 5_000, "new")));
        }
        int deleted = 0;
        for (int k = 0; k < OLD_ROWS; k++) {
            if (k % 3 == 0) {
                ok(c1.cqlAt("QUORUM", "DELETE FROM rf3.t WHERE k = ?", k));
                deleted++;
            } else if (k % 3 == 1) {
                ok(c1.cqlAt("QUORUM", "UPDATE rf3.t SET v = ? WHERE k = ?", "updated" + k, k));
            }
        }
        ok(c1.post("/v1/admin/flush?keyspace=rf3", "")); // part of the source's data in SSTables, part in memtables
        ok(c1.cqlAt("QUORUM", "UPDATE rf3.t SET v = ? WHERE k = ?", "memtable", 1));

        n3.start().awaitReady(Clusters.READY);
        for (NodeProcess n : three) {
            awaitCluster(n, Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        }
        assertNotEquals(root(n1), root(n3), "n3 missed writes and deletes");

        SibylClient c3 = SibylClient.of(n3.baseUrl());
        long t0 = System.nanoTime();
        JsonNode rebuilt = ok(c3.post("/v1/admin/rebuild?keyspace=rf3&source=" + id1, "")).body();
        double secs = (System.nanoTime() - t0) / 1e9;
        long bytes = rebuilt.path("bytes").asLong();
        System.out.printf("STREAM RATE (RangeStreamingIT, unthrottled, two node JVMs over Artery loopback): "
                + "%d partitions, %d bytes, %d ranges in %.2f s = %.1f MiB/s%n", rebuilt.path("partitions").asLong(),
                bytes, rebuilt.path("ranges").asInt(), secs, bytes / secs / (1 << 20));
        assertTrue(rebuilt.path("ranges").asInt() > 0, rebuilt.toString());
        assertTrue(rebuilt.path("partitions").asLong() >= OLD_ROWS + NEW_ROWS, rebuilt.toString());
        assertEquals(root(n1), root(n3), "n3 has n1's data, tombstones included");

        JsonNode incoming = ok(c3.get("/v1/admin/streams")).body().path("sessions").get(0);
        assertEquals("incoming", incoming.path("direction").asText(), incoming.toString());
        assertEquals("succeeded", incoming.path("state").asText(), incoming.toString());
        assertEquals(id1, incoming.path("peer").asText());
        assertEquals(incoming.path("ranges_total").asLong(), incoming.path("ranges_done").asLong(), incoming.toString());
        assertEquals(bytes, incoming.path("bytes_done").asLong(), incoming.toString());
        JsonNode outgoing = ok(c1.get("/v1/admin/streams")).body().path("sessions").get(0);
        assertEquals("outgoing", outgoing.path("direction").asText(), outgoing.toString());
        assertEquals(id3, outgoing.path("peer").asText());

        // n3 alone: everything it answers at ONE comes from its own storage
        n1.terminate(Duration.ofSeconds(30));
        n2.terminate(Duration.ofSeconds(30));
        awaitCluster(n3, Duration.ofSeconds(15), c -> count(c, "DN") == 2);
        JsonNode counted = ok(c3.cqlAt("ONE", "SELECT count(*) FROM rf3.t")).rows();
        assertEquals(OLD_ROWS + NEW_ROWS - deleted, counted.get(0).path("count").asInt());
        for (int k = 0; k < OLD_ROWS; k++) {
            JsonNode rows = ok(c3.cqlAt("ONE", "SELECT v FROM rf3.t WHERE k = ?", k)).rows();
            if (k % 3 == 0) {
                assertEquals(0, rows.size(), "deleted row " + k + " stays deleted: " + rows);
            } else {
                String want = k == 1 ? "memtable" : k % 3 == 1 ? "updated" + k : "old" + k;
                assertEquals(want, rows.get(0).path("v").asText());
            }
        }
        for (int k = OLD_ROWS; k < OLD_ROWS + NEW_ROWS; k += 997) {
            assertEquals("new" + k + PAD, ok(c3.cqlAt("ONE", "SELECT v FROM rf3.t WHERE k = ?", k)).rows().get(0)
                    .path("v").asText());
        }
    }

    private static String rows(int from, int to, String prefix) {
        StringBuilder ndjson = new StringBuilder();
        for (int k = from; k < to; k++) {
            String v = prefix.equals("new") ? prefix + k + PAD : prefix + k;
            ndjson.append("{\"k\":").append(k).append(",\"v\":\"").append(v).append("\"}\n");
        }
        return ndjson.toString();
    }

    private static String root(NodeProcess n) throws Exception {
        return ok(SibylClient.of(n.baseUrl()).get("/v1/admin/merkle?keyspace=rf3&table=t&depth=10")).body()
                .path("root").asText();
    }
}
