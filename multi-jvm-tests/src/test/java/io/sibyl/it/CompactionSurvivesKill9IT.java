package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A node is killed with SIGKILL in the middle of a major compaction (throttled so it takes seconds).
 * After a restart the table holds exactly the old SSTable set or exactly the compacted one — no
 * transaction log or temporary file left, no SSTable of both — and every row reads back with its
 * newest value; a new major compaction then completes.
 */
class CompactionSurvivesKill9IT {

    private static final int ROUNDS = 4;
    private static final int KEYS = 8000;
    private static final String PAD = "x".repeat(400);

    @Test
    void killDuringMajorCompactionLeavesAConsistentSet() throws Exception {
        Path work = NodeProcess.workDir("compaction-kill9");
        Path conf = work.resolve("slow-compaction.conf");
        // ~3.4 MB of output at 512 KiB/s (after a one-second burst): the compaction runs for ~5 s, killed within ~2.
        Files.writeString(conf, "sibyl.storage.compaction.compaction_throughput = 512KiB\n");
        int port = NodeProcess.freePort();
        try (NodeProcess node = new NodeProcess("n1", work.resolve("n1"), port, List.of("--config", conf.toString()))) {
            node.start().awaitReady(Duration.ofSeconds(60));
            SibylClient c = SibylClient.of(node.baseUrl());
            assertEquals(200, c.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
            // Background compactions off: the only compaction is the major one we kill.
            assertEquals(200, c.cql("CREATE TABLE ks.t (k int PRIMARY KEY, round int, pad text) WITH compaction = "
                    + "{'class': 'SizeTieredCompactionStrategy', 'enabled': 'false'}").status());
            for (int round = 0; round < ROUNDS; round++) {
                StringBuilder ndjson = new StringBuilder();
                for (int k = 0; k < KEYS; k++) {
                    // Every round rewrites three keys in four, so the newest value is spread over SSTables.
                    if ((k + round) % 4 != 0) {
                        ndjson.append("{\"k\":").append(k).append(",\"round\":").append(round)
                                .append(",\"pad\":\"").append(PAD).append(k).append("\"}\n");
                    }
                }
                var w = c.post("/v1/keyspaces/ks/tables/t/rows:bulk", ndjson.toString());
                assertEquals(200, w.status(), w.body().toString());
                assertEquals(0, w.body().path("failed").asInt(), w.body().toString());
                assertEquals(200, c.post("/v1/admin/flush?keyspace=ks&table=t", "").status());
            }
            assertEquals(ROUNDS, sstables(c));
            List<Integer> oldGens = generations(node);

            assertEquals(202, c.post("/v1/admin/compact?keyspace=ks&table=t&wait=false", "").status());
            JsonNode running = awaitRunning(c);
            assertTrue(running.path("bytes_total").asLong() > 4_000_000, running.toString());
            Thread.sleep(300 + ThreadLocalRandom.current().nextInt(1500));
            JsonNode stillRunning = c.get("/v1/admin/compactions").body().path("running");
            node.kill9();
            assertEquals(1, stillRunning.size(), "the compaction should still be running when killed: " + stillRunning);

            node.start().awaitReady(Duration.ofSeconds(60));
            List<Integer> gens = generations(node);
            boolean oldSet = gens.equals(oldGens);
            boolean newSet = gens.size() == 1 && !oldGens.contains(gens.get(0));
            assertTrue(oldSet || newSet, "neither the old set " + oldGens + " nor one new SSTable: " + gens);
            assertEquals(gens.size(), sstables(c));
            try (Stream<Path> files = Files.list(tableDir(node))) {
                List<String> debris = files.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("txn-") || n.startsWith("tmp-")).toList();
                assertEquals(List.of(), debris);
            }
            assertAllReadable(c, node);

            var done = c.post("/v1/admin/compact?keyspace=ks&table=t", "");
            assertEquals(200, done.status(), done.body().toString());
            assertEquals(1, sstables(c));
            assertAllReadable(c, node);
        }
    }

    private static JsonNode awaitRunning(SibylClient c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = c.get("/v1/admin/compactions").body().path("running");
            if (r.size() > 0) return r.get(0);
            Thread.sleep(20);
        }
        throw new AssertionError("the major compaction never showed up in /v1/admin/compactions");
    }

    private static void assertAllReadable(SibylClient c, NodeProcess node) throws Exception {
        for (int k = 0; k < KEYS; k += 7) {
            var a = c.cql("SELECT round, pad FROM ks.t WHERE k = ?", k);
            assertEquals(200, a.status(), a.body().toString());
            assertEquals(1, a.rows().size(), "k=" + k + " lost\n" + node.logTail());
            int newest = -1;
            for (int round = 0; round < ROUNDS; round++) {
                if ((k + round) % 4 != 0) newest = round;
            }
            assertEquals(newest, a.rows().get(0).path("round").asInt(), "k=" + k);
            assertEquals(PAD + k, a.rows().get(0).path("pad").asText());
        }
    }

    private static int sstables(SibylClient c) throws Exception {
        for (JsonNode t : c.get("/v1/admin/tables").body().path("tables")) {
            if (t.path("table").asText().equals("t")) return t.path("sstableCount").asInt();
        }
        throw new AssertionError("no table t in /v1/admin/tables");
    }

    private static Path tableDir(NodeProcess node) throws Exception {
        try (Stream<Path> dirs = Files.list(node.dataDir().resolve("data").resolve("ks"))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("t-")).findFirst().orElseThrow();
        }
    }

    /** Generations with a TOC (complete SSTables) in the table directory, ascending. */
    private static List<Integer> generations(NodeProcess node) throws Exception {
        try (Stream<Path> files = Files.list(tableDir(node))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("sa-\\d+-TOC\\.txt"))
                    .map(n -> Integer.parseInt(n.split("-")[1])).sorted().toList();
        }
    }
}
