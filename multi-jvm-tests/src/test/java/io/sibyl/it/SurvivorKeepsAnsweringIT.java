package io.sibyl.it;

import static io.sibyl.it.Clusters.awaitLog;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two of three nodes (RF 3) killed -9: the survivor is downed by the split brain resolver and restarts
 * its cluster layer in-process, but its HTTP listener, its open connections and its storage stay. A
 * client holding one keep-alive connection to it gets an answer to every request throughout (no refused
 * or reset connection), CL ONE reads of the rows it holds succeed, QUORUM answers UNAVAILABLE; after the
 * two restart, the cluster forms again and QUORUM reads succeed on the same connection. The same for a
 * minority cut off for a minute by the fault-injection switch.
 */
class SurvivorKeepsAnsweringIT {
    /** How long the minority stays cut off (a soak test: runs with {@code -Dsoak=true}). */
    private static final int CUT_OFF_SECONDS = 60;

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void theSurvivorAnswersOnTheSameConnectionThroughTheDowningAndTheRejoin() throws Exception {
        List<NodeProcess> three = Clusters.threeNodes(NodeProcess.workDir("survivor-answers"), List.of());
        nodes.addAll(three);
        Clusters.startAll(three);
        NodeProcess n1 = three.get(0);
        for (NodeProcess n : three) awaitCluster(n, Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        createAndFill(c1);

        try (KeepAliveClient conn = new KeepAliveClient(n1.httpPort()); ReadLoop reads = new ReadLoop(conn, 100)) {
            Thread.sleep(1000);
            three.get(1).kill9();
            three.get(2).kill9();
            awaitLog(n1, "was downed by the cluster; restarting", Duration.ofSeconds(60));
            awaitLog(n1, "new cluster layer serves requests", Duration.ofSeconds(60));
            Thread.sleep(2000);
            assertQuorumRefused(c1);
            int okWhileAlone = reads.ok();

            three.get(1).start();
            three.get(2).start();
            for (NodeProcess n : three) awaitCluster(n, Duration.ofSeconds(120), c -> count(c, "UN") == 3);
            Thread.sleep(1000);
            reads.stopAndCheck(n1);
            assertTrue(okWhileAlone > 50, "CL ONE reads were served while alone: " + reads.outcomes);
            assertConverged(conn);
            System.out.println("SurvivorKeepsAnsweringIT (kill -9) outcomes on one connection: " + new TreeMap<>(reads.outcomes));
        }
    }

    /**
     * A minority cut off by the fault-injection switch for a minute: downed by the majority, it restarts
     * its cluster layer every 20 s while the partition lasts, yet one keep-alive connection to it gets an
     * answer to every request; after healing the cluster converges.
     */
    // soak: NetworkPartitionIT partitions a minority in CI; this test holds the cut-off for a minute
    @Tag("soak")
    @Test
    void aPartitionedMinorityAnswersOnTheSameConnectionWhileCutOff() throws Exception {
        List<NodeProcess> three = Clusters.threeNodes(NodeProcess.workDir("minority-answers"), List.of());
        for (NodeProcess n : three) n.withProperty("sibyl.cluster.fault_injection", "on");
        nodes.addAll(three);
        Clusters.startAll(three);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        for (NodeProcess n : three) awaitCluster(n, Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        SibylClient c2 = SibylClient.of(n2.baseUrl());
        SibylClient c3 = SibylClient.of(n3.baseUrl());
        createAndFill(c1);
        try (KeepAliveClient conn = new KeepAliveClient(n3.httpPort()); ReadLoop reads = new ReadLoop(conn, 100)) {
            Thread.sleep(1000);
            assertEquals(200, c3.post("/v1/admin/fault/partition?peers=" + n1.clusterAddress() + "," + n2.clusterAddress(), "").status());
            assertEquals(200, c1.post("/v1/admin/fault/partition?peers=" + n3.clusterAddress(), "").status());
            assertEquals(200, c2.post("/v1/admin/fault/partition?peers=" + n3.clusterAddress(), "").status());
            long partitioned = System.nanoTime();
            awaitLog(n3, "was downed by the cluster; restarting", Duration.ofSeconds(60));
            assertQuorumRefused(c3);
            long left = Duration.ofSeconds(CUT_OFF_SECONDS).toNanos() - (System.nanoTime() - partitioned);
            if (left > 0) Thread.sleep(left / 1_000_000);
            assertQuorumRefused(c3);
            int okWhileCutOff = reads.ok();

            for (SibylClient c : List.of(c1, c2, c3)) assertEquals(200, c.delete("/v1/admin/fault/partition").status());
            for (NodeProcess n : three) awaitCluster(n, Duration.ofSeconds(120), c -> count(c, "UN") == 3);
            Thread.sleep(1000);
            reads.stopAndCheck(n3);
            assertTrue(okWhileCutOff > CUT_OFF_SECONDS * 8, "CL ONE reads were served while cut off: " + reads.outcomes);
            assertConverged(conn);
            System.out.println("SurvivorKeepsAnsweringIT (partition) outcomes on one connection: " + new TreeMap<>(reads.outcomes));
        }
    }

    private static void createAndFill(SibylClient c) throws Exception {
        assertEquals(200, c.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}").status());
        assertEquals(200, c.cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());
        for (int k = 0; k < 100; k++) {
            SibylClient.Answer a = c.cqlAt("ALL", "INSERT INTO ks.t (k, v) VALUES (?, ?)", k, "v" + k);
            assertEquals(200, a.status(), a.body().toString());
        }
    }

    private static void assertQuorumRefused(SibylClient c) throws Exception {
        SibylClient.Answer quorum = c.cqlAt("QUORUM", "SELECT v FROM ks.t WHERE k = 1");
        assertEquals(503, quorum.status(), quorum.body().toString());
        assertEquals("UNAVAILABLE", quorum.errorCode(), quorum.body().toString());
    }

    /** Everything converges: the same connection reads every row at QUORUM. */
    private static void assertConverged(KeepAliveClient conn) throws Exception {
        for (int k = 0; k < 100; k++) {
            KeepAliveClient.Answer a = conn.cql("QUORUM", "SELECT v FROM ks.t WHERE k = " + k);
            assertEquals(200, a.status(), a.body().toString());
            assertEquals("v" + k, a.body().path("rows").path(0).path("v").asText());
        }
    }

    /** CL ONE reads of rows 0..n-1 in a loop on one keep-alive connection, counting answers by status and code. */
    static final class ReadLoop implements AutoCloseable {
        final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        private final AtomicReference<Throwable> connectionFailure = new AtomicReference<>();
        private final AtomicInteger wrongValues = new AtomicInteger();
        private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        private final Thread thread;

        ReadLoop(KeepAliveClient conn, int rows) {
            thread = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    int k = i++ % rows;
                    try {
                        KeepAliveClient.Answer a = conn.cql("ONE", "SELECT v FROM ks.t WHERE k = " + k);
                        String outcome = a.status() == 200 ? "200" : a.status() + " " + a.body().path("error").path("code").asText();
                        outcomes.computeIfAbsent(outcome, x -> new AtomicInteger()).incrementAndGet();
                        if (a.status() == 200 && !("v" + k).equals(a.body().path("rows").path(0).path("v").asText())) {
                            wrongValues.incrementAndGet();
                        }
                        Thread.sleep(20);
                    } catch (Exception e) {
                        connectionFailure.compareAndSet(null, e);
                        return;
                    }
                }
            }, "keep-alive-reader");
            thread.start();
        }

