package io.sibyl.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The progress the long-running verbs print when the output is not a terminal (a file, a pipe, this test):
 * plain lines, one per change. Against a fake node that answers from a script.
 */
class ProgressOutputTest {

    private HttpServer server;
    private final Deque<String> clusterAnswers = new ArrayDeque<>();
    private final Deque<String> compactionAnswers = new ArrayDeque<>();
    private final CompletableFuture<String> afterLastCompactionAnswer = new CompletableFuture<>();
    private final ByteArrayOutputStream outBuf = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBuf, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBuf, true, StandardCharsets.UTF_8);

    @BeforeEach
    void startFakeNode() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/cluster", ex -> answer(ex, 200, next(clusterAnswers)));
        server.createContext("/v1/admin/compactions", ex -> {
            String body = next(compactionAnswers);
            answer(ex, 200, body);
            if (compactionAnswers.size() == 1) {
                afterLastCompactionAnswer.complete("ok"); // the last (empty) answer served: the request ends
            }
        });
        server.createContext("/v1/admin/decommission", ex -> answer(ex, 202, "{\"message\": \"leaving\"}"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static synchronized String next(Deque<String> answers) {
        // the last answer repeats
        return answers.size() > 1 ? answers.poll() : answers.peek();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private String host() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String cluster(long epoch, boolean listed, String change) {
        return "{\"node\": \"n1\", \"epoch\": " + epoch + ", \"nodes\": ["
                + (listed ? "{\"id\": \"n1\", \"state\": \"UL\", \"address\": \"127.0.0.1\", \"http_port\": 1}" : "") + "]"
                + (change == null ? "" : ", \"topology_change\": " + change) + "}";
    }

    @Test
    void decommissionPrintsALinePerStepAndStreamDone() throws Exception {
        clusterAnswers.addAll(List.of(
                cluster(4, true, null), // read before the POST
                cluster(5, true, "{\"kind\": \"LEAVE\", \"node\": \"n1\", \"step\": \"STREAMING\", \"streamers\": [\"a\", \"b\"], \"streams_done\": []}"),
                cluster(5, true, "{\"kind\": \"LEAVE\", \"node\": \"n1\", \"step\": \"STREAMING\", \"streamers\": [\"a\", \"b\"], \"streams_done\": []}"),
                cluster(6, true, "{\"kind\": \"LEAVE\", \"node\": \"n1\", \"step\": \"STREAMING\", \"streamers\": [\"a\", \"b\"], \"streams_done\": [\"a\"]}"),
                cluster(7, false, null)));
        int code = new TopologyProgress(out, err).run(NodeOptions.of(host(), null, null, null).client(),
                "/v1/admin/decommission", null, "decommission", Duration.ofMillis(5), Duration.ofSeconds(10));
        assertEquals(0, code, errBuf.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(
                "decommission of node n1 started: leaving",
                "epoch 5: LEAVE of n1 at STREAMING, streams done 0/2",
                "epoch 6: LEAVE of n1 at STREAMING, streams done 1/2",
                "decommission of node n1 done: it has left the ring (epoch 7)"),
                outBuf.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void cleanupShowsTheBytesOfItsCompactions() throws Exception {
        compactionAnswers.addAll(List.of(
                "{\"running\": [{\"keyspace\": \"ks\", \"table\": \"t\", \"bytes_done\": 10, \"bytes_total\": 100},"
                        + " {\"keyspace\": \"other\", \"table\": \"u\", \"bytes_done\": 5, \"bytes_total\": 5}]}",
                "{\"running\": [{\"keyspace\": \"ks\", \"table\": \"t\", \"bytes_done\": 60, \"bytes_total\": 100}]}",
                "{\"running\": []}"));
        try (Progress p = Progress.start(out, "cleanup", "bytes")) {
            assertFalse(p.isBar(), "not System.out: lines");
            CompactionProgress.await(NodeOptions.of(host(), null, null, null).client(), afterLastCompactionAnswer, p, "ks", "t", Duration.ofMillis(5));
        }
        List<String> lines = outBuf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("cleanup: 10/100 1 running", lines.get(0), lines.toString());
        assertTrue(lines.contains("cleanup: 60/100 1 running"), lines.toString());
        assertEquals(lines.size(), Set.copyOf(lines).size(), "a line per change only: " + lines);
    }

    @Test
    void localClusterCountsNodesUp() throws Exception {
        LocalClusterCommand cmd = new LocalClusterCommand();
        new CommandLine(cmd).parseArgs("--nodes", "3", "--data-dir", Path.of("target", "lc-progress").toString(), "--ready-timeout", "PT10S");
        cmd.printTo(out, err);
        List<LocalClusterCommand.Running> running = cmd.plan().stream()
                .map(p -> new LocalClusterCommand.Running(p, new AliveProcess())).toList();
        // node1 is ready at the first poll, node0 at the second, node2 at the fourth
        ConcurrentHashMap<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        boolean ok = cmd.awaitReady(running, p -> {
            int n = asked.computeIfAbsent(p.name(), k -> new AtomicInteger()).incrementAndGet();
            return switch (p.name()) {
                case "node1" -> true;
                case "node0" -> n >= 2;
                default -> n >= 4;
            };
        }, Duration.ofMillis(1));
        assertTrue(ok, errBuf.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(
                "nodes ready: 0/3 starting",
                "nodes ready: 1/3 node1 is ready",
                "nodes ready: 2/3 node0 is ready",
                "nodes ready: 3/3 node2 is ready"),
                outBuf.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void localClusterGivesUpAfterTheReadyTimeout() throws Exception {
        LocalClusterCommand cmd = new LocalClusterCommand();
        new CommandLine(cmd).parseArgs("--nodes", "2", "--data-dir", Path.of("target", "lc-progress").toString(), "--ready-timeout", "PT0.05S");
        cmd.printTo(out, err);
        List<LocalClusterCommand.Running> running = cmd.plan().stream()
                .map(p -> new LocalClusterCommand.Running(p, new AliveProcess())).toList();
        assertFalse(cmd.awaitReady(running, p -> p.name().equals("node0"), Duration.ofMillis(5)));
        assertTrue(outBuf.toString(StandardCharsets.UTF_8).contains("nodes ready: 1/2 node0 is ready"));
        assertTrue(errBuf.toString(StandardCharsets.UTF_8).contains("not ready after PT0.05S: [node1]"),
                errBuf.toString(StandardCharsets.UTF_8));
    }

    /** A process that stays alive (the fake nodes never exit). */
    private static final class AliveProcess extends Process {
        @Override
        public java.io.OutputStream getOutputStream() {
            return java.io.OutputStream.nullOutputStream();
        }

        @Override
        public java.io.InputStream getInputStream() {
            return java.io.InputStream.nullInputStream();
        }

        @Override
        public java.io.InputStream getErrorStream() {
            return java.io.InputStream.nullInputStream();
        }

        @Override
        public int waitFor() {
            return 0;
        }

        @Override
        public int exitValue() {
            throw new IllegalThreadStateException("alive");
        }

        @Override
        public void destroy() {
        }

        @Override
        public boolean isAlive() {
            return true;
        }
    }
}
