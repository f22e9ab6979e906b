package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node process: SIGTERM stops it cleanly, kill -9 does not lose its schema, and it restarts on the same data. */
class NodeRestartIT {

    @Test
    void schemaSurvivesSigtermAndKill9() throws Exception {
        Path work = NodeProcess.workDir("restart");
        int port = NodeProcess.freePort();
        try (NodeProcess node = new NodeProcess("n1", work.resolve("n1"), port, List.of())) {
            node.start().awaitReady(Duration.ofSeconds(60));
            SibylClient c = SibylClient.of(node.baseUrl());
            assertEquals(200, c.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
            assertEquals(200, c.cql("CREATE TABLE ks.t (k text PRIMARY KEY, v int)").status());

            assertEquals(143, node.terminate(Duration.ofSeconds(30)), "SIGTERM exit code");
            node.start().awaitReady(Duration.ofSeconds(60));
            assertEquals(200, c.get("/v1/keyspaces/ks/tables/t").status());

            assertEquals(200, c.cql("CREATE TABLE ks.u (k text PRIMARY KEY, v int)").status());
            node.kill9();
            node.start().awaitReady(Duration.ofSeconds(60));
            assertEquals(200, c.get("/v1/keyspaces/ks/tables/u").status(), node.logTail());
            assertEquals("ALREADY_EXISTS", c.cql("CREATE TABLE ks.u (k text PRIMARY KEY)").errorCode());
        }
    }
}
