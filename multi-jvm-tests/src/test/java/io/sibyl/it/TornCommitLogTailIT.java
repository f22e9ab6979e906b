package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A crash leaves the last commit-log record half written (truncated) or followed by garbage: the node
 * restarts without complaint and every acknowledged row is back, except the one whose record was torn.
 */
class TornCommitLogTailIT {

    @Test
    void aTornOrGarbageTailEndsReplayQuietly() throws Exception {
        Path work = NodeProcess.workDir("torn-tail");
        int port = NodeProcess.freePort();
        try (NodeProcess node = new NodeProcess("n1", work.resolve("n1"), port, List.of())) {
            node.start().awaitReady(Duration.ofSeconds(60));
            SibylClient c = SibylClient.of(node.baseUrl());
            assertEquals(200, c.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
            assertEquals(200, c.cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());

            // Round 1: the last record is cut in the middle (the write that was under way at the crash): the
            // preallocated segment keeps zeros where the rest of the record never arrived.
            write(c, 0, 100);
            node.kill9();
            Path last = lastSegment(node);
            List<Integer> records = CommitLogFiles.recordOffsets(last);
            int tornAt = records.get(records.size() - 1);
            int end = CommitLogFiles.recordsEnd(last);
            zero(last, tornAt + (end - tornAt) / 2, end);
            node.start().awaitReady(Duration.ofSeconds(60));
            assertTrue(node.logTail().contains("torn record at offset " + tornAt), node.logTail());
            assertRows(c, 0, 99, node);
            assertEquals(0, c.cql("SELECT v FROM ks.t WHERE k = 99").rows().size(),
                    "the torn record (row 99) cannot come back");

            // Round 2: garbage right after the last complete record (e.g. a half-written block).
            write(c, 100, 200);
            node.kill9();
            Path last2 = lastSegment(node);
            byte[] garbage = new byte[300];
            new Random(3).nextBytes(garbage);
            try (FileChannel ch = FileChannel.open(last2, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(garbage), CommitLogFiles.recordsEnd(last2));
            }
            node.start().awaitReady(Duration.ofSeconds(60));
            assertRows(c, 0, 99, node);
            assertRows(c, 100, 200, node);
            assertEquals(200, c.cql("INSERT INTO ks.t (k, v) VALUES (1000, 'after')").status(), "the node takes writes");
        }
    }

    private static void write(SibylClient c, int from, int to) throws Exception {
        for (int k = from; k < to; k++) {
            var a = c.cql("INSERT INTO ks.t (k, v) VALUES (?, ?)", k, "value-" + k);
            assertEquals(200, a.status(), a.body().toString());
        }
    }

    private static void assertRows(SibylClient c, int from, int to, NodeProcess node) throws Exception {
        for (int k = from; k < to; k++) {
            var a = c.cql("SELECT v FROM ks.t WHERE k = ?", k);
            assertEquals(200, a.status(), a.body().toString());
            assertEquals(1, a.rows().size(), "acknowledged row " + k + " lost\n" + node.logTail());
            assertEquals("value-" + k, a.rows().get(0).path("v").asText());
        }
    }

    private static Path lastSegment(NodeProcess node) throws IOException {
        List<Path> segments = CommitLogFiles.segments(node.dataDir());
        assertTrue(!segments.isEmpty(), "kill -9 leaves the commit log");
        return segments.get(segments.size() - 1);
    }

    private static void zero(Path file, long from, long to) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate((int) (to - from)), from);
        }
    }
}
