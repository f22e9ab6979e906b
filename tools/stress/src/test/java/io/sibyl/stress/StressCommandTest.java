package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** End to end against fake nodes on ephemeral ports; each run lasts about a second or two. */
class StressCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out, String err, long elapsedMillis) {

        List<String> lines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }

        JsonNode summary() throws Exception {
            List<String> lines = lines();
            return JSON.readTree(lines.get(lines.size() - 1));
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new StressCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        long start = System.nanoTime();
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString(), (System.nanoTime() - start) / 1_000_000);
    }

    static String[] args(String target, String... extra) {
        List<String> a = new ArrayList<>(List.of("--target", target, "--warmup", "0s", "--duration", "1200ms",
                "--progress-interval", "500ms", "--json"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void ingestCountsOpsKeepsConcurrencyAndStopsOnTime() throws Exception {
        try (FakeSibylServer server = FakeSibylServer.allOk(5)) {
            Result r = run(args(server.url(), "--workload", "ingest", "--concurrency", "8", "--pipeline", "1", "--rf", "2"));
            assertEquals(0, r.exit(), r.err() + r.out());
            JsonNode s = r.summary();
            for (String field : StressSummary.REQUIRED_FIELDS) {
                assertTrue(s.has(field), "summary has " + field + ": " + s);
            }
            assertEquals("ingest", s.get("workload").asText());
            assertEquals(8, s.get("concurrency").asInt());
            assertEquals("ONE", s.get("consistency").asText());
            long ops = s.get("ops").asLong();
            assertTrue(ops > 50, "made progress: " + ops);
            assertTrue(ops <= server.ok.get(), "every op is a request the server answered 200");
            assertEquals(0, s.get("errors").asLong());
            assertTrue(s.get("p50_ms").asDouble() >= 5, "latency includes the server's 5 ms");
            assertTrue(s.get("p50_ms").asDouble() <= s.get("p99_ms").asDouble());
            assertTrue(s.get("p99_ms").asDouble() <= s.get("max_ms").asDouble());

            assertTrue(server.maxInProgress.get() <= 8, "never more than --concurrency: " + server.maxInProgress.get());
            assertTrue(server.maxInProgress.get() >= 6, "keeps the lanes busy: " + server.maxInProgress.get());
            assertTrue(r.elapsedMillis() < 1200 + 2500, "stops after the duration: " + r.elapsedMillis() + " ms");
            assertTrue(r.lines().stream().anyMatch(l -> l.contains("ops/s") && l.contains("client cpu")), r.out());

            assertTrue(server.cql.get(0).contains("CREATE KEYSPACE IF NOT EXISTS stress"), server.cql.toString());
            assertTrue(server.cql.get(0).contains("'replication_factor': 2"), server.cql.toString());
            assertTrue(server.cql.get(1).contains("CREATE TABLE IF NOT EXISTS stress.usertable"), server.cql.toString());
            String sample = server.sampleBodies.get(0);
            assertTrue(sample.startsWith("PUT {"), sample);
            JsonNode row = JSON.readTree(sample.substring(4));
            assertTrue(row.get("y_id").asText().startsWith("user"));
            assertEquals(100, row.get("field9").asText().length());
            assertTrue(server.sampleUris.get(0).endsWith("/v1/keyspaces/stress/tables/usertable/rows?consistency=ONE"),
                    server.sampleUris.get(0));
        }
    }

    /** Credentials are per run: two runs in one process at once each send only their own, a third none. */
    @Test
    void eachRunSendsItsOwnCredentials() throws Exception {
        try (FakeSibylServer a = FakeSibylServer.allOk(1); FakeSibylServer b = FakeSibylServer.allOk(1);
             FakeSibylServer none = FakeSibylServer.allOk(1)) {
            var runA = java.util.concurrent.CompletableFuture.supplyAsync(() -> run(args(a.url(), "--workload", "read",
                    "--load", "--keys", "200", "--concurrency", "2", "--user", "alice", "--password", "pw-a")));
            var runB = java.util.concurrent.CompletableFuture.supplyAsync(() -> run(args(b.url(), "--workload", "read",
                    "--load", "--keys", "200", "--concurrency", "2", "--user", "bob", "--password", "pw-b")));
            Result ra = runA.get();
            Result rb = runB.get();
            assertEquals(0, ra.exit(), ra.err() + ra.out());
            assertEquals(0, rb.exit(), rb.err() + rb.out());
            assertEquals(java.util.Set.of(Credentials.of("alice", "pw-a").header()), a.authorizations);
            assertEquals(java.util.Set.of(Credentials.of("bob", "pw-b").header()), b.authorizations);
            assertTrue(a.flushes.size() > 0 && a.cql.size() > 0, "the set-up and flush calls were made (and checked)");
            Result rn = run(args(none.url(), "--workload", "ingest", "--concurrency", "2", "--user", ""));
            assertEquals(0, rn.exit(), rn.err() + rn.out());
            assertEquals(java.util.Set.of("none"), none.authorizations);
        }
    }

    @Test
    void errorsAreCountedByCodeAndNeverAsSuccesses() throws Exception {
        // Every third data request fails with 503 UNAVAILABLE.
        try (FakeSibylServer server = new FakeSibylServer(2, n -> n % 3 == 0 ? 503 : 200)) {
            Result r = run(args(server.url(), "--workload", "mixed", "--keys", "1000", "--concurrency", "4"));
            assertEquals(0, r.exit(), r.err() + r.out());
            JsonNode s = r.summary();
            long ops = s.get("ops").asLong();
            long errors = s.get("errors").asLong();
            assertTrue(errors > 10, "errors counted: " + s);
            assertEquals(errors, s.get("errors_by_code").get("UNAVAILABLE").asLong());
            assertTrue(ops <= server.ok.get(), "successes only from 200s: " + ops + " vs " + server.ok.get());
            assertTrue(errors <= server.unavailable.get(), "errors only from 503s");
            // About one in three: the run counted what the server answered, split the same way.
            double share = errors / (double) (ops + errors);
            assertEquals(1.0 / 3, share, 0.05, "error share " + share);
            assertTrue(server.sampleUris.stream().anyMatch(u -> u.startsWith("GET /v1/keyspaces/stress/tables/usertable/rows/user")),
                    server.sampleUris.toString());
        }
    }

    @Test
    void timeoutsAreErrors() throws Exception {
        // Every tenth request stalls for 3 s against a 300 ms timeout.
        try (FakeSibylServer server = new FakeSibylServer(2, n -> n % 10 == 5 ? FakeSibylServer.HANG : 200)) {
            Result r = run(args(server.url(), "--workload", "read", "--keys", "100", "--concurrency", "4",
                    "--timeout", "300ms"));
            JsonNode s = r.summary();
            assertTrue(s.get("errors_by_code").path("TIMEOUT").asLong() > 0, s.toString());
            assertTrue(s.get("max_ms").asDouble() < 300, "no timed-out request was recorded as a latency: " + s);
            assertTrue(r.elapsedMillis() < 1200 + 3000, "waits at most a timeout for stragglers: " + r.elapsedMillis());
        }
    }

    @Test
    void loadsThenFlushesEveryTargetAndSpreadsRoundRobin() throws Exception {
        try (FakeSibylServer a = FakeSibylServer.allOk(1); FakeSibylServer b = FakeSibylServer.allOk(1)) {
            Result r = run(args(a.url() + "," + b.url(), "--workload", "read", "--keys", "1234", "--load",
                    "--concurrency", "4", "--consistency", "quorum"));
            assertEquals(0, r.exit(), r.err() + r.out());
            assertEquals(1234, a.bulkRows.get() + b.bulkRows.get(), "every key loaded once");
            assertEquals(1, a.flushes.size());
            assertEquals(1, b.flushes.size());
            assertTrue(a.compactionPolls.get() >= 2 && b.compactionPolls.get() >= 2,
                    "waited for each node's compactions to settle");
            assertTrue(a.flushes.get(0).contains("keyspace=stress") && a.flushes.get(0).contains("table=usertable"));
            assertTrue(b.cql.isEmpty(), "schema goes through the first target only");
            long da = a.dataRequests.get();
            long db = b.dataRequests.get();
            assertTrue(Math.abs(da - db) <= 8, "round-robin: " + da + " vs " + db);
            JsonNode s = r.summary();
            assertEquals("QUORUM", s.get("consistency").asText());
            assertEquals(2, s.get("targets").asInt());
            assertTrue(s.get("ops").asLong() > 0);
            assertTrue(a.sampleUris.stream().anyMatch(u -> u.contains("consistency=QUORUM")), a.sampleUris.toString());
        }
    }

    @Test
    void timeseriesBatchesAndReadsLatest() throws Exception {
        try (FakeSibylServer server = FakeSibylServer.allOk(2)) {
            Result r = run(args(server.url(), "--workload", "timeseries", "--batch", "10", "--read-latest", "5",
                    "--concurrency", "4"));
            assertEquals(0, r.exit(), r.err() + r.out());
            JsonNode s = r.summary();
            long ops = s.get("ops").asLong();
            long rows = s.get("rows").asLong();
            assertTrue(rows > ops, "bulk writes carry 10 rows each: ops " + ops + " rows " + rows);
            assertTrue(server.cql.get(1).contains("CLUSTERING ORDER BY (ts DESC)"));
            assertTrue(server.sampleUris.stream().anyMatch(u -> u.startsWith("GET ") && u.contains("/tables/readings/rows/device")
                    && u.contains("limit=5")), server.sampleUris.toString());
            String bulk = server.sampleBodies.stream().filter(b -> b.startsWith("POST ")).findFirst().orElseThrow();
            List<String> lines = bulk.substring(5).lines().toList();
            assertEquals(10, lines.size());
            JsonNode reading = JSON.readTree(lines.get(0));
            assertTrue(reading.get("device_id").asText().startsWith("device"));
            assertTrue(reading.get("ts").isIntegralNumber());
            assertTrue(reading.get("value").isNumber());
        }
    }

    @Test
    void fixedRateHoldsTheRate() throws Exception {
        try (FakeSibylServer server = FakeSibylServer.allOk(1)) {
            Result r = run(args(server.url(), "--workload", "ingest", "--rate", "100", "--concurrency", "32"));
            assertEquals(0, r.exit(), r.err() + r.out());
            double opsPerS = r.summary().get("ops_per_s").asDouble();
            assertTrue(opsPerS <= 115, "no faster than --rate: " + opsPerS);
            // the lower bound only shows the run is paced by --rate, not stalled: a loaded 2-core CI machine
            // can lose time to scheduling, so it is loose on purpose
            assertTrue(opsPerS >= 25, "paced by --rate, not stalled: " + opsPerS);
        }
    }

    @Test
    void fixedRateCountsTheWaitOfRequestsThatCouldNotStartOnTime() throws Exception {
        // One lane against 20 ms answers serves at most 50/s; asked for 100/s it falls further behind with
        // every request, and latency from the intended start must show that backlog (no coordinated omission).
        try (FakeSibylServer server = FakeSibylServer.allOk(20)) {
            Result r = run(args(server.url(), "--workload", "ingest", "--rate", "100", "--concurrency", "1"));
            JsonNode s = r.summary();
            assertTrue(s.get("ops_per_s").asDouble() <= 55, s.toString());
            assertTrue(s.get("max_ms").asDouble() > 300, "backlog shows in latency: " + s);
            assertTrue(s.get("p50_ms").asDouble() > 100, "the typical request waited too: " + s);
        }
    }

    @Test
    void unreachableTargetFailsSetUpWithAMessage() {
        Result r = run("--target", "http://127.0.0.1:1", "--duration", "1s", "--warmup", "0s", "--timeout", "500ms");
        assertEquals(StressCommand.EXIT_SETUP_FAILED, r.exit());
        assertTrue(r.err().contains("cannot reach"), r.err());
    }

    @Test
    void badOptionsAreRejected() {
        assertEquals(2, run("--workload", "bogus").exit());
        assertEquals(2, run("--duration", "ten").exit());
        assertEquals(2, run("--concurrency", "0").exit());
        assertEquals(2, run("--pipeline", "-1").exit());
        assertEquals(2, run("--pipeline", "4", "--rate", "100").exit(), "a fixed rate needs one request per connection");
    }

    @Test
    void pipelinedRunsUseConcurrencyOverPipelineConnections() throws Exception {
        // The JDK server behind the fake answers one request of a connection at a time, so the most requests
        // it ever has in progress is the number of connections the client opened.
        try (FakeSibylServer server = FakeSibylServer.allOk(2)) {
            Result r = run(args(server.url(), "--workload", "ingest", "--concurrency", "8", "--pipeline", "4"));
            assertEquals(0, r.exit(), r.err() + r.out());
            JsonNode s = r.summary();
            assertEquals(4, s.get("pipeline").asInt());
            assertEquals(0, s.get("errors").asLong());
            long ops = s.get("ops").asLong();
            assertTrue(ops > 50, "made progress: " + ops);
            assertTrue(ops <= server.ok.get(), "every op is a request the server answered 200");
            assertEquals(2, server.maxInProgress.get(), "8 in flight over 2 connections");
        }
    }
}
