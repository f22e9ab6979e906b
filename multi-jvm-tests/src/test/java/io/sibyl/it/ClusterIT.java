package io.sibyl.it;

import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.cluster;
import static io.sibyl.it.Clusters.count;
import static io.sibyl.it.Clusters.id;
import static io.sibyl.it.Clusters.startAll;
import static io.sibyl.it.Clusters.state;
import static io.sibyl.it.Clusters.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real node JVMs on loopback form a cluster through {@code sibyl start --seeds}: every node sees
 * every node UN with its 16 tokens; DDL on one node is on the others when it answers; a node
 * killed with SIGKILL is DN on the others but keeps its tokens, and comes back with the same id,
 * tokens and schema; a node that joins later gets the existing schema; concurrent conflicting DDL
 * converges.
 */
class ClusterIT {
    private static final Duration READY = Duration.ofSeconds(60);
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    private NodeProcess node(Path work, String name, List<String> seeds) throws Exception {
        NodeProcess n = new NodeProcess(name, work.resolve(name), NodeProcess.freePort(), List.of())
                .withSeeds(seeds, "dc1", "rack1");
        nodes.add(n);
        return n;
    }

    /** Three nodes, the first two the seeds of all; started in parallel. */
    private List<NodeProcess> threeNodes(Path work) throws Exception {
        // Ports are known before start, so every node can name the first two as seeds.
        NodeProcess n1 = new NodeProcess("n1", work.resolve("n1"), NodeProcess.freePort(), List.of());
        NodeProcess n2 = new NodeProcess("n2", work.resolve("n2"), NodeProcess.freePort(), List.of());
        NodeProcess n3 = new NodeProcess("n3", work.resolve("n3"), NodeProcess.freePort(), List.of());
        List<String> seeds = List.of(n1.clusterAddress(), n2.clusterAddress());
        for (NodeProcess n : List.of(n1, n2, n3)) {
            n.withSeeds(seeds, "dc1", "rack" + (nodes.size() + 1));
            nodes.add(n);
        }
        startAll(List.of(n1, n2, n3));
        return List.of(n1, n2, n3);
    }

    // Slow (the split brain resolver waits stable-after = 7 s, then the paused node must notice):
    // a node the others downed restarts its actor system in-process (rejoin_after_down) and rejoins as
    // itself, with its id and tokens, without anyone restarting the process.
    @Test
    @Tag("soak")
    void aNodeDownedByTheOthersRejoinsByItselfWithItsIdAndTokens() throws Exception {
        Path work = NodeProcess.workDir("cluster-downed");
        List<NodeProcess> three = threeNodes(work);
        NodeProcess n1 = three.get(0);
        NodeProcess n3 = three.get(2);
        awaitCluster(n1, Duration.ofSeconds(30), body -> count(body, "UN") == 3);
        String id3 = id(n3);
        List<String> tokens3 = tokens(cluster(n1), id3);
        n3.pause();
        awaitCluster(n1, Duration.ofSeconds(15), body -> state(body, id3).equals("DN"));
        Thread.sleep(15_000);   // past stable-after: the SBR downs and removes it
        n3.resume();
        JsonNode c = awaitCluster(n1, Duration.ofSeconds(60), body -> count(body, "UN") == 3);
        assertTrue(n3.isAlive(), "the downed node's process stays up");
        assertTrue(java.nio.file.Files.readString(n3.logFile()).contains("was downed by the cluster; restarting"),
                "it was downed and restarted in-process:\n" + n3.logTail());
        assertEquals(id3, id(n3));
        assertEquals(tokens3, tokens(c, id3));
    }

