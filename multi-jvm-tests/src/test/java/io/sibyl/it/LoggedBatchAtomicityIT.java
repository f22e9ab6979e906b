package io.sibyl.it;

import static io.sibyl.it.Clusters.ok;
import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real node JVMs, RF 3: a logged batch over several partitions whose coordinator dies (halted
 * as by kill -9, through the test-only {@code POST /v1/admin/fault/crash_after_batchlog}) right after
 * the batch reached the batchlog of the two other nodes and before any of its mutations was sent.
 * Nothing of the batch is visible at first; the batchlog holders replay it after the batchlog timeout
 * (2 x write_request_timeout), and then every mutation of it is visible on both survivors: all, never
 * some. An unlogged batch through the same path is not protected (it has no batchlog), which the
 * crash hook shows by never firing for it.
 */
class LoggedBatchAtomicityIT {
    private static final int PARTITIONS = 8;

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void aBatchWhoseCoordinatorDiesAfterTheBatchlogWriteIsAppliedInFullByReplay() throws Exception {
        List<NodeProcess> three = Clusters.threeNodes(NodeProcess.workDir("logged-batch"), List.of());
        for (NodeProcess n : three) {
            n.withProperty("sibyl.cluster.fault_injection", "on");
            n.withProperty("sibyl.coordinator.write_request_timeout", "2s");
            n.withProperty("sibyl.batchlog.replay_interval", "1s");
        }
        nodes.addAll(three);
        Clusters.startAll(three);
        NodeProcess n1 = three.get(0);
        NodeProcess n2 = three.get(1);
        NodeProcess n3 = three.get(2);
        for (NodeProcess n : three) awaitCluster(n, Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        SibylClient c1 = SibylClient.of(n1.baseUrl());
        SibylClient c2 = SibylClient.of(n2.baseUrl());
        SibylClient c3 = SibylClient.of(n3.baseUrl());
        ok(c1.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(c1.cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)"));
        awaitTable(c3);

        // The hook is armed, but unlogged and single-partition batches have no batchlog write: n3 lives on.
        ok(c3.post("/v1/admin/fault/crash_after_batchlog", ""));
        ok(c3.cqlAt("QUORUM", batch("BEGIN UNLOGGED BATCH", 100, "unlogged")));
        ok(c3.cqlAt("QUORUM", "BEGIN BATCH INSERT INTO ks.t (k, v) VALUES (200, 'single') APPLY BATCH"));
        assertTrue(n3.isAlive(), "no batchlog write for unlogged or single-partition batches");

        // The logged batch: n3 halts once n1 and n2 hold it in their batchlogs, before sending any mutation.
        long sent = System.nanoTime();
        try {
            SibylClient.Answer a = c3.cqlAt("QUORUM", batch("BEGIN BATCH", 0, "logged"));
            fail("the coordinator answered instead of crashing: " + a.status() + " " + a.body());
        } catch (IOException expected) {
            // the coordinator's JVM is gone
        }
        assertTrue(n3.waitForExit(Duration.ofSeconds(10)), "n3 halted");
        assertEquals(137, n3.exitCode());

        // At once: nothing of the batch anywhere (the batchlog timeout has not passed yet).
        List<Integer> early = visible(c1, "ONE");
        long checkedAfterMs = (System.nanoTime() - sent) / 1_000_000;
        if (checkedAfterMs < 3_500) {
            assertEquals(List.of(), early, "nothing is applied before the batchlog replay (" + checkedAfterMs + " ms)");
        }

        // After the timeout the holders replay it: every partition on both survivors, none missing.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Integer> on1 = List.of();
        List<Integer> on2 = List.of();
        while (System.nanoTime() < deadline) {
            on1 = visible(c1, "ONE");
            on2 = visible(c2, "ONE");
            if (on1.size() == PARTITIONS && on2.size() == PARTITIONS) break;
            Thread.sleep(250);
        }
        long replayedAfterMs = (System.nanoTime() - sent) / 1_000_000;
        assertEquals(PARTITIONS, on1.size(), "n1 sees " + on1 + "\n" + n1.logTail());
        assertEquals(PARTITIONS, on2.size(), "n2 sees " + on2 + "\n" + n2.logTail());
        assertTrue(replayedAfterMs >= 4_000, "replayed after the batchlog timeout, not before: " + replayedAfterMs + " ms");
        // QUORUM (n1 + n2) agrees, and the unlogged batch is untouched by all of this.
        assertEquals(PARTITIONS, visible(c2, "QUORUM").size());
        JsonNode row = ok(c1.cqlAt("QUORUM", "SELECT v FROM ks.t WHERE k = 100")).rows();
        assertEquals("unlogged", row.get(0).path("v").asText());
        System.out.println("logged batch of " + PARTITIONS + " partitions: " + early.size() + " visible "
                + checkedAfterMs + " ms after its coordinator died, all on both survivors after " + replayedAfterMs + " ms");
    }

    /** A batch of PARTITIONS inserts of keys from {@code first}, value {@code v}. */
    private static String batch(String begin, int first, String v) {
        StringBuilder b = new StringBuilder(begin).append(' ');
        for (int k = first; k < first + PARTITIONS; k++) {
            b.append("INSERT INTO ks.t (k, v) VALUES (").append(k).append(", '").append(v).append("'); ");
        }
        return b.append("APPLY BATCH").toString();
    }

    /** The keys 0..PARTITIONS-1 the coordinator behind {@code c} reads at {@code cl}. */
    private static List<Integer> visible(SibylClient c, String cl) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < PARTITIONS; k++) {
            JsonNode rows = ok(c.cqlAt(cl, "SELECT v FROM ks.t WHERE k = ?", k)).rows();
            if (rows.size() == 1) {
                assertEquals("logged", rows.get(0).path("v").asText());
                out.add(k);
            }
        }
        return out;
    }

    private static void awaitTable(SibylClient c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (c.cql("SELECT v FROM ks.t WHERE k = -1").status() == 200) return;
            Thread.sleep(200);
        }
        fail("ks.t never reached the coordinator");
    }
}
