package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One flipped byte inside a compressed chunk of an SSTable's data file: reads touching that chunk fail
 * with READ_FAILURE naming the SSTable, every other partition still reads, the node keeps serving (and
 * restarts: data chunks are verified when read, not at open), and /metrics counts the failures.
 */
class CorruptSSTableChunkIT {

    @Test
    void aCorruptChunkFailsOnlyItsReads() throws Exception {
        Path work = NodeProcess.workDir("corrupt-sstable");
        int port = NodeProcess.freePort();
        try (NodeProcess node = new NodeProcess("n1", work.resolve("n1"), port, List.of())) {
            node.start().awaitReady(Duration.ofSeconds(60));
            SibylClient c = SibylClient.of(node.baseUrl());
            assertEquals(200, c.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
            assertEquals(200, c.cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());
            int partitions = 120;
            Random rnd = new Random(11);
            String[] values = new String[partitions];
            for (int k = 0; k < partitions; k++) {
                byte[] noise = new byte[1500]; // incompressible: 120 partitions make several 64 KiB chunks
                rnd.nextBytes(noise);
                values[k] = Base64.getEncoder().encodeToString(noise);
                assertEquals(200, c.cql("INSERT INTO ks.t (k, v) VALUES (?, ?)", k, values[k]).status());
            }
            assertEquals(200, c.post("/v1/admin/flush?keyspace=ks&table=t", "").status());
            Path data = dataFile(node.dataDir());
            long size = Files.size(data);
            CommitLogFiles.flipByte(data, size / 2); // in a middle chunk

            int failed = readAll(c, values, data);
            assertTrue(c.get("/health").status() == 200, "node still serving");
            assertEquals(200, c.cql("INSERT INTO ks.t (k, v) VALUES (1000, 'new')").status(), "writes still work");
            String metrics = metrics(node);
            assertTrue(metrics.contains("sibyl_sstable_checksum_failures_total{") && metrics.lines()
                    .anyMatch(l -> l.startsWith("sibyl_sstable_checksum_failures_total{") && l.contains("table=\"t\"")
                            && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) == failed),
                    "checksum failures counted:\n" + metrics);

            // The damage survives a restart, and so does the rest of the data.
            node.terminate(Duration.ofSeconds(30));
            node.start().awaitReady(Duration.ofSeconds(60));
            assertEquals(failed, readAll(c, values, data));
        }
    }

    /** Reads every partition; returns how many failed (each with READ_FAILURE naming the data file). */
    private static int readAll(SibylClient c, String[] values, Path data) throws Exception {
        int failed = 0;
        for (int k = 0; k < values.length; k++) {
            var a = c.cql("SELECT v FROM ks.t WHERE k = ?", k);
            if (a.status() == 200) {
                assertEquals(values[k], a.rows().get(0).path("v").asText(), "partition " + k);
                continue;
            }
            assertEquals(502, a.status(), a.body().toString());
            assertEquals("READ_FAILURE", a.errorCode());
            assertTrue(a.body().path("error").path("message").asText().contains(data.getFileName().toString()),
                    a.body().toString());
            assertTrue(a.body().path("error").path("reasons").toString().contains("checksum mismatch"), a.body().toString());
            failed++;
        }
        assertTrue(failed > 0, "some reads touch the damaged chunk");
        assertTrue(failed < values.length / 2, "only that chunk's partitions fail: " + failed);
        return failed;
    }

    private static Path dataFile(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("data"))) {
            List<Path> data = files.filter(p -> p.getFileName().toString().endsWith("-Data.db")).toList();
            assertEquals(1, data.size(), data.toString());
            return data.get(0);
        }
    }

    private static String metrics(NodeProcess node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }
}