    // soak: every cluster IT forms a cluster and shares schema; ReplicatedConsistencyIT and HintedHandoffIT kill nodes in CI
    @Tag("soak")
    @Test
    void nodesFormAClusterShareTheSchemaAndSurviveAKill() throws Exception {
        Path work = NodeProcess.workDir("cluster");
        List<NodeProcess> three = threeNodes(work);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        List<String> seeds = List.of(n1.clusterAddress(), n2.clusterAddress());

        // (a) three UN nodes with 16 tokens each, seen the same way from every node
        for (NodeProcess n : List.of(n1, n2, n3)) {
            JsonNode c = awaitCluster(n, Duration.ofSeconds(30), body -> count(body, "UN") == 3);
            for (JsonNode e : c.path("nodes")) {
                assertEquals(16, e.path("tokens").size(), e.toString());
                assertEquals(16, e.path("num_tokens").asInt());
            }
            assertEquals(1.0, sum(c, "primary_ownership", null), 1e-9, "primary ownership sums to the whole ring");
        }
        Map<String, String> ids = new HashMap<>();
        for (NodeProcess n : List.of(n1, n2, n3)) ids.put(n.name(), id(n));

        // (b) DDL on n1 is on n2 and n3 when it answers; the schema versions agree
        SibylClient.Answer ks = SibylClient.of(n1.baseUrl()).cql(
                "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
        assertEquals(200, ks.status(), ks.body().toString());
        SibylClient.Answer t = SibylClient.of(n1.baseUrl()).cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
        assertEquals(200, t.status(), t.body().toString());
        assertEquals(0, t.body().path("warnings").size(), "agreement reached in time: " + t.body());
        for (NodeProcess n : List.of(n2, n3)) {
            SibylClient.Answer got = SibylClient.of(n.baseUrl()).get("/v1/keyspaces/ks/tables/t");
            assertEquals(200, got.status(), n.name() + ": " + got.body());
        }
        for (NodeProcess n : List.of(n1, n2, n3)) {
            JsonNode c = awaitCluster(n, Duration.ofSeconds(10), body -> body.path("schema_agreement").asBoolean());
            assertEquals(2.0, sum(c, "ownership", "ks"), 1e-6, "RF=2: ownership of ks sums to 2 rings: " + c);
        }

        // concurrent conflicting DDL on two nodes converges to one schema everywhere
        CompletableFuture<SibylClient.Answer> a = CompletableFuture.supplyAsync(() ->
                cqlQuietly(n2, "CREATE TABLE ks.c (k int PRIMARY KEY, a int)"));
        CompletableFuture<SibylClient.Answer> b = CompletableFuture.supplyAsync(() ->
                cqlQuietly(n3, "CREATE TABLE ks.c (k int PRIMARY KEY, b text)"));
        assertEquals(200, a.get().status(), a.get().body().toString());
        assertEquals(200, b.get().status(), b.get().body().toString());
        awaitSameSchema(List.of(n1, n2, n3), Duration.ofSeconds(15));

        // (c) kill -9 n3: DN on the others within ~10 s, tokens kept
        JsonNode before = cluster(n1);
        n3.kill9();
        for (NodeProcess n : List.of(n1, n2)) {
            JsonNode c = awaitCluster(n, Duration.ofSeconds(12), body -> state(body, ids.get("n3")).equals("DN"));
            assertEquals(tokens(before, ids.get("n3")), tokens(c, ids.get("n3")), "a down node keeps its tokens");
        }
        n3.start().awaitReady(READY);
        assertEquals(ids.get("n3"), id(n3), "same id after restart");
        for (NodeProcess n : List.of(n1, n2, n3)) {
            JsonNode c = awaitCluster(n, Duration.ofSeconds(30), body -> count(body, "UN") == 3);
            assertEquals(tokens(before, ids.get("n3")), tokens(c, ids.get("n3")), "same tokens after restart");
        }
        assertEquals(200, SibylClient.of(n3.baseUrl()).get("/v1/keyspaces/ks/tables/t").status(), "schema kept");

        // (d) a node that joins later gets the existing schema
        NodeProcess n4 = node(work, "n4", seeds);
        n4.start().awaitReady(READY);
        awaitCluster(n4, Duration.ofSeconds(20), body -> count(body, "UN") == 4 && body.path("schema_agreement").asBoolean());
        assertEquals(200, SibylClient.of(n4.baseUrl()).get("/v1/keyspaces/ks/tables/t").status());
        awaitSameSchema(List.of(n1, n2, n3, n4), Duration.ofSeconds(10));
    }

    private static SibylClient.Answer cqlQuietly(NodeProcess n, String q) {
        try {
            return SibylClient.of(n.baseUrl()).cql(q);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static void awaitSameSchema(List<NodeProcess> list, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> versions = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            versions.clear();
            for (NodeProcess n : list) {
                versions.add(SibylClient.of(n.baseUrl()).get("/v1/keyspaces").body().path("schema_version").asText());
            }
            if (versions.stream().distinct().count() == 1) {
                // and every node's own view reports agreement
                for (NodeProcess n : list) {
                    awaitCluster(n, Duration.ofSeconds(10), body -> body.path("schema_agreement").asBoolean());
                }
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("schema versions did not converge: " + versions);
    }

    private static double sum(JsonNode cluster, String field, String keyspace) {
        double s = 0;
        for (JsonNode e : cluster.path("nodes")) {
            s += keyspace == null ? e.path(field).asDouble() : e.path(field).path(keyspace).asDouble();
        }
        return s;
    }
}
