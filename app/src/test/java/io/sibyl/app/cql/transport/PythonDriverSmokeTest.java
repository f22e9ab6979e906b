package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second driver against a real node: {@code scripts/native_smoke.py} with the DataStax Python driver
 * (Debian's python3-cassandra; .ci/run installs it). Without the package the test is skipped, unless
 * {@code SIBYL_REQUIRE_PYTHON_DRIVER=1} (set by .ci/run) makes that a failure.
 */
class PythonDriverSmokeTest {

    /** Debian's interpreter, where apt installs the driver (a pyenv python3 first on PATH would not see it). */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    @TempDir
    Path dataDir;

    @Test
    void thePythonDriverConnectsPreparesPagesAndReadsTheSchema() throws Exception {
        boolean available = run(List.of(PYTHON, "-c", "import cassandra"), 60).exit == 0;
        if (!available && "1".equals(System.getenv("SIBYL_REQUIRE_PYTHON_DRIVER"))) {
            throw new AssertionError("python3-cassandra is required (apt-get install python3-cassandra)");
        }
        assumeTrue(available, "python3-cassandra not installed: apt-get install python3-cassandra");
        Path script = locate("scripts/native_smoke.py");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SibylNode node = TestNodes.start(dataDir, Map.of("sibyl.cql.port", port));
        try {
            Result r = run(List.of(PYTHON, script.toString(), "127.0.0.1", String.valueOf(node.cqlPort()), "py_smoke"), 180);
            System.out.println(r.output);
            assertEquals(0, r.exit, r.output);
            assertTrue(r.output.contains("native protocol smoke test passed"), r.output);
        } finally {
            node.stop().get();
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The file relative to the repository root (tests run in app/). */
    private static Path locate(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
