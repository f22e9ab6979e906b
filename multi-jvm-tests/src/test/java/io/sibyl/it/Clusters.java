package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/** Starting node JVMs as one cluster and reading their {@code /v1/cluster} view, for the cluster ITs. */
final class Clusters {
    // 60 s was seen to run out (n1 still starting) with a load average of 30 on the 2-core machine; a bound, not a wait
    static final Duration READY = Duration.ofSeconds(120);

    private Clusters() {
    }

    /**
     * Three nodes (see {@link #threeNodes}) registered in {@code registry} (for the test's clean-up),
     * started, and seen as three UN nodes by n1.
     */
    static List<NodeProcess> startThreeNodes(String testName, List<NodeProcess> registry) throws Exception {
        List<NodeProcess> three = threeNodes(NodeProcess.workDir(testName), List.of());
        registry.addAll(three);
        startAll(three);
        awaitCluster(three.get(0), Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        return three;
    }

    /** Three nodes named n1..n3 on racks rack1..rack3, the first two the seeds of all; started in parallel. */
    static List<NodeProcess> threeNodes(java.nio.file.Path work, List<String> extraArgs) throws Exception {
        NodeProcess n1 = new NodeProcess("n1", work.resolve("n1"), NodeProcess.freePort(), extraArgs);
        NodeProcess n2 = new NodeProcess("n2", work.resolve("n2"), NodeProcess.freePort(), extraArgs);
        NodeProcess n3 = new NodeProcess("n3", work.resolve("n3"), NodeProcess.freePort(), extraArgs);
        List<String> seeds = List.of(n1.clusterAddress(), n2.clusterAddress());
        int rack = 1;
        for (NodeProcess n : List.of(n1, n2, n3)) {
            n.withSeeds(seeds, "dc1", "rack" + rack++);
        }
        return List.of(n1, n2, n3);
    }

    static void startAll(List<NodeProcess> list) throws Exception {
        for (NodeProcess n : list) n.start();
        ExecutorService pool = Executors.newFixedThreadPool(list.size());
        try {
            List<Future<?>> ready = new ArrayList<>();
            for (NodeProcess n : list) ready.add(pool.submit(() -> n.awaitReady(Clusters.READY)));
            for (Future<?> f : ready) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    static String id(NodeProcess n) throws Exception {
        return SibylClient.of(n.baseUrl()).get("/health").body().path("id").asText();
    }

    static JsonNode cluster(NodeProcess n) throws Exception {
        SibylClient.Answer a = SibylClient.of(n.baseUrl()).get("/v1/cluster");
        assertEquals(200, a.status(), a.body().toString());
        return a.body();
    }

    static JsonNode awaitCluster(NodeProcess n, Duration timeout, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = cluster(n);
            } catch (java.io.IOException restarting) {
                // a node restarting its actor system in-process (rejoin_after_down) rebinds its HTTP port
                Thread.sleep(200);
                continue;
            }
            if (until.test(last)) return last;
            Thread.sleep(200);
        }
        throw new AssertionError(n.name() + ": /v1/cluster did not reach the expected state in " + timeout + ": " + last);
    }

    static long count(JsonNode cluster, String state) {
        long c = 0;
        for (JsonNode e : cluster.path("nodes")) if (e.path("state").asText().equals(state)) c++;
        return c;
    }

    static JsonNode entry(JsonNode cluster, String id) {
        for (JsonNode e : cluster.path("nodes")) if (e.path("id").asText().equals(id)) return e;
        throw new AssertionError("node " + id + " not in " + cluster);
    }

    static String state(JsonNode cluster, String id) {
        return entry(cluster, id).path("state").asText();
    }

    static List<String> tokens(JsonNode cluster, String id) {
        List<String> out = new ArrayList<>();
        entry(cluster, id).path("tokens").forEach(t -> out.add(t.asText()));
        return out;
    }

    /** Asserts a 200 answer (with its body as the message otherwise) and returns it. */
    static SibylClient.Answer ok(SibylClient.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
        return a;
    }

    /** Waits until the node's log contains {@code text}, or fails with the log's tail. */
    static void awaitLog(NodeProcess n, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.readString(n.logFile()).contains(text)) return;
            Thread.sleep(250);
        }
        throw new AssertionError(n.name() + ": no '" + text + "' in the log within " + timeout + ":\n" + n.logTail());
    }

    /**
     * Writes rows {@code k} in {@code [from, to)} with {@code v = "v" + k} into {@code ks.kv} in one bulk request at
     * {@code consistency}, asserting every row was acknowledged; adds the keys to {@code acked}.
     */
    static void bulkLoad(SibylClient c, String consistency, int from, int to, java.util.Set<Integer> acked) throws Exception {
        StringBuilder ndjson = new StringBuilder();
        for (int k = from; k < to; k++) ndjson.append("{\"k\":").append(k).append(",\"v\":\"v").append(k).append("\"}\n");
        JsonNode bulk = ok(c.post("/v1/keyspaces/ks/tables/kv/rows:bulk?consistency=" + consistency, ndjson.toString())).body();
        assertEquals(to - from, bulk.path("written").asInt(), bulk.toString());
        assertEquals(0, bulk.path("failed").asInt(), bulk.toString());
        for (int k = from; k < to; k++) acked.add(k);
    }

    /**
     * Every key reads (one row) at ONE through {@code c}, with {@code SELECT k FROM ks.kv WHERE k = ?}: one
     * request per key, as before, but four in flight, so a few thousand keys take seconds, not tens of seconds.
     */
    static void assertAllReadable(SibylClient c, java.util.Set<Integer> keys, String where) throws Exception {
        List<Integer> all = new ArrayList<>(keys);
        java.util.Collections.sort(all);
        List<Integer> missing = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < all.size(); i += 4) {
                        int k = all.get(i);
                        SibylClient.Answer a = c.cqlAt("ONE", "SELECT k FROM ks.kv WHERE k = ?", k);
                        if (a.status() != 200 || a.rows().size() != 1) missing.add(k);
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) f.get();
        } finally {
            pool.shutdownNow();
        }
        List<Integer> sorted = new ArrayList<>(missing);
        java.util.Collections.sort(sorted);
        org.junit.jupiter.api.Assertions.assertTrue(sorted.isEmpty(), where + ": " + sorted.size() + " of " + keys.size()
                + " acknowledged rows not found at ONE, e.g. " + sorted.subList(0, Math.min(10, sorted.size())));
    }
}
