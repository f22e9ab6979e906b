package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.id;
import static io.sibyl.it.Clusters.startAll;
import static io.sibyl.it.RemoveNodeIT.listed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Faults during a bootstrap (docs/operations.md, "Recovery of a failed change"), in a loaded 3-node RF=2
 * cluster with slow streams ({@code stream_throughput_outbound} 0.1 MiB/s) while QUORUM writes run:
 * the joining node killed -9 mid-stream and restarted with its data directory resumes and finishes the join;
 * a streaming source killed -9 mid-stream aborts the join (rolled back, the joining node forgotten), and the
 * cluster takes the same node's join again once the source is back. Either way no acknowledged row is lost:
 * with one original node stopped, every one reads at ONE from every live node.
 */
class TopologyFaultsIT {
    private static final Duration CHANGE = Duration.ofMinutes(3);
    private static final int ROWS = 2000;
    private static final String PAD = "p".repeat(2000);
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Set<Integer> acked = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean writing = new AtomicBoolean();
    private Thread writer;

    @AfterEach
    void stopAll() throws Exception {
        stopWriter();
        for (NodeProcess n : nodes) n.close();
    }

    // soak: TopologyChangeTest.aJoiningNodeKilledWhileStreamingResumesAfterRestart runs the same resume in CI, in one JVM
    @Tag("soak")
    @Test
    void aJoiningNodeKilledMidStreamResumesWhenRestarted() throws Exception {
        Path work = NodeProcess.workDir("TopologyFaultsIT-joiner");
        List<NodeProcess> three = loadedCluster(work);
        NodeProcess n1 = three.get(0);
        NodeProcess n4 = joiner(work, three);
        startWriter(three);
        n4.start();
        String session = awaitIncomingBytes(n4).path("session_id").asText();
        String id4 = id(n4);
        n4.kill9();

        // The change stays in the log (STREAMING); n4 restarted with its data directory fetches the rest.
        JsonNode during = Clusters.cluster(n1).path("topology_change");
        assertEquals("JOIN", during.path("kind").asText(), during.toString());
        assertEquals(id4, during.path("node").asText(), during.toString());
        n4.start();
        n4.awaitReady(CHANGE);
        assertEquals(id4, id(n4), "n4 kept its identity");
        awaitCluster(n1, CHANGE, c -> c.path("topology_change").isNull() && Clusters.count(c, "UN") == 4);
        stopWriter();
        // Resumed, not aborted and started over: every fetch after the restart belongs to the same session.
        JsonNode sessions = SibylClient.of(n4.baseUrl()).get("/v1/admin/streams").body().path("sessions");
        assertTrue(sessions.size() > 0, sessions.toString());
        for (JsonNode s : sessions) {
            if (s.path("direction").asText().equals("incoming")) {
                assertEquals(session, s.path("session_id").asText(), "the join resumed under its session: " + sessions);
                assertEquals("succeeded", s.path("state").asText(), s.toString());
            }
        }

        n1.terminate(Duration.ofSeconds(30));
        for (NodeProcess n : List.of(three.get(1), three.get(2), n4)) {
            Clusters.assertAllReadable(SibylClient.of(n.baseUrl()), acked, n.name() + " after the resumed join");
        }
    }

    /** 78-102 s here (two joins, two node restarts, three read-backs): a soak, run with -Dsoak=true. */
    @Test
    @Tag("soak")
    void aStreamingSourceKilledMidStreamAbortsTheJoinAndNoAcknowledgedRowIsLost() throws Exception {
        Path work = NodeProcess.workDir("TopologyFaultsIT-source");
        List<NodeProcess> three = loadedCluster(work);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        NodeProcess n4 = joiner(work, three);
        startWriter(List.of(n1, n2));
        n4.start();
        // n3 is a source of the join (it has an outgoing session with bytes sent) when it dies.
        awaitIncomingBytes(n4);
        String id4 = id(n4);
        awaitOutgoingBytes(n3, id4);
        n3.kill9();

        // The join is aborted and rolled back: n4 is forgotten, no change runs, n4 never became ready.
        awaitCluster(n1, CHANGE, c -> c.path("topology_change").isNull() && !listed(c, id4));
        assertEquals(503, SibylClient.of(n4.baseUrl()).get("/ready").status(), "an aborted joiner stays not-ready");
        stopWriter();
        for (NodeProcess n : List.of(n1, n2)) {
            Clusters.assertAllReadable(SibylClient.of(n.baseUrl()), acked, n.name() + " after the aborted join");
        }

        // n3 back; n4 restarted with its data directory joins again and finishes.
        n3.start().awaitReady(CHANGE);
        n4.kill9();
        n4.start();
        n4.awaitReady(CHANGE);
        awaitCluster(n1, CHANGE, c -> c.path("topology_change").isNull() && Clusters.count(c, "UN") == 4);
        n2.terminate(Duration.ofSeconds(30));
        for (NodeProcess n : List.of(n1, n3, n4)) {
            Clusters.assertAllReadable(SibylClient.of(n.baseUrl()), acked, n.name() + " after the second join");
        }
    }

