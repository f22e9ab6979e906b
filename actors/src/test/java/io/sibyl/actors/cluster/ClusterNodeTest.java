package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.ring.NodeId;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes (three ActorSystems in this JVM, Artery TCP on loopback) form a cluster, agree on
 * the ring, and keep the tokens of a node that left or crashed while marking it DN; a restarted
 * node finds the ring
 * in its durable store before it can reach anyone.
 */
class ClusterNodeTest {

    private static final int NUM_TOKENS = 8;
    private static final Duration FORM = Duration.ofSeconds(40);
    private static final Duration CHANGE = Duration.ofSeconds(25);

    @TempDir
    Path tmp;

    private final List<ActorTestKit> kits = new ArrayList<>();

    record TestNode(ActorTestKit kit, ClusterNode node) {
        RingView view() {
            return node.ringView().current();
        }

        NodeId id() {
            return node.id();
        }
    }

    @AfterEach
    void stopAll() {
        for (ActorTestKit kit : kits) {
            try {
                kit.shutdownTestKit();
            } catch (RuntimeException e) {
                // already stopped, or slow to stop: the next test uses fresh ports and directories
            }
        }
    }

    private TestNode start(String name, int port, int seedPort) {
        return start(name, port, seedPort, "");
    }

    private TestNode start(String name, int port, int seedPort, String extraConfig) {
        Path dataDir = tmp.resolve(name);
        Config config = ConfigFactory.parseString(String.format("""
                sibyl.data_dir = "%s"
                sibyl.cluster {
                  host = "127.0.0.1"
                  port = %d
                  seeds = ["127.0.0.1:%d"]
                  num_tokens = %d
                  rack = "rack-%s"
                  exit_jvm_on_shutdown = off
                  ring_write_timeout = 2s
                }
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.loglevel = WARNING
                %s
                """, dataDir.toString().replace("\\", "/"), port, seedPort, NUM_TOKENS, name, extraConfig))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        ClusterSettings settings = ClusterSettings.from(config);
        ActorTestKit kit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME,
                settings.toPekkoConfig().withFallback(config).resolve());
        kits.add(kit);
        ClusterNode node = ClusterNode.start(kit.system(), settings, dataDir, 8000 + port % 1000);
        return new TestNode(kit, node);
    }

    @Test
    void nodesConvergeOnOneRingAndAStoppedNodeIsDownButKeepsItsTokens() throws Exception {
        int[] ports = freePorts(4);
        TestNode a = start("a", ports[0], ports[0]);
        TestNode b = start("b", ports[1], ports[0]);
        // Terminating c's system skips the clean leave: it looks like a crash to the others.
        TestNode c = start("c", ports[2], ports[0], "pekko.coordinated-shutdown.run-by-actor-system-terminate = off");
        List<TestNode> all = List.of(a, b, c);
        for (TestNode n : all) {
            n.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        }

        Set<NodeId> ids = Set.of(a.id(), b.id(), c.id());
        Set<Long> allTokens = new HashSet<>();
        all.forEach(n -> allTokens.addAll(n.node().identity().tokens()));
        assertEquals(3 * NUM_TOKENS, allTokens.size());

        awaitTrue(FORM, () -> all.stream().allMatch(n -> {
            RingView v = n.view();
            return v.records().keySet().equals(ids)
                    && ids.stream().allMatch(id -> v.state(id) == NodeState.UN)
                    && new HashSet<>(v.ring().sortedTokens()).equals(allTokens);
        }), () -> "views did not converge: " + views(all));

        for (TestNode n : all) {
            RingView v = n.view();
            assertEquals(n.id(), v.selfId());
            for (TestNode other : all) {
                assertEquals(other.node().identity().tokens(), v.ring().tokensOf(other.id()));
                var info = v.ring().node(other.id()).orElseThrow();
                assertEquals(8000 + info.clusterPort() % 1000, info.httpPort(), "HTTP port travels in NodeInfo");
                assertEquals("rack-" + List.of("a", "b", "c").get(all.indexOf(other)), info.rack());
            }
            assertEquals(3, v.liveNodes().size());
        }
        long versionBefore = a.view().version();

        // b leaves cleanly (as a SIGTERM'd node does): the others see it DN at once, tokens kept.
        b.node().leave().toCompletableFuture().get(CHANGE.toSeconds(), TimeUnit.SECONDS);
        b.kit().shutdownTestKit();
        for (TestNode n : List.of(a, c)) {
            awaitTrue(CHANGE, () -> n.view().state(b.id()) == NodeState.DN,
                    () -> "b not DN on " + n.id() + ": " + n.view());
            assertKeepsTokens(n.view(), b, 3 * NUM_TOKENS);
        }
        assertTrue(a.view().version() > versionBefore);

        // c crashes (no leave): a sees it unreachable, hence DN, and keeps its tokens too.
        c.kit().system().terminate();
        awaitTrue(CHANGE, () -> a.view().state(c.id()) == NodeState.DN, () -> "c not DN on a: " + a.view());
        assertKeepsTokens(a.view(), c, 3 * NUM_TOKENS);
        assertEquals(List.of(a.id()), a.view().liveNodes().stream().map(i -> i.id()).toList());
        c.kit().system().getWhenTerminated().toCompletableFuture().get(CHANGE.toSeconds(), TimeUnit.SECONDS);

        // Restart c from its data directory with an unreachable seed: its durable store alone must
        // give it the ring, with its own id and tokens unchanged.
        TestNode c2 = start("c", ports[2], ports[3]);
        assertEquals(c.id(), c2.id());
        assertEquals(c.node().identity().tokens(), c2.node().identity().tokens());
        awaitTrue(CHANGE, () -> c2.view().records().keySet().equals(ids)
                        && new HashSet<>(c2.view().ring().sortedTokens()).equals(allTokens),
                () -> "restarted c does not know the stored ring: " + c2.view());
        assertFalse(c2.view().isAlive(a.id()), "c2 is not a member: it cannot call a live");
    }

    private static void assertKeepsTokens(RingView v, TestNode gone, int totalTokens) {
        assertEquals(totalTokens, v.ring().tokenCount(), "a down node keeps its tokens");
        assertEquals(gone.node().identity().tokens(), v.ring().tokensOf(gone.id()));
        assertFalse(v.isAlive(gone.id()));
        assertTrue(v.isAlive(v.selfId()));
    }

    private static String views(List<TestNode> nodes) {
        StringBuilder sb = new StringBuilder();
        for (TestNode n : nodes) {
            sb.append("\n  ").append(n.view());
        }
        return sb.toString();
    }

    private static void awaitTrue(Duration max, BooleanSupplier condition, Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message.get());
            }
            Thread.sleep(50);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                out[i] = s.getLocalPort();
            }
            return out;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
