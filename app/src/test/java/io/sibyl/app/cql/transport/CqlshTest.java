package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Cassandra's {@code cqlsh} (the PyPI package, or {@code bin/cqlsh.py} of a Cassandra tree) against a
 * real node with authentication on: the connection, DDL, INSERT, SELECT tables, server-side DESCRIBE,
 * CONSISTENCY, PAGING, COPY TO/FROM (cqlsh's multiprocessing workers), a syntax error and logins.
 *
 * <p>cqlsh comes from PyPI, which this project's machines do not reach, so it is not installed by the build:
 * the test runs the command in {@code $SIBYL_CQLSH} (e.g. {@code cqlsh}, or {@code python3 /opt/cassandra/bin/cqlsh.py}),
 * else {@code cqlsh} on the PATH, and is skipped without one, unless {@code SIBYL_REQUIRE_CQLSH=1} makes that a
 * failure. What cqlsh asks of the server is also checked without it, in CI, by {@code scripts/native_smoke.py}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CqlshTest {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private List<String> cqlsh;
    private SibylNode node;
    private int port;
    private String password;

    @BeforeAll
    void start() throws Exception {
        cqlsh = cqlshCommand();
        if (cqlsh == null && "1".equals(System.getenv("SIBYL_REQUIRE_CQLSH"))) {
            throw new AssertionError("cqlsh is required (SIBYL_REQUIRE_CQLSH=1): set SIBYL_CQLSH or put cqlsh on the PATH");
        }
        assumeTrue(cqlsh != null, "cqlsh not found: set SIBYL_CQLSH to its command, or put cqlsh on the PATH "
                + "(pip install cqlsh; it needs the Python driver, e.g. apt-get install python3-cassandra)");
        port = TestNodes.freePort();
        node = TestNodes.start(dataDir, TestNodes.passwordAuth(Map.of("sibyl.cql.port", port)));
        password = TestNodes.initialSuperuserPassword(dataDir);
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) node.stop().get();
    }

    @Test
    void cqlshRunsAScriptAgainstSibyl() throws Exception {
        Path csv = work.resolve("t.csv");
        Path script = work.resolve("script.cql");
        Files.writeString(script, String.join("\n",
                "SHOW HOST;",
                "SHOW VERSION;",
                "CREATE KEYSPACE sh WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};",
                "CREATE TABLE sh.t (id int, c int, v text, PRIMARY KEY (id, c));",
                "INSERT INTO sh.t (id, c, v) VALUES (1, 1, 'alpha');",
                "INSERT INTO sh.t (id, c, v) VALUES (1, 2, 'beta');",
                "INSERT INTO sh.t (id, c, v) VALUES (2, 1, 'gamma');",
                "SELECT * FROM sh.t WHERE id = 1;",
                "SELECT release_version FROM system.local;",
                "DESCRIBE KEYSPACES;",
                "DESCRIBE TABLE sh.t;",
                "CONSISTENCY QUORUM;",
                "CONSISTENCY;",
                "SELECT v FROM sh.t WHERE id = 2;",
                "PAGING 2;",
                "SELECT * FROM sh.t;",
                "COPY sh.t (id, c, v) TO '" + csv + "' WITH HEADER = true;",
                "CREATE TABLE sh.copy (id int, c int, v text, PRIMARY KEY (id, c));",
                "COPY sh.copy (id, c, v) FROM '" + csv + "' WITH HEADER = true;",
                "SELECT * FROM sh.copy WHERE id = 2;",
                "SELEC * FROM sh.t;",
                "LIST ROLES;",
                ""));
        Result r = runAllowingFailure(args("-u", "sibyl", "--password=" + password, "-f", script.toString()));
        String out = r.output;
        // the script's one bad statement (SELEC) makes cqlsh exit with 2 after running the rest
        assertEquals(2, r.exit, out);
        // (--password=: the generated password may start with a dash)
        // the connection: cluster, address, versions
        assertContains(out, "Connected to sibyl at 127.0.0.1:" + port);
        assertContains(out, "| Cassandra " + SystemTables.RELEASE_VERSION + " | CQL spec " + SystemTables.CQL_VERSION + " | Native protocol v");
        // the SELECT table
        assertTrue(out.matches("(?s).*\\n\\s*id \\| c \\| v\\s*\\n-+\\+-+\\+-+\\n\\s*1 \\| 1 \\|\\s+alpha\\n\\s*1 \\| 2 \\|\\s+beta\\n.*\\(2 rows\\).*"), out);
        assertContains(out, "release_version");
        assertContains(out, SystemTables.RELEASE_VERSION);
        // server-side DESCRIBE
        assertTrue(java.util.regex.Pattern.compile("(?m)^sh\\s.*\\bsystem\\s.*\\bsystem_schema\\b").matcher(out).find(),
                "DESCRIBE KEYSPACES lists them: " + out);
        assertContains(out, "CREATE TABLE sh.t (\n    id int,\n    c int,\n    v text,\n");
        assertContains(out, "CLUSTERING ORDER BY (c ASC)");
        assertContains(out, "Consistency level set to QUORUM.");
        assertContains(out, "Current consistency level is QUORUM.");
        assertContains(out, "gamma");
        assertContains(out, "Page size: 2");
        assertContains(out, "(3 rows)");
        // COPY TO wrote the CSV, COPY FROM read it back
        assertContains(out, "3 rows exported to 1 files");
        assertEquals(List.of("id,c,v", "1,1,alpha", "1,2,beta", "2,1,gamma"), Files.readAllLines(csv));
        assertContains(out, "3 rows imported from 1 files");
        assertTrue(out.matches("(?s).*\\n\\s*2 \\| 1 \\| gamma\\n\\n\\(1 rows\\).*"), "the copied row: " + out);
        // the server's syntax error, with the script's line
        assertTrue(out.matches("(?s).*script\\.cql:\\d+:SyntaxException: .*no viable alternative at input .SELEC.*"), out);
        // LIST ROLES comes back as rows
        assertTrue(out.matches("(?s).*\\n\\s*sibyl \\|\\s+True \\|.*"), "LIST ROLES: " + out);
    }

    @Test
    void cqlshExecutesOneStatementAndDescribesTheSchema() throws Exception {
        run(args("-u", "sibyl", "--password=" + password, "-e",
                "CREATE KEYSPACE IF NOT EXISTS sh2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        run(args("-u", "sibyl", "--password=" + password, "-k", "sh2", "-e", "CREATE TABLE t2 (k text PRIMARY KEY, n bigint)"));
        Result r = run(args("-u", "sibyl", "--password=" + password, "-e", "DESCRIBE KEYSPACE sh2"));
        assertContains(r.output, "CREATE KEYSPACE sh2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}");
        assertContains(r.output, "CREATE TABLE sh2.t2 (\n    k text,\n    n bigint,\n    PRIMARY KEY (k)\n)");
        Result missing = runAllowingFailure(args("-u", "sibyl", "--password=" + password, "-e", "DESCRIBE TABLE sh2.nope"));
        assertNotEquals(0, missing.exit, missing.output);
        assertContains(missing.output, "Table 'nope' not found in keyspace 'sh2'");
    }

    @Test
    void cqlshLogsInOnlyWithTheRightPassword() throws Exception {
        Result wrong = runAllowingFailure(args("-u", "sibyl", "--password=not-the-password", "-e", "SELECT * FROM system.local"));
        assertNotEquals(0, wrong.exit, wrong.output);
        assertContains(wrong.output, "Provided username and/or password are incorrect");
        Result none = runAllowingFailure(args("-e", "SELECT * FROM system.local"));
        assertNotEquals(0, none.exit, none.output);
        assertContains(none.output, "requires authentication");
    }

    private List<String> args(String... more) {
        List<String> a = new ArrayList<>(cqlsh);
        a.add("127.0.0.1");
        a.add(String.valueOf(port));
        a.addAll(Arrays.asList(more));
        return a;
    }

    /** The cqlsh command: $SIBYL_CQLSH (split on spaces), else cqlsh on the PATH, else null. */
    static List<String> cqlshCommand() {
        String env = System.getenv("SIBYL_CQLSH");
        if (env != null && !env.isBlank()) {
            return List.of(env.strip().split("\\s+"));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "cqlsh"))) {
                return List.of(Path.of(dir, "cqlsh").toString());
            }
        }
        return null;
    }

    private static void assertContains(String out, String expected) {
        assertTrue(out.contains(expected), "expected «" + expected + "» in:\n" + out);
    }

    private record Result(int exit, String output) {}

    private Result run(List<String> command) throws IOException, InterruptedException {
        Result r = runAllowingFailure(command);
        assertEquals(0, r.exit, r.output);
        return r;
    }

    private Result runAllowingFailure(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", work.toString()); // no ~/.cassandra/cqlshrc of the developer's
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + new String(out, StandardCharsets.UTF_8));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("$ " + String.join(" ", command).replace(password == null ? "\0" : password, "***") + "\n" + text);
        return new Result(p.exitValue(), text);
    }
}