    /** Three nodes, RF 2, {@link #ROWS} rows of 2 KiB written at QUORUM (part flushed). */
    private List<NodeProcess> loadedCluster(Path work) throws Exception {
        Path conf = work.resolve("slow-streams.conf");
        Files.writeString(conf, "sibyl.streaming.stream_throughput_outbound = 0.1\n"
                + "sibyl.streaming.idle_timeout = 5s\n");
        List<NodeProcess> three = Clusters.threeNodes(work, List.of("--config", conf.toString()));
        nodes.addAll(three);
        startAll(three);
        awaitCluster(three.get(0), CHANGE, c -> Clusters.count(c, "UN") == 3 && c.path("topology_change").isNull());
        SibylClient c1 = SibylClient.of(three.get(0).baseUrl());
        ok(c1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}"));
        ok(c1.cql("CREATE TABLE ks.kv (k int PRIMARY KEY, v text)"));
        for (int from = 0; from < ROWS; from += 500) {
            StringBuilder ndjson = new StringBuilder();
            for (int k = from; k < from + 500; k++) {
                ndjson.append("{\"k\":").append(k).append(",\"v\":\"v").append(k).append(PAD).append("\"}\n");
            }
            ok(c1.post("/v1/keyspaces/ks/tables/kv/rows:bulk?consistency=QUORUM", ndjson.toString()));
            for (int k = from; k < from + 500; k++) acked.add(k);
            if (from == 0) ok(c1.post("/v1/admin/flush?keyspace=ks", ""));
        }
        return three;
    }

    private NodeProcess joiner(Path work, List<NodeProcess> three) throws Exception {
        Path conf = work.resolve("slow-streams.conf");
        NodeProcess n4 = new NodeProcess("n4", work.resolve("n4"), NodeProcess.freePort(),
                List.of("--config", conf.toString()))
                .withSeeds(List.of(three.get(0).clusterAddress(), three.get(1).clusterAddress()), "dc1", "rack4");
        nodes.add(n4);
        return n4;
    }

    /** Waits until the joining node has received some but not all of its data; that incoming session. */
    private static JsonNode awaitIncomingBytes(NodeProcess n4) throws Exception {
        long deadline = System.nanoTime() + CHANGE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = SibylClient.of(n4.baseUrl()).get("/v1/admin/streams").body();
                for (JsonNode s : last.path("sessions")) {
                    if (s.path("direction").asText().equals("incoming") && s.path("bytes_done").asLong() > 0) {
                        assertFalse(s.path("state").asText().equals("succeeded"), "streaming not slow enough: " + s);
                        return s;
                    }
                }
            } catch (java.io.IOException notUpYet) {
                // HTTP not bound yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("n4 received no streamed bytes: " + last);
    }

    private static void awaitOutgoingBytes(NodeProcess source, String peer) throws Exception {
        long deadline = System.nanoTime() + CHANGE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = SibylClient.of(source.baseUrl()).get("/v1/admin/streams").body();
            for (JsonNode s : last.path("sessions")) {
                if (s.path("direction").asText().equals("outgoing") && s.path("peer").asText().equals(peer)
                        && s.path("bytes_done").asLong() > 0) {
                    assertFalse(s.path("state").asText().equals("succeeded"), "streaming not slow enough: " + s);
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(source.name() + " sent nothing to " + peer + ": " + last);
    }

    private void startWriter(List<NodeProcess> coordinators) {
        writing.set(true);
        writer = new Thread(() -> {
            int k = 100_000;
            while (writing.get()) {
                try {
                    SibylClient c = SibylClient.of(coordinators.get(k % coordinators.size()).baseUrl());
                    if (c.cqlAt("QUORUM", "INSERT INTO ks.kv (k, v) VALUES (?, ?)", k, "v" + k).status() == 200) acked.add(k);
                    Thread.sleep(5); // a steady load, not a flood: every acknowledged row is read back
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    // not acknowledged: not checked
                }
                k++;
            }
        });
        writer.start();
    }

    private void stopWriter() throws InterruptedException {
        writing.set(false);
        if (writer != null) writer.join();
    }
}
