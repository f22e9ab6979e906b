package io.sibyl.actors.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.actors.cluster.ClusterSettings;
import io.sibyl.actors.cluster.NodeHealthBoard;
import io.sibyl.actors.cluster.NodeHealthKeeper;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeState;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two cluster nodes in this JVM: DDL on one is on the other (and in its schema.json) when the
 * statement answers; a node that was away gets what changed meanwhile; a data directory that has
 * a schema.json but no replicated map offers its schema to the cluster.
 */
class DistributedSchemaStoreTest {
    private static final Duration UP = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    private final List<ActorTestKit> kits = new ArrayList<>();

    record Node(ActorTestKit kit, ClusterNode cluster, DistributedSchemaStore schema) {
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

    private Node start(String name, int port, int seedPort) throws Exception {
        Path dataDir = tmp.resolve(name);
        Config config = ConfigFactory.parseString(String.format("""
                sibyl.data_dir = "%s"
                sibyl.cluster {
                  port = %d
                  seeds = ["127.0.0.1:%d"]
                  num_tokens = 4
                  exit_jvm_on_shutdown = off
                  ring_write_timeout = 2s
                }
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.loglevel = WARNING
                """, dataDir.toString().replace("\\", "/"), port, seedPort))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        ClusterSettings settings = ClusterSettings.from(config);
        ActorTestKit kit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, settings.toPekkoConfig().withFallback(config).resolve());
        kits.add(kit);
        ClusterNode cluster = ClusterNode.start(kit.system(), settings, dataDir, 9000);
        NodeHealthBoard board = new NodeHealthBoard();
        var health = kit.spawn(NodeHealthKeeper.create(cluster.id(), () -> 0L, Duration.ofSeconds(10), board));
        DistributedSchemaStore schema = DistributedSchemaStore.start(kit.system(), LocalSchemaStore.open(dataDir),
                cluster.ringView(), board, health, Duration.ofSeconds(10));
        cluster.awaitUp(UP).toCompletableFuture().get(UP.toSeconds() + 5, TimeUnit.SECONDS);
        return new Node(kit, cluster, schema);
    }

    private static KeyspaceMetadata ks(String name) {
        return new KeyspaceMetadata(name, Map.of("class", "SimpleStrategy", "replication_factor", "2"), true, Map.of());
    }

