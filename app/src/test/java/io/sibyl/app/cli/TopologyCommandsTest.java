package io.sibyl.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decommission/removenode CLI against a real one-node cluster: refusals exit 1 with the server's reason. */
class TopologyCommandsTest {

    @TempDir
    Path dataDir;

    @Test
    void refusedChangesExitOneWithTheReason() throws Exception {
        SibylNode node = TestNodes.start(dataDir, Map.of());
        try {
            String host = "http://127.0.0.1:" + node.httpPort() + "/";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            TopologyProgress p = new TopologyProgress(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = p.run(NodeOptions.of(host, null, null, null).client(), "/v1/admin/decommission", null, "decommission", Duration.ofMillis(100), Duration.ofSeconds(10));
            assertEquals(1, code);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("decommission refused (HTTP 400)"), err.toString());
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("last NORMAL node"), err.toString());

            err.reset();
            code = p.run(NodeOptions.of(host, null, null, null).client(), "/v1/admin/removenode/nobody", "nobody", "removenode", Duration.ofMillis(100), Duration.ofSeconds(10));
            assertEquals(1, code);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("HTTP 404"), err.toString());
        } finally {
            node.stop().get();
        }
    }
}