        int ok() {
            return outcomes.getOrDefault("200", new AtomicInteger()).get();
        }

        void stopAndCheck(NodeProcess node) throws InterruptedException {
            running.set(false);
            thread.join(35_000);
            assertEquals(null, connectionFailure.get(), "the keep-alive connection failed; outcomes " + outcomes
                    + "\n" + node.logTail());
            assertEquals(0, wrongValues.get(), "reads at ONE returned wrong values; outcomes " + outcomes);
            for (String outcome : outcomes.keySet()) {
                // a read routed to a freshly cut-off replica may time out before it is marked down
                assertTrue(outcome.equals("200") || outcome.equals("504 READ_TIMEOUT"), "unexpected answers: " + outcomes);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(35_000);
        }
    }

    /** One HTTP/1.1 keep-alive connection: every request on the same socket, which must never fail. */
    static final class KeepAliveClient implements AutoCloseable {
        record Answer(int status, JsonNode body) {}

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        KeepAliveClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        synchronized Answer cql(String consistency, String query) throws IOException {
            byte[] body = SibylClient.JSON.writeValueAsBytes(Map.of("query", query, "consistency", consistency));
            String head = "POST /v1/cql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            if (status == null) throw new IOException("connection closed by the server");
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                if (h.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
                if (h.toLowerCase().startsWith("connection:") && h.toLowerCase().contains("close")) {
                    throw new IOException("the server closes the connection: " + status);
                }
            }
            if (length < 0) throw new IOException("no Content-Length in the answer " + status);
            byte[] b = in.readNBytes(length);
            if (b.length < length) throw new IOException("connection closed mid-answer");
            return new Answer(code, SibylClient.JSON.readTree(b));
        }

        private String line() throws IOException {
            ByteArrayOutputStream l = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') {
                    String s = l.toString(StandardCharsets.US_ASCII);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                l.write(c);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
