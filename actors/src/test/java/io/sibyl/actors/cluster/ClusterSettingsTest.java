package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static Config with(String hocon) {
        return ConfigFactory.parseString(hocon + "\nsibyl.data_dir = \"/tmp/sibyl-x\"")
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void defaultsFromReferenceConf() {
        ClusterSettings s = ClusterSettings.from(with(""));
        assertEquals("127.0.0.1", s.host());
        assertEquals(7000, s.port());
        assertEquals(List.of(), s.seeds());
        assertEquals("dc1", s.dc());
        assertEquals("rack1", s.rack());
        assertEquals(16, s.numTokens());
        assertEquals(Path.of("/tmp/sibyl-x"), s.dataDir());
        assertTrue(s.exitJvmOnShutdown());
        assertEquals(Duration.ofSeconds(5), s.ringWriteTimeout());
    }

    @Test
    void seedsAsListOrCommaSeparatedString() {
        List<ClusterSettings.HostPort> expected = List.of(new ClusterSettings.HostPort("127.0.0.1", 7000),
                new ClusterSettings.HostPort("10.0.0.2", 7001));
        assertEquals(expected, ClusterSettings.from(with("sibyl.cluster.seeds = [\"127.0.0.1:7000\", \"10.0.0.2:7001\"]")).seeds());
        assertEquals(expected, ClusterSettings.from(with("sibyl.cluster.seeds = \"127.0.0.1:7000, 10.0.0.2:7001\"")).seeds());
        assertEquals(List.of(), ClusterSettings.from(with("sibyl.cluster.seeds = \"\"")).seeds());
    }

    @Test
    void badSeedsAreRejectedWithTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.from(with("sibyl.cluster.seeds = [\"nohost\"]")));
        assertTrue(e.getMessage().contains("nohost"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.from(with("sibyl.cluster.seeds = [\"h:99999\"]")));
        assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.from(with("sibyl.cluster.num_tokens = 0")));
    }

    @Test
    void pekkoConfigForASeededNode() {
        ClusterSettings s = ClusterSettings.from(with("""
                sibyl.cluster { host = "10.1.1.1", port = 7005, seeds = ["10.1.1.1:7000", "10.1.1.2:7001"] }
                sibyl.cluster.exit_jvm_on_shutdown = off
                """));
        Config p = s.toPekkoConfig();
        assertEquals("cluster", p.getString("pekko.actor.provider"));
        assertEquals("10.1.1.1", p.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(7005, p.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(List.of("pekko://sibyl@10.1.1.1:7000", "pekko://sibyl@10.1.1.2:7001"),
                p.getStringList("pekko.cluster.seed-nodes"));
        assertEquals(Path.of("/tmp/sibyl-x/system/ddata/lmdb").toString(),
                p.getString("pekko.cluster.distributed-data.durable.lmdb.dir"));
        assertFalse(p.getBoolean("pekko.coordinated-shutdown.exit-jvm"));
    }

    @Test
    void withoutSeedsANodeSeedsItself() {
        Config p = ClusterSettings.from(with("sibyl.cluster.port = 7100")).toPekkoConfig();
        assertEquals(List.of("pekko://sibyl@127.0.0.1:7100"), p.getStringList("pekko.cluster.seed-nodes"));
        // rejoin_after_down (default on): `sibyl start` decides whether the process ends, not Pekko
        assertFalse(p.getBoolean("pekko.coordinated-shutdown.exit-jvm"));
        Config exiting = ClusterSettings.from(with("sibyl.cluster { port = 7100, rejoin_after_down = off }")).toPekkoConfig();
        assertTrue(exiting.getBoolean("pekko.coordinated-shutdown.exit-jvm"));
    }

    @Test
    void aRejoiningNodeJoinsThroughTheOtherSeedsOnlyAndGivesUpAfterAWhile() {
        ClusterSettings s = ClusterSettings.from(with(
                "sibyl.cluster { host = \"10.1.1.1\", port = 7000, seeds = [\"10.1.1.1:7000\", \"10.1.1.2:7001\"] }"));
        assertTrue(s.rejoinAfterDown());
        assertEquals(List.of("pekko://sibyl@10.1.1.1:7000", "pekko://sibyl@10.1.1.2:7001"), s.seedAddresses());
        assertFalse(s.toPekkoConfig().hasPath("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes"));
        ClusterSettings r = s.forRejoin();
        // joining itself would form a second cluster that never merges with the first
        assertEquals(List.of("pekko://sibyl@10.1.1.2:7001"), r.seedAddresses());
        assertEquals(ClusterSettings.REJOIN_ATTEMPT,
                r.toPekkoConfig().getDuration("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes"));
        // a lone seed has no one else to join
        ClusterSettings alone = ClusterSettings.from(with("sibyl.cluster.port = 7100")).forRejoin();
        assertEquals(List.of("pekko://sibyl@127.0.0.1:7100"), alone.seedAddresses());
    }

    @Test
    void aRestartedFirstSeedRejoinsThroughTheOtherSeedsAndKnownPeersNeverItself() {
        ClusterSettings s = ClusterSettings.from(with(
                "sibyl.cluster { host = \"10.1.1.1\", port = 7000, seeds = \"10.1.1.1:7000\", rejoin_attempt = 7s }"));
        assertTrue(s.isFirstSeed());
        List<ClusterSettings.HostPort> peers = List.of(ClusterSettings.HostPort.parse("10.1.1.2:7000"),
                ClusterSettings.HostPort.parse("10.1.1.1:7000"), ClusterSettings.HostPort.parse("10.1.1.3:7000"));
        assertTrue(s.hasOtherSeeds(peers));
        assertFalse(s.hasOtherSeeds(List.of()), "a lone seed without peers forms its one-node cluster again");
        ClusterSettings r = s.forRejoin(peers);
        assertEquals(List.of("pekko://sibyl@10.1.1.2:7000", "pekko://sibyl@10.1.1.3:7000"), r.seedAddresses());
        Config p = r.toPekkoConfig();
        assertEquals(java.time.Duration.ofSeconds(7), p.getDuration("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes"));
        // a failed join attempt must leave the process alive: it tries again, or forms the cluster after the census
        ClusterSettings noRejoin = ClusterSettings.from(with(
                "sibyl.cluster { host = \"10.1.1.1\", port = 7000, seeds = \"10.1.1.1:7000\", rejoin_after_down = off }"));
        assertTrue(noRejoin.toPekkoConfig().getBoolean("pekko.coordinated-shutdown.exit-jvm"));
        assertFalse(noRejoin.forRejoin(peers).toPekkoConfig().getBoolean("pekko.coordinated-shutdown.exit-jvm"));
        ClusterSettings second = ClusterSettings.from(with(
                "sibyl.cluster { host = \"10.1.1.2\", port = 7000, seeds = \"10.1.1.1:7000,10.1.1.2:7000\" }"));
        assertFalse(second.isFirstSeed());
    }

    @Test
    void faultInjectionSwitchesArteryTestModeOnAndIsOffByDefault() {
        assertFalse(ClusterSettings.from(with("")).faultInjection());
        assertFalse(ClusterSettings.from(with("")).toPekkoConfig().hasPath("pekko.remote.artery.advanced.test-mode"));
        Config p = ClusterSettings.from(with("sibyl.cluster.fault_injection = on")).toPekkoConfig();
        assertTrue(p.getBoolean("pekko.remote.artery.advanced.test-mode"));
    }

    @Test
    void referenceConfCarriesTheMeasuredClusterSettings() {
        Config c = with("");
        assertEquals("keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
        assertEquals(Duration.ofSeconds(7), c.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
        assertEquals(Duration.ofMillis(500), c.getDuration("pekko.cluster.failure-detector.heartbeat-interval"));
        assertEquals(Duration.ofSeconds(2), c.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"));
        assertEquals(10.0, c.getDouble("pekko.cluster.failure-detector.threshold"));
        assertEquals(Duration.ofSeconds(5), c.getDuration("pekko.cluster.seed-node-timeout"));
        assertFalse(c.getBoolean("pekko.actor.allow-java-serialization"));
        assertEquals("jackson-cbor",
                c.getString("pekko.actor.serialization-bindings.\"io.sibyl.actors.cluster.CborSerializable\""));
        // Not the cluster provider by default: other ActorSystems on the class path stay local.
        assertEquals("local", c.getString("pekko.actor.provider"));
    }
}
