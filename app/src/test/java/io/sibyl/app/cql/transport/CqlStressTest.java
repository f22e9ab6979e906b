package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import io.sibyl.stress.StressCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sibyl stress --target cql://...} end to end against one real node's native protocol server:
 * short smoke runs of every workload (no benchmark), checking that ops succeed with no errors, reads
 * find the rows ingest and --load wrote, and the data is really there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CqlStressTest {

    @TempDir
    static Path dataDir;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SibylNode node;
    private String target;

    @BeforeAll
    void start() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        node = TestNodes.start(dataDir, Map.of("sibyl.cql.port", port));
        target = "cql://127.0.0.1:" + node.cqlPort();
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) node.stop().get();
    }

    private JsonNode run(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--target", target, "--warmup", "1s", "--duration", "1s",
                "--progress-interval", "500ms", "--concurrency", "8", "--json"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new StressCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        assertEquals(0, exit, err + "\n" + out);
        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
        assertTrue(summary.get("ops").asLong() > 0, "ops succeeded: " + summary);
        assertEquals(0, summary.get("errors").asLong(), "no errors: " + out);
        return summary;
    }

    @Test
    void everyWorkloadRunsOverTheNativeProtocol() throws Exception {
        JsonNode ingest = run("--workload", "ingest", "--keyspace", "cs", "--consistency", "quorum", "--batch", "10");
        assertEquals("QUORUM", ingest.get("consistency").asText());
        assertTrue(ingest.get("rows").asLong() >= 10 * ingest.get("ops").asLong(), "a batch op writes 10 rows: " + ingest);

        JsonNode read = run("--workload", "read", "--keyspace", "cs", "--load", "--keys", "300");
        // every key 0..299 was loaded: no read comes back empty
        assertEquals(0, read.get("empty_reads").asLong(), "reads find the loaded rows: " + read);

        run("--workload", "timeseries", "--keyspace", "cs", "--read-latest", "3");
    }

    @Test
    void aBadConsistencyIsRefusedBeforeConnecting() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new StressCommand()).setErr(new PrintWriter(err))
                .execute("--target", target, "--consistency", "MOST");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("bad --consistency"), err.toString());
    }
}