    private static SchemaUpdate create(Node n, String keyspace) throws Exception {
        return n.schema().updateAndAwait(s -> s.with(ks(keyspace))).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void ddlReachesTheOtherNodeBeforeItAnswersAndANodeThatWasAwayCatchesUp() throws Exception {
        int[] ports = freePorts(3);
        Node a = start("a", ports[0], ports[0]);
        Node b = start("b", ports[1], ports[0]);
        awaitTrue(() -> a.cluster().ringView().current().liveNodes().size() == 2, "a sees b");

        SchemaUpdate u = create(a, "one");
        assertEquals(List.of(), u.warnings(), "both live nodes had it in time");
        assertNotNull(b.schema().current().keyspace("one"), "on b when the statement answered");
        assertEquals(a.schema().current().version(), b.schema().current().version());
        assertTrue(a.schema().disagreeing().isEmpty());
        assertNotNull(LocalSchemaStore.open(tmp.resolve("b")).current().keyspace("one"), "in b's schema.json");

        // b goes away (leaves cleanly); a keeps changing the schema without waiting for b
        b.kit().system().terminate();
        b.kit().system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        awaitTrue(() -> a.cluster().ringView().current().liveNodes().size() == 1, "a sees b gone");
        assertEquals(List.of(), create(a, "two").warnings());

        // b comes back from its data directory and gets what it missed
        Node b2 = start("b", ports[1], ports[0]);
        assertNotNull(b2.schema().current().keyspace("one"), "kept across the restart");
        awaitTrue(() -> b2.schema().current().keyspace("two") != null, "b caught up with 'two'");

        // DDL on b2 reaches a; a drop too
        assertEquals(List.of(), create(b2, "three").warnings());
        assertNotNull(a.schema().current().keyspace("three"));
        assertEquals(List.of(), a.schema().updateAndAwait(s -> s.without("one")).toCompletableFuture()
                .get(30, TimeUnit.SECONDS).warnings());
        assertEquals(null, b2.schema().current().keyspace("one"));
        assertEquals(a.schema().current(), b2.schema().current());
    }

    @Test
    void aSchemaJsonWithoutAReplicatedMapIsOfferedToTheCluster() throws Exception {
        int[] ports = freePorts(2);
        Node a = start("a", ports[0], ports[0]);
        create(a, "existing");
        // a data directory from before the replicated schema: only schema.json
        LocalSchemaStore.open(tmp.resolve("old")).update(s -> s.with(ks("legacy"))).toCompletableFuture().get();
        Node old = start("old", ports[1], ports[0]);
        awaitTrue(() -> a.schema().current().keyspace("legacy") != null, "a got the legacy keyspace");
        awaitTrue(() -> old.schema().current().keyspace("existing") != null, "old got the cluster's keyspace");
        awaitTrue(() -> a.schema().current().equals(old.schema().current()), "same schema");
    }

    // The agreement wait alone, with a stand-in keeper: a live node that never reports the new
    // version makes the statement answer with a warning after the timeout; a down one is not waited for.
    @Test
    void aLiveNodeThatDoesNotConfirmInTimeGivesAWarningAndADownOneIsNotWaitedFor() throws Exception {
        ActorTestKit kit = ActorTestKit.create();
        kits.add(kit);
        LocalSchemaStore local = LocalSchemaStore.open(tmp.resolve("solo"));
        var keeper = kit.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.<SchemaKeeper.Command>receiveMessage(m -> {
            if (m instanceof SchemaKeeper.Change c) {
                c.result().complete(local.update(c.change()).toCompletableFuture().join());
            }
            return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
        }));
        NodeInfo self = new NodeInfo(NodeId.of("self"), "127.0.0.1", 1, 2, "dc1", "rack1");
        NodeInfo other = new NodeInfo(NodeId.of("other"), "127.0.0.2", 1, 2, "dc1", "rack1");
        Map<NodeId, NodeRecord> records = Map.of(self.id(), new NodeRecord(self, List.of(1L), NodeStatus.NORMAL),
                other.id(), new NodeRecord(other, List.of(2L), NodeStatus.NORMAL));
        RingViewHolder ring = new RingViewHolder(new RingView(1, self, TokenRing.empty(), records,
                Map.of(self.id(), NodeState.UN, other.id(), NodeState.UN)));
        DistributedSchemaStore store = new DistributedSchemaStore(local, keeper, ring, new NodeHealthBoard(),
                Duration.ofMillis(300));

        long t0 = System.nanoTime();
        SchemaUpdate u = store.updateAndAwait(s -> s.with(ks("a"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(300).toNanos(), "waited for the other node");
        assertEquals(1, u.warnings().size(), u.toString());
        assertTrue(u.warnings().get(0).contains("other"), u.warnings().get(0));
        assertNotNull(u.schema().keyspace("a"), "the change stands");
        assertEquals(List.of(other.id()), store.disagreeing());

        DistributedSchemaStore withOtherDown = new DistributedSchemaStore(local, keeper, new RingViewHolder(
                new RingView(2, self, TokenRing.empty(), records, Map.of(self.id(), NodeState.UN, other.id(), NodeState.DN))),
                new NodeHealthBoard(), Duration.ofSeconds(30));
        SchemaUpdate v = withOtherDown.updateAndAwait(s -> s.with(ks("b"))).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), v.warnings());
    }

    private static void awaitTrue(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out: " + what);
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
            for (ServerSocket s : sockets) s.close();
        }
    }
}
