package io.sibyl.verify.cluster;

import io.sibyl.verify.client.CqlClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** N nodes on this machine on free ports, each in its own JVM and data directory; the first two are the seeds. */
public final class LocalCluster implements AutoCloseable {
    private final List<Node> nodes;

    private LocalCluster(List<Node> nodes) {
        this.nodes = nodes;
    }

    public static LocalCluster start(int n, Path dir, List<String> jvmOpts, Duration readyTimeout, CqlClient client)
            throws IOException, InterruptedException {
        int[] http = new int[n];
        int[] cluster = new int[n];
        for (int i = 0; i < n; i++) {
            http[i] = freePort();
            cluster[i] = freePort();
        }
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < Math.min(2, n); i++) {
            seeds.add("127.0.0.1:" + cluster[i]);
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(new Node("n" + (i + 1), http[i], cluster[i], dir.resolve("n" + (i + 1)).toAbsolutePath(), seeds, jvmOpts));
        }
        LocalCluster c = new LocalCluster(List.copyOf(nodes));
        for (Node node : nodes) {
            node.start();
        }
        for (Node node : nodes) {
            if (!awaitReady(node, client, readyTimeout)) {
                c.close();
                throw new IOException(node.name() + " not ready after " + readyTimeout + "; end of its log:\n" + tail(node.log()));
            }
        }
        return c;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Polls {@code /ready} until 200; false when the node died or the timeout passed. */
    public static boolean awaitReady(Node node, CqlClient client, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (node.managed() && !node.alive()) {
                return false;
            }
            if (client.send("GET", node.url() + "/ready") == 200) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Node n : nodes) {
            try {
                n.resume();   // a paused JVM ignores SIGTERM until continued
            } catch (IOException e) {
                // already gone
            }
        }
        for (Node n : nodes) {
            n.kill();
        }
    }
}
