package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.actors.ring.NodeId;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two incarnations of the topology coordinator appending at once (a singleton hand-over race, ADR 021):
 * with the fence, only the newer one's appends count, and every append that was answered OK is in the
 * log that a majority holds afterwards.
 */
class TopologyCoordinatorFenceTest {
    private static final Duration ASK = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private final List<ActorTestKit> kits = new ArrayList<>();

    @AfterEach
    void stop() {
        for (ActorTestKit k : kits) {
            try {
                k.shutdownTestKit();
            } catch (RuntimeException e) {
                // slow to stop; the next test uses fresh ports
            }
        }
    }

    private ActorTestKit system(String name, int port, int seedPort) {
        Config config = ConfigFactory.parseString(String.format("""
                sibyl.data_dir = "%s"
                sibyl.cluster { host = "127.0.0.1", port = %d, seeds = ["127.0.0.1:%d"], exit_jvm_on_shutdown = off }
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.loglevel = WARNING
                """, tmp.resolve(name).toString().replace("\\", "/"), port, seedPort))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        ActorTestKit kit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME,
                ClusterSettings.from(config).toPekkoConfig().withFallback(config).resolve());
        kits.add(kit);
        // the replicator is an extension started on first use: every node must hold replicas from the start
        DistributedData.get(kit.system()).replicator();
        return kit;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static TopologyCoordinator.Reply register(ActorRef<TopologyCoordinator.Command> c, ActorTestKit kit, String id,
                                                      long token) throws Exception {
        return registerAsync(c, kit, id, token).get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private static CompletableFuture<TopologyCoordinator.Reply> registerAsync(ActorRef<TopologyCoordinator.Command> c,
                                                                             ActorTestKit kit, String id, long token) {
        NodeRecord r = MetadataFixtures.record(id, List.of(token), NodeStatus.NORMAL);
        return AskPattern.<TopologyCoordinator.Command, TopologyCoordinator.Reply>ask(c,
                replyTo -> new TopologyCoordinator.Register(r, true, replyTo), ASK, kit.system().scheduler())
                .toCompletableFuture();
    }

    private static Map<String, MetadataEntry> logOnAll(ActorTestKit kit) throws Exception {
        Replicator.GetResponse<LWWMap<String, MetadataEntry>> rsp = AskPattern.<Replicator.Command,
                        Replicator.GetResponse<LWWMap<String, MetadataEntry>>>ask(
                        DistributedData.get(kit.system()).replicator(),
                        replyTo -> new Replicator.Get<>(MetadataLog.LOG_KEY, new Replicator.ReadAll(Duration.ofSeconds(5)),
                                replyTo), Duration.ofSeconds(10), kit.system().scheduler())
                .toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertTrue(rsp instanceof Replicator.GetSuccess, String.valueOf(rsp));
        return ((Replicator.GetSuccess<LWWMap<String, MetadataEntry>>) rsp).get(MetadataLog.LOG_KEY).getEntries();
    }

    @Test
    void onlyTheNewerIncarnationsAppendsCountAndEveryAcknowledgedEntryStays() throws Exception {
        int pa = freePort();
        int pb = freePort();
        int pc = freePort();
        ActorTestKit a = system("a", pa, pa);
        ActorTestKit b = system("b", pb, pa);
        ActorTestKit c = system("c", pc, pa);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!allUp(a) || !allUp(b) || !allUp(c)) {
            assertTrue(System.nanoTime() < deadline, "the three systems did not form a cluster");
            Thread.sleep(100);
        }

        ActorRef<TopologyCoordinator.Command> older = a.spawn(TopologyCoordinator.create(Duration.ofSeconds(3)), "older");
        assertEquals(TopologyCoordinator.Outcome.OK, register(older, a, "n1", 100).outcome());
        // a second incarnation starts while the first still runs (the hand-over race)
        ActorRef<TopologyCoordinator.Command> newer = b.spawn(TopologyCoordinator.create(Duration.ofSeconds(3)), "newer");
        TopologyCoordinator.Reply r2 = register(newer, b, "n2", 200);
        assertEquals(TopologyCoordinator.Outcome.OK, r2.outcome(), r2.message());
        assertEquals(2, r2.epoch());

        // both append at once; the older one still believes the log ends at epoch 1
        List<CompletableFuture<TopologyCoordinator.Reply>> fromOlder = new ArrayList<>();
        List<CompletableFuture<TopologyCoordinator.Reply>> fromNewer = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fromOlder.add(registerAsync(older, a, "old" + i, 1000 + i));
            fromNewer.add(registerAsync(newer, b, "new" + i, 2000 + i));
        }
        Map<Long, String> acknowledged = new java.util.TreeMap<>();
        acknowledged.put(1L, "n1");
        acknowledged.put(2L, "n2");
        for (int i = 0; i < 4; i++) {
            TopologyCoordinator.Reply o = fromOlder.get(i).get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
            assertNotEquals(TopologyCoordinator.Outcome.OK, o.outcome(), "the superseded incarnation counted an append: " + o);
            TopologyCoordinator.Reply n = fromNewer.get(i).get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
            assertEquals(TopologyCoordinator.Outcome.OK, n.outcome(), n.message());
        }
        Map<String, MetadataEntry> log = logOnAll(c);
        ClusterMetadata m = MetadataLog.replay(ClusterMetadata.EMPTY, log, e -> {
            throw new AssertionError(e);
        });
        assertEquals(6, m.epoch(), "n1, n2 and the newer incarnation's four: " + log.keySet());
        assertTrue(m.nodes().containsKey(NodeId.of("n1")) && m.nodes().containsKey(NodeId.of("n2")),
                "acknowledged entries stay: " + m.nodes().keySet());
        for (int i = 0; i < 4; i++) {
            assertTrue(m.nodes().containsKey(NodeId.of("new" + i)));
            assertTrue(!m.nodes().containsKey(NodeId.of("old" + i)), "an uncounted append is not in the log");
        }
    }

    @Test
    void theCoordinatorSnapshotsTheLogAndANewIncarnationContinuesFromTheSnapshot() throws Exception {
        int p = freePort();
        ActorTestKit a = system("solo", p, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Cluster.get(a.system()).selfMember().status() != MemberStatus.up()) {
            assertTrue(System.nanoTime() < deadline, "the node did not come up");
            Thread.sleep(50);
        }
        ActorRef<TopologyCoordinator.Command> first = a.spawn(TopologyCoordinator.create(Duration.ofSeconds(3), 3), "first");
        for (int i = 1; i <= 7; i++) {
            TopologyCoordinator.Reply r = register(first, a, "s" + i, 100L * i);
            assertEquals(TopologyCoordinator.Outcome.OK, r.outcome(), r.message());
        }
        // snapshots at epochs 3 and 6; entries up to 6 removed in the same update
        Map<String, MetadataEntry> log = logOnAll(a);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (MetadataLog.snapshot(log) == null || MetadataLog.snapshot(log).epoch() < 6) {
            assertTrue(System.nanoTime() < until, "no snapshot at epoch 6: " + log.keySet());
            Thread.sleep(50);
            log = logOnAll(a);
        }
        assertEquals(List.of(MetadataLog.SNAPSHOT_KEY, MetadataLog.key(7)), new ArrayList<>(new java.util.TreeMap<>(log).keySet()));
        ClusterMetadata m = MetadataLog.replay(ClusterMetadata.EMPTY, log, e -> {
            throw new AssertionError(e);
        });
        assertEquals(7, m.epoch());
        assertEquals(7, m.normalNodes().size());
        // a new incarnation (the singleton moved) loads snapshot + tail and appends epoch 8
        ActorRef<TopologyCoordinator.Command> second = a.spawn(TopologyCoordinator.create(Duration.ofSeconds(3), 3), "second");
        TopologyCoordinator.Reply r8 = register(second, a, "s8", 800);
        assertEquals(TopologyCoordinator.Outcome.OK, r8.outcome(), r8.message());
        assertEquals(8, r8.epoch());
        TopologyCoordinator.Reply again = register(second, a, "s3", 300);
        assertEquals(TopologyCoordinator.Outcome.OK, again.outcome(), "a node in the snapshot is known: " + again.message());
        assertEquals(8, again.epoch(), "nothing appended for a node the snapshot already holds");
    }

    private static boolean allUp(ActorTestKit k) {
        int up = 0;
        for (var member : Cluster.get(k.system()).state().getMembers()) {
            if (member.status() == MemberStatus.up()) up++;
        }
        return up == 3;
    }
}
