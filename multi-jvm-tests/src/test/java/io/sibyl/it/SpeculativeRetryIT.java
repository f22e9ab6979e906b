package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.SimpleStrategy;
import io.sibyl.actors.ring.TokenRing;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.types.CqlTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rapid read protection on real node JVMs: 3 nodes, a keyspace of RF 2 (so that every key has a
 * coordinator that is not one of its replicas — with RF 3 on 3 nodes every node is a replica of
 * every key and reads at ONE are local), one replica SIGSTOPped. Reads at ONE through the
 * non-replica coordinator ask one of the two replicas at random; those sent to the stalled one are
 * retried on the other after the table's {@code speculative_retry} delay (the default, 99p of recent
 * replica answers), so they succeed with p99 far under {@code read_request_timeout} (5 s) — before
 * the failure detector has marked the replica down, and after.
 */
class SpeculativeRetryIT {
    private static final int KEYS = 150;
    private static final Duration MEASURE = Duration.ofSeconds(6);

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) {
            if (n.isAlive()) {
                n.resume(); // a paused JVM cannot be stopped cleanly
            }
            n.close();
        }
    }

    @Test
    void readsAtOneThroughANonReplicaSurviveAStalledReplicaWithinTheSpeculativeDelay() throws Exception {
        List<NodeProcess> three = Clusters.startThreeNodes("speculative", nodes);
        NodeProcess n1 = three.get(0);
        NodeProcess n3 = three.get(2);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        ok(c1.cql("CREATE KEYSPACE rf2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}"));
        ok(c1.cql("CREATE TABLE rf2.t (k int PRIMARY KEY, v int)"));
        String cql = ok(c1.get("/v1/keyspaces/rf2/tables/t")).body().path("cql").asText();
        assertTrue(cql.contains("speculative_retry = '99p'"), "DESCRIBE shows the default: " + cql);

        // The keys whose replicas are n2 and n3: n1 coordinates them without being a replica.
        String id1 = Clusters.id(n1);
        String id3 = Clusters.id(n3);
        TokenRing ring = ring(Clusters.cluster(n1));
        List<Integer> keys = new ArrayList<>();
        for (int k = 0; keys.size() < KEYS; k++) {
            Set<String> replicas = ring.replicasFor(new SimpleStrategy(2), token(k)).stream()
                    .map(n -> n.id().value()).collect(Collectors.toSet());
            if (!replicas.contains(id1)) {
                assertTrue(replicas.contains(id3), "with 3 nodes and RF 2 a key n1 does not hold is on n3: " + replicas);
                keys.add(k);
            }
        }
        for (int k : keys) {
            ok(c1.cqlAt("ALL", "INSERT INTO rf2.t (k, v) VALUES (?, ?)", k, k * 10));
        }
        // Warm-up: the coordinator samples its replicas' answers, so 99p means something.
        for (int round = 0; round < 2; round++) {
            for (int k : keys) {
                ok(c1.cqlAt("ONE", "SELECT v FROM rf2.t WHERE k = ?", k));
            }
        }
        double retriesBefore = speculativeRetries(n1);

        n3.pause();
        long t0 = System.nanoTime();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int offset = w * 37;
                workers.add(pool.submit(() -> {
                    for (int i = offset; System.nanoTime() - t0 < MEASURE.toNanos(); i++) {
                        int k = keys.get(i % keys.size());
                        long s = System.nanoTime();
                        SibylClient.Answer a = c1.cqlAt("ONE", "SELECT v FROM rf2.t WHERE k = ?", k);
                        latencies.add((System.nanoTime() - s) / 1_000_000);
                        if (a.status() != 200 || a.rows().size() != 1 || a.rows().get(0).path("v").asInt() != k * 10) {
                            failures.add(k + ": " + a.status() + " " + a.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double retries = speculativeRetries(n1) - retriesBefore;
        n3.resume();

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        long max = sorted.get(sorted.size() - 1);
        System.out.printf("SpeculativeRetryIT: %d reads at ONE in %d s after SIGSTOP of a replica: %d failed,"
                        + " p50 %d ms, p99 %d ms, max %d ms, %.0f speculative retries%n",
                sorted.size(), MEASURE.toSeconds(), failures.size(), p50, p99, max, retries);
        assertTrue(failures.isEmpty(), failures.size() + " reads failed, e.g. " + failures.peek());
        assertTrue(retries >= 1, "reads sent to the stalled replica were retried on the other one");
        assertTrue(p99 < 1_000, "p99 " + p99 + " ms is far under read_request_timeout (5 s)");
    }

    /** The ring as n1 sees it (ids, dcs, racks and tokens from /v1/cluster). */
    private static TokenRing ring(JsonNode cluster) {
        TokenRing ring = TokenRing.empty();
        for (JsonNode e : cluster.path("nodes")) {
            List<Long> tokens = new ArrayList<>();
            e.path("tokens").forEach(t -> tokens.add(Long.parseLong(t.asText())));
            ring = ring.withNode(new NodeInfo(NodeId.of(e.path("id").asText()), "127.0.0.1", 0, 0,
                    e.path("dc").asText(), e.path("rack").asText()), tokens);
        }
        return ring;
    }

    private static long token(int k) {
        return Murmur3Partitioner.token(CqlTypes.parse("int").serialize(k));
    }

    /** sibyl_speculative_retries_total of rf2.t from the node's /metrics (0 before the first retry). */
    private static double speculativeRetries(NodeProcess n) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(n.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("sibyl_speculative_retries_total{") && line.contains("keyspace=\"rf2\"")
                    && line.contains("table=\"t\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
