package io.sibyl.it;

import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A restarted first seed never forms a second cluster (docs/adr: "restarted node rejoins, never
 * self-joins"). Every node names only n1 as its seed, so n1 restarted with its data would join itself
 * at once; instead it rejoins the running cluster through the nodes it last saw. A cold restart of all
 * three (kill -9) still forms exactly one cluster: after a failed rejoin attempt the rejoin census lets
 * n1, the first seed, form it, and the others join. "One cluster" = every node sees three UN nodes and
 * the same metadata epoch everywhere.
 */
class RestartedSeedRejoinsIT {
    private static final Duration JOIN = Duration.ofSeconds(120);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    /** CI: the first seed, killed and restarted with its data, rejoins the running cluster. */
    @Test
    void aRestartedFirstSeedRejoinsTheRunningCluster() throws Exception {
        startClusterAndRestartTheFirstSeed();
    }

    /**
     * In CI since the ITs run two at a time (about twice as long as the test above): the same, then a cold restart of all three forms one cluster again, n1
     * forming it after one failed rejoin attempt and the rejoin census.
     */
    @Test
    void aColdRestartOfTheWholeClusterFormsOneCluster() throws Exception {
        startClusterAndRestartTheFirstSeed();
        NodeProcess n1 = nodes.get(0);
        for (NodeProcess n : nodes) n.kill9();
        startAll();
        assertOneCluster();
        assertTrue(Files.readString(n1.logFile()).contains("starting as a seed again"),
                "the first seed formed the cluster after the rejoin census");
        JsonNode rows = ok(SibylClient.of(nodes.get(2).baseUrl()).cqlAt("ALL", "SELECT v FROM ks.t WHERE k = ?", 1)).rows();
        assertEquals("after-restart", rows.get(0).path("v").asText());
    }

    private void startClusterAndRestartTheFirstSeed() throws Exception {
        Path work = NodeProcess.workDir("RestartedSeedRejoinsIT");
        NodeProcess n1 = new NodeProcess("n1", work.resolve("n1"), NodeProcess.freePort(), List.of());
        NodeProcess n2 = new NodeProcess("n2", work.resolve("n2"), NodeProcess.freePort(), List.of());
        NodeProcess n3 = new NodeProcess("n3", work.resolve("n3"), NodeProcess.freePort(), List.of());
        int rack = 1;
        for (NodeProcess n : List.of(n1, n2, n3)) {
            // every node names only n1: restarted as a new node, n1 would join itself at once
            n.withSeeds(List.of(n1.clusterAddress()), "dc1", "rack" + rack++)
                    .withProperty("sibyl.cluster.rejoin_attempt", "10s");
            nodes.add(n);
        }
        startAll();
        assertOneCluster();
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        ok(c1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(c1.cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)"));
        assertTrue(Files.readString(n1.dataDir().resolve("system").resolve("known-peers")).contains(n2.clusterAddress()),
                "n1 remembers where to rejoin");

        n1.kill9();
        n1.start().awaitReady(JOIN);
        assertOneCluster();
        assertTrue(Files.readString(n1.logFile()).contains("rejoins through the other seeds"),
                "n1 restarted as a rejoining member");
        // the restarted seed coordinates on the one ring: ALL reaches every replica
        ok(c1.cqlAt("ALL", "INSERT INTO ks.t (k, v) VALUES (?, ?)", 1, "after-restart"));
    }

    /** Starts every node and waits for each to be ready (the cold restart includes a failed rejoin attempt). */
    private void startAll() throws Exception {
        for (NodeProcess n : nodes) n.start();
        for (NodeProcess n : nodes) n.awaitReady(JOIN);
    }

    /** Every node sees three UN nodes, and every node reports the same epoch to every node. */
    private void assertOneCluster() throws Exception {
        Set<Long> epochs = new HashSet<>();
        for (NodeProcess n : nodes) {
            JsonNode c = awaitCluster(n, JOIN, v -> count(v, "UN") == 3 && sameEpochEverywhere(v));
            epochs.add(c.path("epoch").asLong());
        }
        assertEquals(1, epochs.size(), "one metadata log: " + epochs);
    }

    private static boolean sameEpochEverywhere(JsonNode cluster) {
        long epoch = cluster.path("epoch").asLong();
        for (JsonNode e : cluster.path("nodes")) {
            if (e.path("epoch").isNull() || e.path("epoch").asLong() != epoch) return false;
        }
        return epoch > 0;
    }

    private static SibylClient.Answer ok(SibylClient.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
        return a;
    }
}
