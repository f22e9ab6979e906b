package io.sibyl.actors.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.cluster.ClusterMetadata;
import io.sibyl.actors.cluster.MetadataEntry;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.cluster.TopologyChange;
import io.sibyl.actors.coordinator.TestCluster;
import io.sibyl.actors.messaging.ReplicaClient;
import io.sibyl.actors.replica.ReplicaActors;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.data.Mutation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decommissioning node hands the hints it holds for a down node over to a remaining node; when the down
 * node comes back, the remaining node replays them and the hinted write is readable on it alone. Real nodes
 * (the shared {@link TestCluster}: replica actors over Artery), hint stores on the real journal.
 */
class HintHandOffTest {

    @TempDir
    Path dir;

    private final List<ActorTestKit> kits = new ArrayList<>();
    private TestCluster.Node receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.replica().acceptHints(null);
        }
        kits.forEach(ActorTestKit::shutdownTestKit);
    }

    private HintService hintService(String name, TestCluster.Node node, AtomicReference<RingView> view) {
        Config base = ConfigFactory.parseString("""
                sibyl.data_dir = "%s"
                sibyl.hints.journal.fsync = off
                sibyl.hints.retry_min_backoff = 100ms
                sibyl.hints.retry_max_backoff = 400ms
                pekko.loglevel = WARNING
                """.formatted(dir.resolve(name).toString().replace("\\", "/"))).withFallback(ConfigFactory.load()).resolve();
        Config config = HintSettings.from(base).toPekkoConfig().withFallback(base);
        ActorTestKit kit = ActorTestKit.create("hints-" + name, config);
        kits.add(kit);
        ReplicaClient client = client(node, view);
        HintService s = HintService.start(kit.system(), HintSettings.from(config),
                (target, m) -> client.sendMutation(target, m, Duration.ofSeconds(5)), view::get,
                id -> TestCluster.SCHEMA.tableById(id), Clock.systemUTC());
        s.onRingView(view.get());
        return s;
    }

    private static ReplicaClient client(TestCluster.Node node, AtomicReference<RingView> view) {
        // The client looks up addresses only; liveness (which changes in the test) comes from `view`.
        RingViewHolder holder = new RingViewHolder(view.get());
        return new ReplicaClient(node.system(), holder,
                ReplicaActors.poolSize(node.system().settings().config()), 100);
    }

    /** The metadata of {@code members} (all NORMAL), with the decommission of {@code leaving} at STREAMING. */
    private static ClusterMetadata leaving(List<TestCluster.Node> members, TestCluster.Node leaving) {
        ClusterMetadata m = ClusterMetadata.EMPTY;
        for (TestCluster.Node n : members) {
            m = m.apply(new MetadataEntry.Register(m.epoch() + 1, new NodeRecord(n.info(), n.tokens(), NodeStatus.NORMAL)));
        }
        NodeId id = leaving.info().id();
        m = m.apply(new MetadataEntry.PrepareLeave(m.epoch() + 1, id, false));
        assertTrue(m.change().streamers().contains(id), "the leaving node streams (its hints) too");
        m = m.apply(new MetadataEntry.StartChange(m.epoch() + 1, id));
        return m.apply(new MetadataEntry.BeginStreaming(m.epoch() + 1, id));
    }

    @Test
    void aDecommissionedNodesHintsForADownNodeAreReplayedByTheNodeItHandedThemTo() throws Exception {
        TestCluster cluster = TestCluster.shared();
        TestCluster.Node b = cluster.nodes.get(0);
        TestCluster.Node c = cluster.nodes.get(2);
        TestCluster.Node d = cluster.nodes.get(3);
        List<TestCluster.Node> members = List.of(b, c, d);
        AtomicReference<RingView> fromC = new AtomicReference<>(TestCluster.view(c, members, Set.of(d)).current());
        AtomicReference<RingView> fromB = new AtomicReference<>(TestCluster.view(b, members, Set.of(d)).current());
        HintService hintsC = hintService("c", c, fromC);
        HintService hintsB = hintService("b", b, fromB);
        receiver = b;
        b.replica().acceptHints(hintsB);

        long k = 915_001;
        Mutation write = TestCluster.put(TestCluster.RF3, k, 42, System.currentTimeMillis() * 1000);
        assertTrue(hintsC.store(d.info().id(), write).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(1, hintsC.stats().get(0).pending());
        assertNull(TestCluster.localValue(d, TestCluster.RF3, k), "d missed the write");

        // C decommissions: its streaming step (no ranges to fetch) hands the hints over to B.
        AtomicBoolean rangesFetched = new AtomicBoolean();
        ReplicaClient clientC = client(c, fromC);
        HintHandOff handOff = new HintHandOff(c.info().id(), (m, v) -> {
            rangesFetched.set(true);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }, hintsC, (target, m) -> clientC.sendMutation(target, m, Duration.ofSeconds(5)),
                (holder, target, m) -> clientC.storeHint(holder, target, m, Duration.ofSeconds(5)), Duration.ofSeconds(30));
        ClusterMetadata metadata = leaving(members, c);
        assertEquals(TopologyChange.Step.STREAMING, metadata.change().step());
        handOff.fetch(metadata, fromC.get()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(rangesFetched.get());
        assertTrue(hintsC.stats().isEmpty(), "the leaving node keeps no hints: " + hintsC.stats());
        awaitTrue("b holds the hint for d", () -> hintsB.stats().stream()
                .anyMatch(s -> s.target().equals(d.info().id()) && s.pending() == 1));
        assertNull(TestCluster.localValue(d, TestCluster.RF3, k), "d is still down: nothing replayed yet");

        // D comes back: B replays the handed-over hint; the write reads at ONE from D alone.
        fromB.set(TestCluster.view(b, members, Set.of()).current());
        hintsB.onRingView(fromB.get());
        awaitTrue("d has the hinted write", () -> Long.valueOf(42).equals(TestCluster.localValue(d, TestCluster.RF3, k)));
        awaitTrue("b's hints for d are delivered", () -> hintsB.stats().isEmpty());
    }

    @Test
    void theHolderIsALiveNormalNodeOtherThanTheLeavingOne() throws Exception {
        TestCluster cluster = TestCluster.shared();
        TestCluster.Node b = cluster.nodes.get(0);
        TestCluster.Node c = cluster.nodes.get(2);
        TestCluster.Node d = cluster.nodes.get(3);
        List<TestCluster.Node> members = List.of(b, c, d);
        ClusterMetadata m = leaving(members, c);
        assertEquals(b.info().id(), HintHandOff.holder(m, TestCluster.view(c, members, Set.of()).current(), c.info().id())
                .orElseThrow(), "same data center first");
        assertEquals(d.info().id(), HintHandOff.holder(m, TestCluster.view(c, members, Set.of(b)).current(), c.info().id())
                .orElseThrow(), "b is down: another live node");
        assertTrue(HintHandOff.holder(m, TestCluster.view(c, members, Set.of(b, d)).current(), c.info().id()).isEmpty());
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
