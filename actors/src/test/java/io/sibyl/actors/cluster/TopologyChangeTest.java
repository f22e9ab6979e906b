package io.sibyl.actors.cluster;

import io.sibyl.actors.streaming.RangeFetchPlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topology changes with real cluster members (ActorSystems in this JVM): nodes join one at a time
 * through every step, a node down for several epochs catches up in order, a decommissioned node ends
 * LEFT and cannot start again, removenode takes a dead node off the ring, and bad requests are refused.
 * Streaming is a recording fake: which node fetched in which change.
 */
class TopologyChangeTest {

    private static final Duration FORM = Duration.ofSeconds(60);
    private static final Duration ASK = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private final List<ActorTestKit> kits = new ArrayList<>();
    private final List<String> fetches = new CopyOnWriteArrayList<>();
    /** Completes the fetches of the next joins (tests that hold a change at STREAMING replace it). */
    private volatile CompletableFuture<Void> streamGate = CompletableFuture.completedFuture(null);

    record TestNode(String name, ActorTestKit kit, ClusterNode node) {
        RingView view() {
            return node.ringView().current();
        }

        NodeId id() {
            return node.id();
        }

        ClusterMetadata metadata() {
            return node.topology().metadata();
        }
    }

    @AfterEach
    void stopAll() {
        for (ActorTestKit kit : kits) {
            try {
                kit.shutdownTestKit();
            } catch (RuntimeException e) {
                // already stopped
            }
        }
    }

    private Config config(String name, int port, int seedPort) {
        return config(name, port, seedPort, "");
    }

    private Config config(String name, int port, int seedPort, String extra) {
        Path dataDir = tmp.resolve(name);
        return ConfigFactory.parseString(String.format("""
                sibyl.data_dir = "%s"
                sibyl.cluster {
                  host = "127.0.0.1"
                  port = %d
                  seeds = ["127.0.0.1:%d"]
                  num_tokens = 4
                  exit_jvm_on_shutdown = off
                  ring_write_timeout = 2s
                }
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.coordinated-shutdown.run-by-actor-system-terminate = off
                pekko.loglevel = INFO
                %s
                """, dataDir.toString().replace("\\", "/"), port, seedPort, extra))
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }

    private TestNode start(String name, int port, int seedPort) {
        return start(name, port, seedPort, "");
    }

