package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Damage in the middle of the commit log (not a torn tail): the node refuses to start and says which
 * file and offset; with {@code commitlog_replay_failure_policy = skip} it starts without that record.
 */
class CorruptCommitLogIT {

    @Test
    void corruptionInAnOlderSegmentStopsTheStartUnlessSkipIsChosen() throws Exception {
        Path work = NodeProcess.workDir("corrupt-log");
        int port = NodeProcess.freePort();
        Path stopConf = work.resolve("stop.conf");
        Path skipConf = work.resolve("skip.conf");
        // small segments, so a few hundred rows span several of them
        Files.writeString(stopConf, "sibyl.storage.commitlog_segment_size = 64KiB\n");
        Files.writeString(skipConf, "sibyl.storage.commitlog_segment_size = 64KiB\n"
                + "sibyl.storage.commitlog_replay_failure_policy = skip\n");
        Path dataDir = work.resolve("n1");
        int rows = 400;
        String pad = "p".repeat(400);
        try (NodeProcess node = new NodeProcess("n1", dataDir, port, List.of("--config", stopConf.toString()))) {
            node.start().awaitReady(Duration.ofSeconds(60));
            SibylClient c = SibylClient.of(node.baseUrl());
            assertEquals(200, c.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
            assertEquals(200, c.cql("CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());
            for (int k = 0; k < rows; k++) {
                var a = c.cql("INSERT INTO ks.t (k, v) VALUES (?, ?)", k, pad + k);
                assertEquals(200, a.status(), a.body().toString());
            }
            node.kill9();

            List<Path> segments = CommitLogFiles.segments(dataDir);
            assertTrue(segments.size() >= 2, "several segments: " + segments);
            Path first = segments.get(0);
            List<Integer> records = CommitLogFiles.recordOffsets(first);
            int damaged = records.get(records.size() / 2);
            CommitLogFiles.flipByte(first, damaged + 8 + 20); // inside the payload: its CRC no longer matches

            node.start();
            assertTrue(node.waitForExit(Duration.ofSeconds(60)), "the node must refuse to start:\n" + node.logTail());
            assertNotEquals(0, node.exitCode());
            String log = node.logTail();
            assertTrue(log.contains("failed to start: commit log corrupt in " + first + " at offset " + damaged),
                    "names file and offset:\n" + log);
            assertTrue(log.contains("commitlog_replay_failure_policy = skip"), "says how to start anyway:\n" + log);
            assertEquals(segments, CommitLogFiles.segments(dataDir), "a refused start leaves the log alone");
        }
        try (NodeProcess node = new NodeProcess("n1", dataDir, port, List.of("--config", skipConf.toString()))) {
            node.start().awaitReady(Duration.ofSeconds(60));
            SibylClient c = SibylClient.of(node.baseUrl());
            int missing = 0;
            for (int k = 0; k < rows; k++) {
                var a = c.cql("SELECT v FROM ks.t WHERE k = ?", k);
                assertEquals(200, a.status(), a.body().toString());
                if (a.rows().size() == 0) {
                    missing++;
                } else {
                    assertEquals(pad + k, a.rows().get(0).path("v").asText());
                }
            }
            assertEquals(1, missing, "exactly the damaged record is skipped");
            assertTrue(node.logTail().contains("skipping (commitlog_replay_failure_policy = skip)"), node.logTail());
        }
    }
}
