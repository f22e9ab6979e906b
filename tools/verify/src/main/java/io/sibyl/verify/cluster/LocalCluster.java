package io.sibyl.verify.cluster;

import io.sibyl.launcher.LogTail;
import io.sibyl.launcher.NodePorts;
import io.sibyl.verify.client.CqlClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Nodes on this machine on free ports, each in its own JVM and data directory; the first two are the seeds
 * (never decommissioned, so every later node and restart joins through them). {@link #addNode()} makes one more
 * (the topology nemesis bootstraps it); {@link #close()} kills every node this cluster ever started.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final List<String> jvmOpts;
    private final List<String> seeds;
    private final List<Node> started = new ArrayList<>();

    private LocalCluster(Path dir, List<String> jvmOpts, List<String> seeds) {
        this.dir = dir;
        this.jvmOpts = jvmOpts;
        this.seeds = seeds;
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
        LocalCluster c = new LocalCluster(dir, jvmOpts, List.copyOf(seeds));
        for (int i = 0; i < n; i++) {
            c.started.add(Node.launched("n" + (i + 1), http[i], cluster[i], dir.resolve("n" + (i + 1)).toAbsolutePath(), seeds, jvmOpts));
        }
        for (Node node : c.nodes()) {
            node.start();
        }
        for (Node node : c.nodes()) {
            if (!awaitReady(node, client, readyTimeout)) {
                c.close();
                throw new IOException(node.name() + " not ready after " + readyTimeout + "; end of its log:\n" + LogTail.of(node.log(), 40));
            }
        }
        return c;
    }

    /** Every node started so far, in order (including ones that have since left). */
    public synchronized List<Node> nodes() {
        return List.copyOf(started);
    }

    /** The seeds' cluster addresses. */
    public List<String> seeds() {
        return seeds;
    }

    /** A new node on free ports joining through the seeds; not yet started. */
    public synchronized Node addNode() throws IOException {
        String name = "n" + (started.size() + 1);
        Node n = Node.launched(name, freePort(), freePort(), dir.resolve(name).toAbsolutePath(), seeds, jvmOpts);
        started.add(n);
        return n;
    }

    /** Polls {@code /ready} until 200 (NORMAL and serving); false when the node died or the timeout passed. */
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

    /** A free port outside the ephemeral range, so a node the nemesis kills can restart on it. */
    private static int freePort() throws IOException {
        return NodePorts.restartSafe();
    }

    @Override
    public void close() throws InterruptedException {
        for (Node n : nodes()) {
            try {
                n.resume();   // a paused JVM ignores SIGTERM until continued
            } catch (IOException e) {
                // already gone
            }
        }
        for (Node n : nodes()) {
            n.kill();
        }
    }
}
