package io.sibyl.it;

import static io.sibyl.it.Clusters.awaitCluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's "done when", scripted as an operator would (docs/operations.md, "Topology changes"): a 3-node
 * RF=2 cluster grows to 5 nodes ({@code sibyl start --seeds}) and shrinks back to 3 with the CLI
 * ({@code sibyl decommission --host}) while QUORUM writes run through every live node; afterwards every
 * acknowledged write reads at QUORUM from each remaining node. Soak: several minutes on a loaded machine.
 */
@Tag("soak")
class GrowAndShrinkUnderLoadIT {
    private static final Duration CHANGE = Duration.ofMinutes(4);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void threeToFiveToThreeUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        Path work = NodeProcess.workDir("GrowAndShrinkUnderLoadIT");
        List<NodeProcess> three = Clusters.threeNodes(work, List.of());
        nodes.addAll(three);
        for (NodeProcess n : three) n.start();
        for (NodeProcess n : three) n.awaitReady(CHANGE);
        NodeProcess n1 = three.get(0);
        awaitCluster(n1, CHANGE, c -> Clusters.count(c, "UN") == 3 && c.path("topology_change").isNull());
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        assertEquals(200, c1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}").status());
        assertEquals(200, c1.cql("CREATE TABLE ks.kv (k int PRIMARY KEY, v text)").status());

        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger failed = new AtomicInteger();
        List<NodeProcess> coordinators = new java.util.concurrent.CopyOnWriteArrayList<>(three);
        Thread writer = new Thread(() -> {
            int k = 0;
            while (writing.get()) {
                NodeProcess n = coordinators.get(k % coordinators.size());
                try {
                    if (SibylClient.of(n.baseUrl()).cqlAt("QUORUM", "INSERT INTO ks.kv (k, v) VALUES (?, ?)", k, "v" + k)
                            .status() == 200) {
                        acked.add(k);
                    } else {
                        failed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet(); // not acknowledged: not checked
                }
                k++;
            }
        }, "quorum-writer");
        writer.start();
        try {
            List<String> seeds = List.of(n1.clusterAddress(), three.get(1).clusterAddress());
            List<NodeProcess> added = new ArrayList<>();
            for (int i = 4; i <= 5; i++) {
                NodeProcess n = new NodeProcess("n" + i, work.resolve("n" + i), NodeProcess.freePort(), List.of())
                        .withSeeds(seeds, "dc1", "rack" + i);
                nodes.add(n);
                added.add(n);
                n.start().awaitReady(CHANGE);
                int size = 3 + added.size();
                awaitCluster(n1, CHANGE, c -> Clusters.count(c, "UN") == size && c.path("topology_change").isNull());
                coordinators.add(n);
            }
            // shrink back with the CLI, newest first; each decommissioned node stops
            for (int i = added.size() - 1; i >= 0; i--) {
                NodeProcess n = added.get(i);
                coordinators.remove(n);
                Path out = work.resolve("decommission-" + n.name() + ".out");
                Process cli = cli(out, "decommission", "--host", n.baseUrl(), "--poll-interval", "PT0.5S");
                assertTrue(cli.waitFor(CHANGE.toSeconds(), TimeUnit.SECONDS), "sibyl decommission did not finish");
                assertEquals(0, cli.exitValue(), "sibyl decommission of " + n.name() + ":\n"
                        + java.nio.file.Files.readString(out));
                assertTrue(n.waitForExit(CHANGE), n.name() + " did not stop after its decommission");
            }
            awaitCluster(n1, CHANGE, c -> Clusters.count(c, "UN") == 3 && c.path("nodes").size() == 3
                    && c.path("topology_change").isNull());
        } finally {
            writing.set(false);
            writer.join(30_000);
        }
        assertTrue(acked.size() > 100, "the writer made progress: " + acked.size() + " acknowledged, " + failed + " failed");
        for (NodeProcess n : three) {
            List<Integer> missing = new ArrayList<>();
            SibylClient c = SibylClient.of(n.baseUrl());
            for (int k : acked) {
                SibylClient.Answer a = c.cqlAt("QUORUM", "SELECT v FROM ks.kv WHERE k = ?", k);
                if (a.status() != 200 || a.rows().size() != 1) missing.add(k);
            }
            assertTrue(missing.isEmpty(), n.name() + ": " + missing.size() + " of " + acked.size()
                    + " acknowledged rows not found at QUORUM, e.g. " + missing.subList(0, Math.min(10, missing.size())));
        }
    }

    /** Runs a {@code sibyl} CLI verb in its own JVM (as an operator would), its output into {@code out}. */
    private static Process cli(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.sibyl.app.Main");
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .directory(new File(System.getProperty("user.dir"))).start();
    }
}
