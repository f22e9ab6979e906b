package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.app.node.NodeClient.Answer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A real node over HTTP: admin flush, and storage failures answered as API errors (never 500). */
class NodeStorageTest extends NodeTestSupport {

    private void start(Map<String, Object> extra) throws Exception {
        node = TestNodes.start(dataDir, extra);
    }

    private void ok(Answer a) {
        assertEquals(200, a.status(), a.body().toString());
    }

    private void schema() throws Exception {
        ok(cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        ok(cql("CREATE TABLE ks.t (k int, c int, v text, PRIMARY KEY (k, c))"));
    }

    private JsonNode tableStats() throws Exception {
        for (JsonNode t : send("GET", "/v1/admin/tables", null).body().path("tables")) {
            if (t.path("table").asText().equals("t")) return t;
        }
        throw new AssertionError("no stats for ks.t");
    }

    @Test
    void adminFlushWritesAnSSTableAndRejectsUnknownTables() throws Exception {
        start(Map.of());
        schema();
        for (int i = 0; i < 20; i++) ok(cql("INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)", i, 0, "v" + i));
        assertEquals(0, tableStats().path("sstableCount").asInt(), tableStats().toString());

        ok(send("POST", "/v1/admin/flush?keyspace=ks&table=t", null));
        assertEquals(1, tableStats().path("sstableCount").asInt(), tableStats().toString());
        ok(send("POST", "/v1/admin/flush?keyspace=ks", null)); // empty memtable: no new SSTable
        ok(send("POST", "/v1/admin/flush", null));
        assertEquals(1, tableStats().path("sstableCount").asInt());
        assertEquals("v7", cql("SELECT v FROM ks.t WHERE k = 7").body().path("rows").get(0).path("v").asText());

        Answer unknownTable = send("POST", "/v1/admin/flush?keyspace=ks&table=nope", null);
        assertEquals(404, unknownTable.status());
        assertEquals("NOT_FOUND", unknownTable.code());
        assertEquals(404, send("POST", "/v1/admin/flush?keyspace=nope", null).status());
        assertEquals("INVALID", send("POST", "/v1/admin/flush?table=t", null).code());
    }

    @Test
    void tombstoneFailureThresholdAnswersReadFailure() throws Exception {
        start(Map.of("sibyl.storage.tombstone_warn_threshold", 5, "sibyl.storage.tombstone_failure_threshold", 10));
        schema();
        for (int c = 0; c < 20; c++) ok(cql("DELETE FROM ks.t WHERE k = 1 AND c = ?", c));
        ok(cql("INSERT INTO ks.t (k, c, v) VALUES (2, 0, 'x')"));

        Answer failed = cql("SELECT * FROM ks.t WHERE k = 1");
        assertEquals(502, failed.status(), failed.body().toString());
        assertEquals("READ_FAILURE", failed.code());
        // reasons are keyed by the replica (this node's id) that failed the read
        assertTrue(failed.body().path("error").path("reasons").toString().contains("tombstone_failure_threshold"),
                failed.body().toString());
        assertEquals(1, tableStats().path("tombstoneFailures").asInt());
        assertTrue(tableStats().path("tombstonesScanned").asInt() > 10, tableStats().toString());
        assertEquals("x", cql("SELECT v FROM ks.t WHERE k = 2").body().path("rows").get(0).path("v").asText());
    }

    @Test
    void mutationTooLargeForTheCommitLogIsPayloadTooLarge() throws Exception {
        start(Map.of("sibyl.storage.commitlog_segment_size", "64KiB"));
        schema();
        Answer tooLarge = cql("INSERT INTO ks.t (k, c, v) VALUES (1, 1, ?)", "x".repeat(40_000));
        assertEquals(413, tooLarge.status(), tooLarge.body().toString());
        assertEquals("PAYLOAD_TOO_LARGE", tooLarge.code());
        assertEquals(32768, tooLarge.body().path("error").path("limit").asInt());
        assertEquals(0, cql("SELECT * FROM ks.t WHERE k = 1").body().path("rows").size(), "nothing written");
        ok(cql("INSERT INTO ks.t (k, c, v) VALUES (1, 1, ?)", "x".repeat(20_000)));
    }

    @Test
    void aCorruptChunkFailsOnlyTheReadsTouchingItAndNamesTheSSTable() throws Exception {
        start(Map.of());
        schema();
        Random rnd = new Random(42);
        int partitions = 120;
        for (int k = 0; k < partitions; k++) {
            byte[] noise = new byte[1500];
            rnd.nextBytes(noise);
            ok(cql("INSERT INTO ks.t (k, c, v) VALUES (?, 0, ?)", k, Base64.getEncoder().encodeToString(noise)));
        }
        ok(send("POST", "/v1/admin/flush?keyspace=ks&table=t", null));
        Path data = dataFile();
        flipByte(data, 1000); // inside the first chunk

        int failed = 0;
        int read = 0;
        for (int k = 0; k < partitions; k++) {
            Answer a = cql("SELECT v FROM ks.t WHERE k = ?", k);
            if (a.status() == 200) {
                assertEquals(1, a.body().path("rows").size());
                read++;
            } else {
                assertEquals(502, a.status(), a.body().toString());
                assertEquals("READ_FAILURE", a.code());
                assertTrue(a.body().path("error").path("reasons").toString().contains(data.getFileName().toString()),
                        "the error names the SSTable: " + a.body());
                assertTrue(a.body().path("error").path("message").asText().contains("checksum mismatch"),
                        a.body().toString());
                failed++;
            }
        }
        assertTrue(failed > 0, "reads of the damaged chunk fail");
        assertTrue(read > failed, "other chunks still read: " + read + " ok, " + failed + " failed");
        assertEquals(failed, tableStats().path("corruptSSTableReads").asInt());
        assertEquals(200, send("GET", "/health", null).status());
    }

    private Path dataFile() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("data"))) {
            List<Path> data = files.filter(p -> p.getFileName().toString().endsWith("-Data.db")).toList();
            assertEquals(1, data.size(), data.toString());
            return data.get(0);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
        }
    }
}