    private TestNode start(String name, int port, int seedPort, String extraConfig) {
        Config config = config(name, port, seedPort, extraConfig);
        ClusterSettings settings = ClusterSettings.from(config);
        ActorTestKit kit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, settings.toPekkoConfig().withFallback(config).resolve());
        kits.add(kit);
        ClusterNode node = ClusterNode.start(kit.system(), settings, tmp.resolve(name), 8000 + port % 1000, true);
        node.attachStreaming((m, v) -> {
            fetches.add(m.change().kind() + " " + m.change().node() + " by " + name);
            return streamGate;
        });
        return new TestNode(name, kit, node);
    }

    // soak: TopologyChangeIT and RemoveNodeIT run join, decommission and removenode on real node JVMs in CI
    @Tag("soak")
    @Test
    void joinCatchUpDecommissionAndRemovenode() throws Exception {
        int[] ports = freePorts(4);
        TestNode a = start("a", ports[0], ports[0]);
        TestNode b = start("b", ports[1], ports[0]);
        TestNode c = start("c", ports[2], ports[0]);
        List<TestNode> abc = List.of(a, b, c);
        for (TestNode n : abc) {
            n.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        }
        Set<NodeId> ids = Set.of(a.id(), b.id(), c.id());
        awaitTrue(FORM, () -> abc.stream().allMatch(n -> n.view().records().keySet().equals(ids)
                && ids.stream().allMatch(id -> n.view().state(id) == NodeState.UN)), () -> views(abc));
        // The first node registered as NORMAL; the two others joined one after the other, each streaming.
        assertEquals(2, fetches.stream().filter(f -> f.startsWith("JOIN")).count(), fetches.toString());
        long formed = a.metadata().epoch();
        assertEquals(1 + 2 * 6, formed, "Register, then 6 entries per join (prepare, start, stream, done, mid, finish)");
        awaitTrue(FORM, () -> abc.stream().allMatch(n -> n.view().epoch() == formed), () -> views(abc));

        // c goes down; d joins meanwhile (the barrier needs the live nodes and a NORMAL majority).
        c.kit().system().terminate();
        awaitTrue(FORM, () -> a.view().state(c.id()) == NodeState.DN, () -> "c not DN: " + a.view());
        TestNode d = start("d", ports[3], ports[0]);
        d.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        // d may see FinishChange before a's keeper has applied it.
        awaitTrue(FORM, () -> a.metadata().status(d.id()) == NodeStatus.NORMAL, () -> "d not NORMAL on a: " + a.metadata());
        assertEquals(BootstrapState.COMPLETED, BootstrapState.read(tmp.resolve("d")));
        long afterJoin = a.metadata().epoch();
        assertTrue(afterJoin >= formed + 6);

        // c restarts from its data directory: it applies the epochs it missed, in order, and sees d.
        c.kit().system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        TestNode c2 = start("c", ports[2], ports[0]);
        awaitTrue(FORM, () -> c2.view().epoch() == afterJoin && c2.view().ring().contains(d.id())
                        && c2.view().state(c2.id()) == NodeState.UN,
                () -> "c did not catch up to epoch " + afterJoin + ": " + c2.view());
        assertEquals(a.metadata(), c2.metadata(), "the same log applied in order gives the same metadata");

        // Refusals: removenode of a live node, of an unknown one; decommission of a node that is not NORMAL
        // is refused by the metadata (tested in ClusterMetadataTest).
        assertEquals(TopologyCoordinator.Outcome.REFUSED,
                a.node().requestLeave(b.id(), true, ASK).toCompletableFuture().get().outcome());
        assertEquals(TopologyCoordinator.Outcome.NOT_FOUND,
                a.node().requestLeave(NodeId.of("no-such-node"), true, ASK).toCompletableFuture().get().outcome());

        // Decommission d: every remaining NORMAL node fetches what it gains, d ends LEFT and stops.
        fetches.clear();
        TopologyCoordinator.Reply r = d.node().requestLeave(d.id(), false, ASK).toCompletableFuture().get();
        assertEquals(TopologyCoordinator.Outcome.OK, r.outcome(), r.message());
        awaitTrue(FORM, () -> a.metadata().status(d.id()) == NodeStatus.LEFT, () -> "d not LEFT: " + a.metadata());
        assertEquals(Set.of("LEAVE " + d.id() + " by a", "LEAVE " + d.id() + " by b", "LEAVE " + d.id() + " by c"),
                new HashSet<>(fetches));
        assertFalse(a.view().ring().contains(d.id()));
        assertFalse(a.view().records().containsKey(d.id()), "LEFT nodes are not shown");
        d.kit().system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(BootstrapState.LEFT, BootstrapState.read(tmp.resolve("d")));
        var again = assertThrows(IllegalStateException.class, () -> start("d", ports[3], ports[0]));
        assertTrue(again.getMessage().contains("cannot rejoin with the same identity"), again.getMessage());

        // Removenode of c after it dies again: a and b restream, c is LEFT, its tokens are off the ring.
        c2.kit().system().terminate();
        awaitTrue(FORM, () -> a.view().state(c.id()) == NodeState.DN, () -> "c not DN: " + a.view());
        fetches.clear();
        r = a.node().requestLeave(c.id(), true, ASK).toCompletableFuture().get();
        assertEquals(TopologyCoordinator.Outcome.OK, r.outcome(), r.message());
        awaitTrue(FORM, () -> a.metadata().status(c.id()) == NodeStatus.LEFT && b.view().epoch() == a.view().epoch(),
                () -> "c not removed: " + a.metadata());
        assertEquals(Set.of("REMOVE " + c.id() + " by a", "REMOVE " + c.id() + " by b"), new HashSet<>(fetches));
        assertEquals(Set.of(a.id(), b.id()), new HashSet<>(b.view().ring().nodes().stream().map(n -> n.id()).toList()));
        assertFalse(b.view().hasPendingRanges());
    }

    @Test
    void whenTheCoordinatorsNodeDiesTheNextCoordinatorFinishesTheChange() throws Exception {
        int[] ports = freePorts(4);
        TestNode a = start("a", ports[0], ports[0]);
        a.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        TestNode b = start("b", ports[1], ports[0]);
        b.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        TestNode c = start("c", ports[2], ports[0]);
        c.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);

        // d's join is held at STREAMING; then a (the oldest member, where the singleton runs) crashes.
        CompletableFuture<Void> gate = new CompletableFuture<>();
        streamGate = gate;
        TestNode d = start("d", ports[3], ports[1]);
        awaitTrue(FORM, () -> b.metadata().change() != null
                        && b.metadata().change().step() == TopologyChange.Step.STREAMING,
                () -> "d's join not streaming: " + b.metadata());
        a.kit().system().terminate();
        // The split brain resolver downs a (b, c, d are the majority); the singleton moves to b and re-reads the log.
        awaitTrue(FORM, () -> b.view().state(a.id()) == NodeState.DN, () -> "a not DN on b: " + b.view());
        gate.complete(null);
        d.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        awaitTrue(FORM, () -> b.metadata().change() == null && b.metadata().status(d.id()) == NodeStatus.NORMAL
                        && c.view().epoch() == b.view().epoch(), () -> "join not finished: " + b.metadata());
        assertTrue(c.view().ring().contains(d.id()));
        assertFalse(c.view().hasPendingRanges());
    }

    @Test
    void aJoiningNodeKilledWhileStreamingResumesAfterRestart() throws Exception {
        int[] ports = freePorts(3);
        TestNode a = start("a", ports[0], ports[0]);
        a.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        TestNode b = start("b", ports[1], ports[0]);
        b.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);

        streamGate = new CompletableFuture<>();   // never completes: d dies mid-stream
        TestNode d = start("d", ports[2], ports[0]);
        awaitTrue(FORM, () -> a.metadata().change() != null
                && a.metadata().change().step() == TopologyChange.Step.STREAMING, () -> "not streaming: " + a.metadata());
        assertEquals(BootstrapState.IN_PROGRESS, BootstrapState.read(tmp.resolve("d")));
        d.kit().system().terminate();
        d.kit().system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        awaitTrue(FORM, () -> a.view().state(d.id()) == NodeState.DN, () -> "d not DN: " + a.view());
        assertEquals(TopologyChange.Step.STREAMING, a.metadata().change().step(), "the change waits for its streamer");

        fetches.clear();
        streamGate = CompletableFuture.completedFuture(null);
        TestNode d2 = start("d", ports[2], ports[0]);
        assertEquals(d.id(), d2.id());
        d2.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        assertEquals(List.of("JOIN " + d.id() + " by d"), fetches, "the restarted node fetched again, once");
        // d applied FinishChange; a may apply it a moment later
        awaitTrue(FORM, () -> a.metadata().status(d.id()) == NodeStatus.NORMAL, () -> "d not NORMAL at a: " + a.view());
        assertEquals(BootstrapState.COMPLETED, BootstrapState.read(tmp.resolve("d")));
    }

    // soak: ReplaceIT replaces a killed node on real node JVMs in CI
    @Tag("soak")
    @Test
    void replaceTakesADeadNodesTokensAndStreamsFromTheOthers() throws Exception {
        int[] ports = freePorts(6);
        TestNode a = start("a", ports[0], ports[0]);
        a.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        TestNode b = start("b", ports[1], ports[0]);
        b.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        TestNode c = start("c", ports[2], ports[0]);
        c.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        List<Long> cTokens = c.node().identity().tokens();
        // c applied its FinishChange; a may apply it a moment later
        awaitTrue(FORM, () -> a.metadata().status(c.id()) == NodeStatus.NORMAL && a.metadata().change() == null,
                () -> "c not NORMAL at a: " + a.metadata());
        long formed = a.metadata().epoch();

        // Refused: replacing a live node, or an unknown one. The node stops; nothing is appended and it
        // keeps no identity (its next start is a fresh one).
        TestNode alive = start("x", ports[3], ports[0], "sibyl.topology.replace_node = \"" + b.id() + "\"");
        alive.kit().system().getWhenTerminated().toCompletableFuture().get(FORM.toSeconds(), TimeUnit.SECONDS);
        assertTrue(alive.node().topology().registration().contains("is alive"), alive.node().topology().registration());
        assertFalse(java.nio.file.Files.exists(NodeIdentity.file(tmp.resolve("x"))));
        TestNode unknown = start("y", ports[3], ports[0], "sibyl.topology.replace_node = no-such-node");
        unknown.kit().system().getWhenTerminated().toCompletableFuture().get(FORM.toSeconds(), TimeUnit.SECONDS);
        assertTrue(unknown.node().topology().registration().contains("unknown"), unknown.node().topology().registration());
        assertEquals(formed, a.metadata().epoch(), "a refused replace appends nothing");

        // c dies; d replaces it. Its fetches are held so the pending phase can be looked at.
        c.kit().system().terminate();
        awaitTrue(FORM, () -> a.view().state(c.id()) == NodeState.DN, () -> "c not DN: " + a.view());
        fetches.clear();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        streamGate = gate;
        TestNode d = start("d", ports[4], ports[0], "sibyl.topology.replace_node = \"" + c.id() + "\"");
        awaitTrue(FORM, () -> a.view().change() != null && a.view().change().step() == TopologyChange.Step.STREAMING,
                () -> "replace not streaming: " + a.metadata());
        TopologyChange change = a.view().change();
        assertEquals(TopologyChange.Kind.REPLACE, change.kind());
        assertEquals(d.id(), change.node());
        assertEquals(c.id(), change.replaced());
        assertEquals(cTokens, a.metadata().nodes().get(d.id()).tokens(), "d takes exactly c's tokens");
        assertEquals(NodeState.UJ, a.view().state(d.id()));
        assertEquals(NodeState.DN, a.view().state(c.id()));
        // d is the pending replica of c's ranges: writes reach it, reads do not (it is not on the read ring).
        var rf2 = new io.sibyl.actors.ring.SimpleStrategy(2);
        assertFalse(a.view().ring().contains(d.id()), "no reads from the replacing node");
        for (long t : cTokens) {
            assertEquals(List.of(d.id()), a.view().pendingReplicas(rf2, t).stream().map(n -> n.id()).toList());
        }
        // Its sources: live replicas other than c, for exactly the ranges c replicated.
        var plan = RangeFetchPlan.plan(a.metadata(), a.view(), java.util.Map.of("ks", rf2), d.id(), false);
        assertFalse(plan.isEmpty());
        for (var f : plan) {
            assertTrue(Set.of(a.id(), b.id()).contains(f.source().id()), "source " + f.source().id());
        }
        // Another change while the replace runs is refused.
        TestNode other = start("e", ports[5], ports[0], "sibyl.topology.replace_node = \"" + c.id() + "\"");
        other.kit().system().getWhenTerminated().toCompletableFuture().get(FORM.toSeconds(), TimeUnit.SECONDS);
        assertTrue(other.node().topology().registration().contains("another topology change is in progress"),
                other.node().topology().registration());

        gate.complete(null);
        d.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        awaitTrue(FORM, () -> a.metadata().change() == null && a.metadata().status(d.id()) == NodeStatus.NORMAL
                && b.view().epoch() == a.view().epoch(), () -> "replace not finished: " + a.metadata());
        assertEquals(List.of("REPLACE " + d.id() + " by d"), fetches);
        assertEquals(NodeStatus.LEFT, a.metadata().status(c.id()));
        assertEquals(formed + 6, a.metadata().epoch(), "prepare, start, stream, done, mid, finish");
        assertEquals(cTokens, b.view().ring().tokensOf(d.id()));
        assertFalse(b.view().ring().contains(c.id()));
        assertFalse(b.view().hasPendingRanges());
        assertEquals(cTokens, d.node().identity().tokens());
        assertEquals(BootstrapState.COMPLETED, BootstrapState.read(tmp.resolve("d")));
    }

    @Test
    void aFourthNodeJoiningThreeGetsAllocatedTokensAndKeepsThemAcrossRestarts() throws Exception {
        int[] ports = freePorts(4);
        String tokens16 = "sibyl.cluster.num_tokens = 16";
        TestNode a = start("a", ports[0], ports[0], tokens16);
        a.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        TestNode b = start("b", ports[1], ports[0], tokens16);
        b.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        TestNode c = start("c", ports[2], ports[0], tokens16);
        c.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        awaitTrue(FORM, () -> a.view().ring().nodeCount() == 3 && a.metadata().change() == null, () -> "" + a.metadata());
        io.sibyl.actors.ring.TokenRing three = a.metadata().currentRing();

        TestNode d = start("d", ports[3], ports[0], tokens16);
        d.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        awaitTrue(FORM, () -> a.metadata().status(d.id()) == NodeStatus.NORMAL, () -> "" + a.metadata());
        // With three other nodes in its data center and RF 3 the allocator is deterministic: d's tokens are
        // exactly what it computes from the ring d learned from the log.
        io.sibyl.actors.ring.NodeInfo dInfo = a.view().records().get(d.id()).info();
        List<Long> expected = io.sibyl.actors.ring.TokenAllocator.forJoiningNode(three, dInfo, 16, 3,
                new java.util.SplittableRandom(1));
        assertEquals(expected, d.node().identity().tokens());
        assertEquals(expected, a.view().ring().tokensOf(d.id()));
        var ownership = a.view().ring().ownership(new io.sibyl.actors.ring.SimpleStrategy(3));
        double mean = ownership.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double max = ownership.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf("4-node ring after an allocated join: max/mean replicated ownership (RF 3) = %.3f%n", max / mean);
        assertTrue(max / mean <= 1.25, "max/mean " + max / mean);

        // A restarted node keeps the tokens in its identity file.
        d.kit().system().terminate();
        d.kit().system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        TestNode d2 = start("d", ports[3], ports[0], tokens16);
        assertEquals(d.id(), d2.id());
        assertEquals(expected, d2.node().identity().tokens(), "known at once, before the log is read");
        d2.node().awaitUp(FORM).toCompletableFuture().get(FORM.toSeconds() + 5, TimeUnit.SECONDS);
        assertEquals(expected, d2.view().ring().tokensOf(d.id()));
    }

    private static String views(List<TestNode> nodes) {
        StringBuilder sb = new StringBuilder();
        for (TestNode n : nodes) {
            sb.append("\n  ").append(n.name()).append(": ").append(n.view()).append(" ").append(n.metadata());
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
