package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes one live node with authentication and authorization on (issue 19): random requests to every HTTP
 * route of docs/api.md (methods, paths with random segments, query parameters, Authorization and other
 * headers, bodies of random bytes and truncated, huge, deeply nested or mistyped JSON), and random and mutated
 * CQL (see {@link CqlFuzzGrammar}) over {@code POST /v1/cql} and the native protocol. Every request must be
 * answered in time, never with a 5xx other than the documented 503s, every error with docs/api.md's JSON shape
 * and a code that fits its status; the node must answer {@code /health} (and still log its superuser in)
 * afterwards.
 *
 * <p>Also mutated native protocol frames (STARTUP, AUTH_RESPONSE, QUERY) on raw sockets: the node and the
 * driver's connection must survive them. The CI run takes about half a minute; the {@code soak} variants
 * (run with {@code -Dsoak=true}) try about fifteen times more.
 */
class NodeFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Well above the node's request timeout (5 s here): an answer later than this is a hang. */
    private static final int ANSWER_TIMEOUT_MS = 30_000;
    private static final int MAX_REQUEST_BYTES = 65_536;
    private static final Map<Integer, Set<String>> CODES_BY_STATUS = Map.of(
            400, Set.of("SYNTAX_ERROR", "INVALID"),
            401, Set.of("UNAUTHORIZED"),
            403, Set.of("UNAUTHORIZED"),
            404, Set.of("NOT_FOUND"),
            405, Set.of("INVALID"),
            409, Set.of("ALREADY_EXISTS", "CONFLICT", "TOPOLOGY_CHANGE_IN_PROGRESS"),
            413, Set.of("PAYLOAD_TOO_LARGE"),
            429, Set.of("OVERLOADED"),
            503, Set.of("UNAVAILABLE", "DRAINED"));

    /**
     * Every route of docs/api.md ({} a segment, ** any number of them). Drain and decommission would end the
     * run's usefulness (every later write 503, or the node leaving), so they get only unauthenticated or
     * wrong-method requests; the fault-injection routes are off (404) as in production.
     */
    private static final String[][] ROUTES = {
            {"GET", "/health"}, {"GET", "/ready"}, {"GET", "/metrics"}, {"GET", "/"}, {"GET", "/ui"}, {"GET", "/ui/**"},
            {"POST", "/v1/cql"}, {"GET", "/v1/cluster"}, {"GET", "/v1/cluster/nodes/{}"},
            {"GET", "/v1/cluster/nodes/{}/metrics"},
            {"GET", "/v1/keyspaces"}, {"GET", "/v1/keyspaces/{}"}, {"GET", "/v1/keyspaces/{}/tables"},
            {"GET", "/v1/keyspaces/{}/tables/{}"},
            {"PUT", "/v1/keyspaces/{}/tables/{}/rows"}, {"POST", "/v1/keyspaces/{}/tables/{}/rows:bulk"},
            {"GET", "/v1/keyspaces/{}/tables/{}/rows/**"}, {"DELETE", "/v1/keyspaces/{}/tables/{}/rows/**"},
            {"POST", "/v1/admin/flush"}, {"POST", "/v1/admin/cleanup"}, {"POST", "/v1/admin/rebuild"},
            {"GET", "/v1/admin/streams"}, {"GET", "/v1/admin/tables"}, {"POST", "/v1/admin/compact"},
            {"GET", "/v1/admin/compactions"}, {"POST", "/v1/admin/repair"}, {"GET", "/v1/admin/repair/{}"},
            {"GET", "/v1/admin/repairs"}, {"GET", "/v1/admin/merkle"}, {"GET", "/v1/admin/hints"},
            {"POST", "/v1/admin/removenode/{}"}, {"POST", "/v1/admin/topology/abort"},
            {"POST", "/v1/admin/snapshot"}, {"GET", "/v1/admin/snapshots"}, {"DELETE", "/v1/admin/snapshot/{}"},
            {"DELETE", "/v1/admin/snapshot"}, {"POST", "/v1/admin/refresh"}, {"GET", "/v1/admin/tpstats"},
            {"GET", "/v1/admin/endpoints"}, {"GET", "/v1/admin/fault/partition"}, {"POST", "/v1/admin/fault/partition"},
            {"DELETE", "/v1/admin/fault/partition"}, {"POST", "/v1/admin/fault/crash_after_batchlog"},
            {"POST", "/v1/admin/drain"}, {"POST", "/v1/admin/decommission"}, {"GET", "/nope/**"}};
    private static final Set<String> NO_AUTHENTICATED_CALL = Set.of("/v1/admin/drain", "/v1/admin/decommission");
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO"};
    private static final String[] PARAMS = {"keyspace", "table", "tag", "key", "ttl", "timestamp", "limit", "page_size",
            "paging_state", "consistency", "depth", "start_token", "end_token", "source", "session", "node", "peers",
            "all", "wait", "pr", "nope", ""};

    private static Path dataDir;
    private static SibylNode node;
    private static int cqlPort;
    private static String fuzzerAuth;
    private static CqlSession session;

    @BeforeContainer
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("node-fuzz");
        cqlPort = TestNodes.freePort();
        node = TestNodes.start(dataDir, TestNodes.passwordAuth(Map.of(
                "sibyl.cql.port", cqlPort,
                "sibyl.auth.cache_validity", "2s",
                "sibyl.auth.max_failed_logins_per_minute", 1_000_000,
                "sibyl.http.max_request_bytes", MAX_REQUEST_BYTES,
                "sibyl.http.request_timeout", "5s")));
        String su = basic("sibyl", TestNodes.initialSuperuserPassword(dataDir));
        // The fuzz runs as its own superuser, which no generated statement names: it cannot lock itself out.
        for (String q : new String[] {
                "CREATE ROLE IF NOT EXISTS fuzzer WITH PASSWORD = 'fuzz-pw' AND LOGIN = true AND SUPERUSER = true",
                "CREATE KEYSPACE IF NOT EXISTS fz WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
                "CREATE TABLE IF NOT EXISTS fz.t (k text PRIMARY KEY, v int)",
                "CREATE TABLE IF NOT EXISTS fz.c (pk int, ck int, v text, s text static, PRIMARY KEY (pk, ck))",
                "CREATE TABLE IF NOT EXISTS fz.l (k text PRIMARY KEY, l list<int>, s set<text>, m map<text, int>)",
                "INSERT INTO fz.t (k, v) VALUES ('a', 1)"}) {
            FuzzHttp.Answer a = post("/v1/cql", su, JSON.writeValueAsBytes(Map.of("query", q)));
            assertEquals(200, a.status(), q + " -> " + a.body());
        }
        fuzzerAuth = basic("fuzzer", "fuzz-pw");
        session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", cqlPort))
                .withLocalDatacenter("dc1")
                .withAuthCredentials("fuzzer", "fuzz-pw")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMillis(ANSWER_TIMEOUT_MS))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .build())
                .build();
    }

    @AfterContainer
    static void stop() throws Exception {
        if (session != null) session.close();
        if (node != null) node.stop().get();
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- the properties ----

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void everyRouteAnswersRandomRequestsWithTheErrorContract(@ForAll long seed) throws Exception {
        randomRequest(seed);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void randomCqlOverHttpAnswersWithTheErrorContract(@ForAll long seed) throws Exception {
        cqlOverHttp(seed);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void randomCqlOverTheNativeProtocolAnswersWithAProtocolError(@ForAll long seed) throws Exception {
        cqlOverNative(seed);
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void mutatedNativeFramesNeitherKillTheNodeNorOtherConnections(@ForAll long seed) throws Exception {
        nativeFrames(seed);
    }

    @Tag("soak")
    @Property(tries = 6000, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void soakEveryRoute(@ForAll long seed) throws Exception {
        randomRequest(seed);
    }

    @Tag("soak")
    @Property(tries = 6000, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void soakCqlOverHttp(@ForAll long seed) throws Exception {
        cqlOverHttp(seed);
    }

    @Tag("soak")
    @Property(tries = 6000, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void soakCqlOverNative(@ForAll long seed) throws Exception {
        cqlOverNative(seed);
    }

    @Tag("soak")
    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void soakNativeFrames(@ForAll long seed) throws Exception {
        nativeFrames(seed);
    }

    // ---- HTTP routes ----

    private static void randomRequest(long seed) throws Exception {
        Random r = new Random(seed);
        String[] route = ROUTES[r.nextInt(ROUTES.length)];
        String method = r.nextInt(4) == 0 ? METHODS[r.nextInt(METHODS.length)] : route[0];
        String path = route[1];
        String target = fillPath(r, path) + query(r);
        String auth = authorization(r);
        if (NO_AUTHENTICATED_CALL.contains(path) && fuzzerAuth.equals(auth) && method.equals(route[0])) {
            auth = basic("fuzzer", "wrong");
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (auth != null) head.append("Authorization: ").append(auth).append("\r\n");
        if (r.nextInt(3) != 0) head.append("Content-Type: ").append(pick(r, "application/json", "application/json",
                "application/x-ndjson", "text/plain", "application/json; charset=latin1", "*/*", "", "x")).append("\r\n");
        if (r.nextInt(6) == 0) head.append(pick(r, "Accept: text/html", "X-Fuzz: \u00e9\u00ff", "Expect: 100-continue",
                "Accept-Encoding: gzip", "Cookie: a=b", "Authorization: Basic Og==", "X-Long: " + "a".repeat(6000))).append("\r\n");
        byte[] body = body(r, path);
        String what = method + " " + FuzzHttp.abbreviate(target) + " auth=" + FuzzHttp.abbreviate(String.valueOf(auth))
                + " body=" + (body == null ? "none" : FuzzHttp.abbreviate(new String(body, StandardCharsets.UTF_8)));
        FuzzHttp.Answer a = exchange(head.toString(), body, what);
        checkContract(a, what, !method.equals("HEAD"));
        checkAlive(what);
    }

    private static String fillPath(Random r, String template) {
        StringBuilder b = new StringBuilder();
        for (String seg : template.substring(1).split("/", -1)) {
            b.append('/');
            if (seg.equals("{}")) b.append(segment(r));
            else if (seg.equals("**")) {
                for (int i = r.nextInt(4); i > 0; i--) b.append(segment(r)).append(i > 1 ? "/" : "");
            } else if (r.nextInt(40) == 0) b.append(segment(r));
            else b.append(seg);
        }
        if (r.nextInt(15) == 0) b.append(pick(r, "/", "//", "/x", "/..", "/%2e%2e/%2e%2e/etc/passwd"));
        if (r.nextInt(40) == 0) return pick(r, "*", "http://localhost/v1/cluster", "/v1/cql#frag", "v1/cql", "/\u00e9", "/a b");
        return b.toString();
    }

    private static String segment(Random r) {
        return switch (r.nextInt(12)) {
            case 0, 1 -> pick(r, "fz", "fz", "t", "c", "l", "system_auth", "roles", "system", "nope");
            case 2 -> pick(r, "", ".", "..", "%2F", "%00", "%FF", "%C3%28", "%", "%zz", "a%20b", "~", "rows:bulk", ":", "@");
            case 3 -> "x".repeat(r.nextInt(2) == 0 ? 300 : 5000);
            case 4 -> URLEncoder.encode(randomString(r, 1 + r.nextInt(10)), StandardCharsets.UTF_8);
            case 5 -> pick(r, "-1", "0", "1", "2147483648", "9999999999999999999999", "1e5", "0x00", "NaN");
            case 6 -> java.util.UUID.randomUUID().toString();
            case 7 -> pick(r, "a", "b", "2026-11-20T00:00:01Z", "true", "null", "%22a%22", "0xab");
            default -> Integer.toString(r.nextInt(100));
        };
    }

    private static String query(Random r) {
        if (r.nextInt(3) == 0) return "";
        if (r.nextInt(15) == 0) return pick(r, "?", "?&&=&", "?%zz=1", "?a=%", "?keyspace", "?=x", "?" + "k=v&".repeat(2000));
        StringBuilder b = new StringBuilder("?");
        for (int i = r.nextInt(4); i >= 0; i--) {
            b.append(PARAMS[r.nextInt(PARAMS.length)]).append('=').append(switch (r.nextInt(6)) {
                case 0 -> segment(r);
                case 1 -> pick(r, "ONE", "QUORUM", "ALL", "SERIAL", "ANY", "one", "bogus");
                case 2 -> pick(r, "true", "false", "yes", "");
                case 3 -> Long.toString(r.nextLong());
                default -> pick(r, "fz", "t", "c", "1", "a", "-5", "0", "x".repeat(100));
            }).append('&');
        }
        return b.toString();
    }

    private static String authorization(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> null;
            case 1 -> pick(r, "Basic", "Basic ", "Basic !!!", "Bearer abc", "basic " + b64("fuzzer:fuzz-pw"), "Basic Og==",
                    "Basic " + b64("nocolon"), "Basic " + b64(":"), "Digest x", "Basic " + "A".repeat(10_000),
                    "Basic " + b64("fuzzer:fuzz-pw") + "=", "Basic " + b64("fuzzer:fuzz-pw") + " extra");
            case 2 -> basic(pick(r, "fuzzer", "sibyl", "nobody", "", "r1", "x".repeat(1000)), randomString(r, r.nextInt(20)));
            case 3 -> "Basic " + Base64.getEncoder().encodeToString(randomBytes(r, r.nextInt(40)));
            default -> fuzzerAuth;
        };
    }

    private static byte[] body(Random r, String path) throws IOException {
        int kind = r.nextInt(14);
        return switch (kind) {
            case 0 -> null;
            case 1 -> randomBytes(r, r.nextInt(2000));
            case 2 -> truncate(r, validBody(r, path));
            case 3 -> new byte[MAX_REQUEST_BYTES + 1 + r.nextInt(200_000)]; // over the limit: 413
            case 4 -> deepJson(r);
            case 5 -> pick(r, "{\"query\": 5}", "{\"query\": null}", "{\"query\": [\"x\"]}", "{\"query\": \"SELECT * FROM fz.t\", \"values\": \"x\"}",
                    "{\"query\": \"SELECT * FROM fz.t WHERE k = ?\", \"values\": [[1]]}", "{\"query\": \"SELECT * FROM fz.t\", \"page_size\": \"x\"}",
                    "{\"query\": \"SELECT * FROM fz.t\", \"consistency\": 7}", "{\"k\": 1, \"v\": \"x\"}", "{\"k\": null}",
                    "{\"k\": \"a\", \"v\": 1e400}", "{\"pk\": 1, \"ck\": [1]}", "[]", "null", "1", "\"s\"", "{\"k\": {}}",
                    "{\"k\": \"a\", \"k\": \"b\"}", "{\"query\": \"SELECT * FROM fz.t\", \"paging_state\": \"!!\"}",
                    "{\"query\": \"SELECT * FROM fz.t\", \"timestamp\": \"x\"}", "{\"query\": \"\\ud800\"}",
                    "{\"pk\": 1, \"ck\": 2, \"v\": \"\\u0000\"}").getBytes(StandardCharsets.UTF_8);
            case 6 -> {
                byte[] b = validBody(r, path);
                b[r.nextInt(b.length)] = (byte) (0x80 + r.nextInt(0x80)); // invalid UTF-8 or a broken token
                yield b;
            }
            case 7 -> ("{\"k\": \"" + "x".repeat(MAX_REQUEST_BYTES - 20 - r.nextInt(100)) + "\", \"v\": 1}").getBytes(StandardCharsets.UTF_8);
            case 8 -> ndjson(r);
            default -> validBody(r, path);
        };
    }

    private static byte[] validBody(Random r, String path) throws IOException {
        if (path.equals("/v1/cql")) return cqlBody(r, new CqlFuzzGrammar(r).next());
        if (path.endsWith("rows:bulk")) return ndjson(r);
        ObjectNode row = JSON.createObjectNode();
        if (r.nextBoolean()) {
            row.put("k", pick(r, "a", "b", "", "x".repeat(300)));
            if (r.nextBoolean()) row.put("v", r.nextInt());
        } else {
            row.put("pk", r.nextInt(5));
            row.put("ck", r.nextInt(5));
            if (r.nextBoolean()) row.put("v", randomString(r, 5));
            if (r.nextBoolean()) row.put("s", "st");
        }
        if (r.nextInt(4) == 0) row.putArray("l").add(1).add(2);
        if (r.nextInt(4) == 0) row.putObject("m").put("a", 1);
        if (r.nextInt(5) == 0) row.put("nope", 1);
        return JSON.writeValueAsBytes(row);
    }

    private static byte[] ndjson(Random r) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(20); i >= 0; i--) {
            b.append(switch (r.nextInt(6)) {
                case 0 -> "";
                case 1 -> "{\"k\": ";
                case 2 -> "garbage";
                default -> "{\"k\": \"" + r.nextInt(100) + "\", \"v\": " + r.nextInt() + "}";
            }).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] deepJson(Random r) {
        int depth = pick(r, 100, 1000, 5000, 30_000);
        String open = pick(r, "[", "{\"a\":", "{\"query\":");
        String close = open.equals("[") ? "]" : "}";
        return (open.repeat(depth) + "1" + close.repeat(r.nextBoolean() ? depth : depth / 2)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] truncate(Random r, byte[] b) {
        return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
    }

    // ---- CQL ----

    private static byte[] cqlBody(Random r, String cql) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", cql);
        if (r.nextInt(4) == 0) {
            var values = body.putArray("values");
            for (int i = r.nextInt(4); i > 0; i--) {
                switch (r.nextInt(7)) {
                    case 0 -> values.add(r.nextInt());
                    case 1 -> values.add(randomString(r, 5));
                    case 2 -> values.addNull();
                    case 3 -> values.addArray().add(1);
                    case 4 -> values.addObject().put("a", 1);
                    case 5 -> values.add(1e300);
                    default -> values.add(true);
                }
            }
        }
        if (r.nextInt(5) == 0) body.put("values", "x");
        if (r.nextInt(4) == 0) body.put("consistency", pick(r, "ONE", "QUORUM", "ALL", "ANY", "SERIAL", "LOCAL_ONE", "EACH_QUORUM", "nope", ""));
        if (r.nextInt(6) == 0) body.put("serial_consistency", pick(r, "SERIAL", "LOCAL_SERIAL", "ONE", "nope"));
        if (r.nextInt(5) == 0) body.put("page_size", pick(r, -1, 0, 1, 2, Integer.MAX_VALUE));
        if (r.nextInt(8) == 0) body.put("paging_state", pick(r, "", "AAAA", "!!", Base64.getEncoder().encodeToString(randomBytes(r, 30))));
        if (r.nextInt(6) == 0) body.put("keyspace", pick(r, "fz", "nope", "system_auth", "", "x".repeat(100)));
        if (r.nextInt(8) == 0) body.put("timestamp", pick(r, -1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, 1L));
        return JSON.writeValueAsBytes(body);
    }

    private static void cqlOverHttp(long seed) throws Exception {
        Random r = new Random(seed);
        String cql = new CqlFuzzGrammar(r).next();
        byte[] body = cqlBody(r, cql);
        String what = "POST /v1/cql " + FuzzHttp.abbreviate(new String(body, StandardCharsets.UTF_8));
        FuzzHttp.Answer a = exchange("POST /v1/cql HTTP/1.1\r\nAuthorization: " + fuzzerAuth
                + "\r\nContent-Type: application/json\r\n", body, what);
        checkContract(a, what, true);
        checkAlive(what);
    }

    /** The last native statements sent, oldest first: a lost connection may be the doing of an earlier one. */
    private static final java.util.Deque<String> recentNative = new java.util.ArrayDeque<>();

    private static void cqlOverNative(long seed) throws Exception {
        Random r = new Random(seed);
        String cql = new CqlFuzzGrammar(r).next();
        String what = "native: " + FuzzHttp.abbreviate(cql);
        long start = System.nanoTime();
        try {
            session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofMillis(ANSWER_TIMEOUT_MS)));
        } catch (QueryValidationException | UnavailableException expected) {
            // SYNTAX_ERROR, INVALID, UNAUTHORIZED, ALREADY_EXISTS, UNAVAILABLE: the documented answers
        } catch (RuntimeException e) {
            fail(what + " -> " + e + "\n  after: " + String.join("\n  then: ", recentNative), e);
        } finally {
            if (recentNative.size() == 5) recentNative.removeFirst();
            recentNative.addLast(FuzzHttp.abbreviate(cql) + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
        }
        checkAlive(what);
    }

    /**
     * A v4 connection's STARTUP, AUTH_RESPONSE and QUERY frames with one of them mutated (bytes flipped, cut,
     * a random length or opcode, random bytes appended). A malformed frame may get an ERROR or a closed
     * connection; afterwards the node must answer /health and the driver's own connection must still work.
     */
    private static void nativeFrames(long seed) throws Exception {
        Random r = new Random(seed);
        CqlFuzzGrammar grammar = new CqlFuzzGrammar(r);
        List<byte[]> frames = new ArrayList<>(List.of(
                frame(0x01, stringMap(Map.of("CQL_VERSION", "3.0.0"))),
                frame(0x0F, bytes("\0fuzzer\0fuzz-pw".getBytes(StandardCharsets.UTF_8))),
                frame(0x07, query(grammar.statement(0)))));
        int victim = r.nextInt(frames.size());
        frames.set(victim, mutateFrame(r, frames.get(victim)));
        String what = "native frames, frame " + victim + " mutated (seed " + seed + ")";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", cqlPort)) {
            socket.setSoTimeout(500); // a frame whose length field promises more bytes is waited for: not a hang
            var out = socket.getOutputStream();
            for (byte[] f : frames) out.write(f);
            out.flush();
            socket.getInputStream().read(new byte[65_536]); // an answer, an EOF, or a timeout: all allowed here
        } catch (IOException allowed) {
            // the server may close a connection that sent garbage
        }
        checkAlive(what);
        try {
            session.execute(SimpleStatement.newInstance("SELECT k FROM fz.t WHERE k = 'a'"));
        } catch (QueryValidationException expected) {
            // the fuzz may have dropped the table: still an answer on the driver's connection
        } catch (RuntimeException e) {
            fail(what + ": the driver's connection no longer works: " + e, e);
        }
    }

    private static byte[] frame(int opcode, byte[] body) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(9 + body.length);
        b.put((byte) 0x04).put((byte) 0).putShort((short) 1).put((byte) opcode).putInt(body.length).put(body);
        return b.array();
    }

    private static byte[] query(String cql) {
        byte[] text = cql.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + text.length + 3);
        b.putInt(text.length).put(text).putShort((short) 1).put((byte) 0);
        return b.array();
    }

    private static byte[] bytes(byte[] v) {
        return java.nio.ByteBuffer.allocate(4 + v.length).putInt(v.length).put(v).array();
    }

    private static byte[] stringMap(Map<String, String> m) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(m.size());
        m.forEach((k, v) -> {
            for (String s : new String[] {k, v}) {
                byte[] t = s.getBytes(StandardCharsets.UTF_8);
                out.write(t.length >> 8);
                out.write(t.length);
                out.writeBytes(t);
            }
        });
        return out.toByteArray();
    }

    private static byte[] mutateFrame(Random r, byte[] f) {
        byte[] m = f.clone();
        switch (r.nextInt(6)) {
            case 0 -> { for (int i = 1 + r.nextInt(4); i > 0; i--) m[r.nextInt(m.length)] = (byte) r.nextInt(256); }
            case 1 -> m = java.util.Arrays.copyOf(m, r.nextInt(m.length));
            case 2 -> java.nio.ByteBuffer.wrap(m).putInt(5, r.nextInt());
            case 3 -> m[4] = (byte) r.nextInt(256);
            case 4 -> m[0] = (byte) r.nextInt(256);
            default -> {
                m = java.util.Arrays.copyOf(m, m.length + 1 + r.nextInt(100));
                for (int i = f.length; i < m.length; i++) m[i] = (byte) r.nextInt(256);
            }
        }
        return m;
    }

    // ---- the contract ----

    private static FuzzHttp.Answer exchange(String head, byte[] body, String what) {
        try {
            return FuzzHttp.exchange(node.httpPort(), head, body, ANSWER_TIMEOUT_MS);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer within " + ANSWER_TIMEOUT_MS + " ms (a hang): " + what, e);
        } catch (IOException e) {
            throw new AssertionError("no HTTP answer (" + e + "): " + what, e);
        }
    }

    private static void checkContract(FuzzHttp.Answer a, String what, boolean hasBody) throws IOException {
        int status = a.status();
        String context = what + " -> " + status + " " + FuzzHttp.abbreviate(a.body());
        if (status < 400) return;
        Set<String> codes = CODES_BY_STATUS.get(status);
        if (codes == null) fail("status " + status + " is not one the API documents for a client's request: " + context);
        if (!hasBody) return;
        JsonNode body;
        try {
            body = JSON.readTree(a.body());
        } catch (IOException e) {
            throw new AssertionError("error body is not JSON: " + context, e);
        }
        JsonNode error = body == null ? null : body.get("error");
        assertTrue(error != null && error.isObject(), "no {\"error\": {...}} object: " + context);
        assertTrue(error.path("message").isTextual(), "no error.message: " + context);
        String code = error.path("code").asText();
        assertTrue(codes.contains(code), "code " + code + " does not fit status " + status + ": " + context);
        if (status == 401) {
            assertEquals("Basic realm=\"sibyl\"", a.headers().get("www-authenticate"), "401 without WWW-Authenticate: " + context);
        }
        if (code.equals("SYNTAX_ERROR")) {
            assertTrue(error.path("line").isInt() && error.path("column").isInt(), "SYNTAX_ERROR without line/column: " + context);
        }
    }

    private static void checkAlive(String after) {
        FuzzHttp.Answer health = exchange("GET /health HTTP/1.1\r\n", null, "GET /health after " + after);
        assertEquals(200, health.status(), "/health after " + after);
    }

    // ---- helpers ----

    static String basic(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static FuzzHttp.Answer post(String path, String auth, byte[] body) throws IOException {
        return FuzzHttp.exchange(node.httpPort(), "POST " + path + " HTTP/1.1\r\nAuthorization: " + auth
                + "\r\nContent-Type: application/json\r\n", body, ANSWER_TIMEOUT_MS);
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String randomString(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(r.nextInt(4) == 0 ? (char) r.nextInt(0x10000) : (char) (32 + r.nextInt(95)));
        return b.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    /** Every "`METHOD /path" docs/api.md names is one the fuzzer sends requests to (a new route must be added). */
    @net.jqwik.api.Example
    void theFuzzedRoutesAreEveryRouteOfTheApiDoc() throws IOException {
        Path doc = Path.of("..", "docs", "api.md");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(GET|POST|PUT|DELETE) ((?:/|\\.\\.\\./)[^`\\s\\[?]*)")
                .matcher(Files.readString(doc));
        Set<String> fuzzed = new java.util.HashSet<>();
        for (String[] route : ROUTES) fuzzed.add(route[0] + " " + route[1]);
        List<String> missing = new ArrayList<>();
        int documented = 0;
        while (m.find()) {
            documented++;
            String path = m.group(2)
                    .replace(".../", "/v1/keyspaces/{}/tables/{}/")
                    .replaceAll("\\{[a-z0-9]+(\\.\\.\\.)?}(/.*)?$", "{}")
                    .replaceAll("\\{[a-z]+}", "{}")
                    .replaceAll("<[a-z]+>$", "**");
            if (path.endsWith("/rows/{}") || path.endsWith("/rows/...")) path = path.substring(0, path.lastIndexOf('/')) + "/**";
            String route = m.group(1) + " " + path;
            if (!fuzzed.contains(route)) missing.add(route + "  (docs/api.md: " + m.group() + ")");
        }
        assertTrue(documented > 40, "found the routes in " + doc.toAbsolutePath());
        assertTrue(missing.isEmpty(), "routes of docs/api.md the fuzzer does not send to: " + missing);
    }
}
