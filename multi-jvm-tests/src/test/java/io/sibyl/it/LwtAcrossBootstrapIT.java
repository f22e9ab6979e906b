package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.startAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lightweight transactions stay linearizable across a bootstrap (Scylla's Jepsen analysis found LWT
 * split-brain after membership changes): 3 nodes, RF 3, compare-and-set increments ({@code UPDATE ... SET v = ?
 * IF v = ?} after a SERIAL read, as {@link LightweightTransactionIT}) on a few keys through every coordinator
 * while a 4th node joins (its ranges streamed slowly: {@code stream_throughput_outbound} 0.1 MiB/s), then
 * through all four. Per key, no two applied increments saw the same value, and the final value is the number of
 * applied increments (plus at most the answers of unknown outcome, WRITE_TIMEOUT).
 */
class LwtAcrossBootstrapIT {
    private static final Duration CHANGE = Duration.ofMinutes(3);
    private static final int KEYS = 3;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    /** What the clients saw for one key. */
    private static final class Outcomes {
        final ConcurrentLinkedQueue<Long> appliedOld = new ConcurrentLinkedQueue<>();
        final AtomicInteger notApplied = new AtomicInteger();
        final AtomicInteger unknown = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
    }

    @Test
    void casIncrementsDuringAJoinAreNeitherLostNorDuplicated() throws Exception {
        Path work = NodeProcess.workDir("LwtAcrossBootstrapIT");
        Path conf = work.resolve("slow-streams.conf");
        Files.writeString(conf, "sibyl.streaming.stream_throughput_outbound = 0.1\n");
        List<String> args = List.of("--config", conf.toString());
        List<NodeProcess> three = Clusters.threeNodes(work, args);
        nodes.addAll(three);
        startAll(three);
        NodeProcess n1 = three.get(0);
        awaitCluster(n1, CHANGE, c -> Clusters.count(c, "UN") == 3 && c.path("topology_change").isNull());
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        ok(c1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(c1.cql("CREATE TABLE ks.t (k int PRIMARY KEY, v bigint)"));
        ok(c1.cql("CREATE TABLE ks.pad (k int PRIMARY KEY, v text)"));
        StringBuilder ndjson = new StringBuilder();
        String pad = "p".repeat(1000);
        for (int k = 0; k < 1500; k++) ndjson.append("{\"k\":").append(k).append(",\"v\":\"").append(pad).append("\"}\n");
        ok(c1.post("/v1/keyspaces/ks/tables/pad/rows:bulk?consistency=QUORUM", ndjson.toString()));
        for (int k = 0; k < KEYS; k++) ok(c1.cqlAt("QUORUM", "INSERT INTO ks.t (k, v) VALUES (?, 0)", k));

        List<Outcomes> outcomes = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) outcomes.add(new Outcomes());
        List<SibylClient> clients = new ArrayList<>();
        for (NodeProcess n : three) clients.add(SibylClient.of(n.baseUrl()));

        // Increments through n1..n3 (two clients each) from before the join until after it finished.
        NodeProcess n4 = new NodeProcess("n4", work.resolve("n4"), NodeProcess.freePort(), args)
                .withSeeds(List.of(n1.clusterAddress(), three.get(1).clusterAddress()), "dc1", "rack4");
        nodes.add(n4);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        int t = 0;
        for (SibylClient c : clients) {
            for (int i = 0; i < 2; i++) {
                int first = t++;
                workers.add(pool.submit(() -> {
                    int n = first;
                    while (running.get()) {
                        increment(c, n % KEYS, outcomes.get(n % KEYS));
                        n++;
                    }
                    return null;
                }));
            }
        }
        Thread.sleep(1000);
        n4.start();
        n4.awaitReady(CHANGE);
        JsonNode joined = awaitCluster(n1, CHANGE, c -> c.path("topology_change").isNull() && Clusters.count(c, "UN") == 4);
        running.set(false);
        for (Future<?> f : workers) f.get(60, TimeUnit.SECONDS);

        // Then a round through all four coordinators, the new one included.
        clients.add(SibylClient.of(n4.baseUrl()));
        List<Future<?>> after = new ArrayList<>();
        for (int ci = 0; ci < clients.size(); ci++) {
            SibylClient c = clients.get(ci);
            int first = ci;
            after.add(pool.submit(() -> {
                for (int n = first; n < first + 2 * KEYS; n++) increment(c, n % KEYS, outcomes.get(n % KEYS));
                return null;
            }));
        }
        for (Future<?> f : after) f.get(60, TimeUnit.SECONDS);
        pool.shutdownNow();

        int totalApplied = 0;
        for (int k = 0; k < KEYS; k++) {
            Outcomes out = outcomes.get(k);
            List<Long> olds = new ArrayList<>(out.appliedOld);
            assertEquals(olds.size(), new HashSet<>(olds).size(), "key " + k + ": two applied increments saw the same value: " + olds);
            int applied = olds.size();
            totalApplied += applied;
            for (SibylClient c : clients) {
                long fin = serialRead(c, k);
                if (out.unknown.get() == 0) {
                    assertEquals(applied, fin, "key " + k + ": every applied=true answer is exactly one increment");
                } else {
                    assertTrue(fin >= applied && fin <= applied + out.unknown.get(),
                            "key " + k + ": final " + fin + ", applied " + applied + ", unknown " + out.unknown.get());
                }
            }
            assertEquals(out.attempts.get(), applied + out.notApplied.get() + out.unknown.get());
            System.out.println("LWT across bootstrap, key " + k + ": applied " + applied + ", not applied "
                    + out.notApplied.get() + ", unknown " + out.unknown.get() + " (join finished at epoch "
                    + joined.path("epoch").asLong() + ")");
        }
        assertTrue(totalApplied >= 3 * KEYS, "too few increments applied to mean anything: " + totalApplied);
    }

    /** Reads v at SERIAL (retrying a read that timed out), then SET v = v + 1 IF v = v_read. */
    private static void increment(SibylClient c, int k, Outcomes out) throws Exception {
        long v = serialRead(c, k);
        out.attempts.incrementAndGet();
        SibylClient.Answer a = c.cqlAt("QUORUM", "UPDATE ks.t SET v = ? WHERE k = ? IF v = ?", v + 1, k, v);
        if (a.status() == 504) {
            assertEquals("WRITE_TIMEOUT", a.errorCode(), a.body().toString());
            out.unknown.incrementAndGet();
        } else {
            ok(a);
            if (a.body().path("applied").asBoolean()) {
                out.appliedOld.add(v);
            } else {
                out.notApplied.incrementAndGet();
            }
        }
    }

    private static long serialRead(SibylClient c, int k) throws Exception {
        SibylClient.Answer a = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            a = c.cqlAt("SERIAL", "SELECT v FROM ks.t WHERE k = ?", k);
            if (a.status() == 200) return a.rows().get(0).path("v").asLong();
            assertEquals(504, a.status(), "a SERIAL read fails only by timing out: " + a.body());
        }
        throw new AssertionError("SERIAL read of key " + k + " kept timing out: " + a.body());
    }
}
