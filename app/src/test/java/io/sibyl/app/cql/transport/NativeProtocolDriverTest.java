package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.AlreadyExistsException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.type.DataTypes;
import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A real node with its native protocol server, driven by the Apache Cassandra Java driver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeProtocolDriverTest {

    @TempDir
    static Path dataDir;

    private SibylNode node;
    private CqlSession session;

    @BeforeAll
    void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        node = TestNodes.start(dataDir, Map.of("sibyl.cql.port", port, "sibyl.storage.key_cache_size", "auto"));
        assertEquals(port, node.cqlPort());
        session = connect(port, null);
        session.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    }

    private static CqlSession connect(int port, String keyspace) {
        var builder = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", port))
                .withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(10))
                        .build());
        if (keyspace != null) {
            builder = builder.withKeyspace(keyspace);
        }
        return builder.build();
    }

    @AfterAll
    void stop() throws Exception {
        if (session != null) session.close();
        if (node != null) node.stop().get();
    }

    @Test
    void connectsWithProtocolV5AndSeesTheNode() {
        assertEquals(ProtocolVersion.V5, session.getContext().getProtocolVersion());
        Map<UUID, Node> nodes = session.getMetadata().getNodes();
        assertEquals(1, nodes.size());
        Node n = nodes.values().iterator().next();
        assertEquals("dc1", n.getDatacenter());
        assertTrue(session.getMetadata().getTokenMap().isPresent(), "token map from system.local tokens");
        Row local = session.execute("SELECT * FROM system.local").one();
        assertNotNull(local);
        assertEquals("org.apache.cassandra.dht.Murmur3Partitioner", local.getString("partitioner"));
        assertFalse(local.getSet("tokens", String.class).isEmpty());
    }

    /** system_views (Cassandra 5's virtual tables) over the driver and over POST /v1/cql alike. */
    @Test
    void systemViewsAnswerOverTheDriverAndHttp() throws Exception {
        List<String> pools = session.execute("SELECT name, pending_tasks, completed_tasks FROM system_views.thread_pools")
                .all().stream().map(r -> r.getString("name")).toList();
        assertTrue(pools.containsAll(List.of("MemtableFlushWriter", "Replica", "SchemaKeeper", "pekko.actor.default-dispatcher",
                        "Native-Transport-Reads")),
                pools.toString());
        Row tokens = session.execute("SELECT value FROM system_views.settings WHERE name = 'cluster.num_tokens'").one();
        assertNotNull(tokens);
        assertTrue(Integer.parseInt(tokens.getString("value")) > 0, tokens.getString("value"));
        assertEquals(0, session.execute("SELECT * FROM system_views.settings WHERE name IN ('nope', 'nada')").all().size());
        // prepared, as drivers and cqlsh do
        PreparedStatement p = session.prepare("SELECT keyspace_name, completion_ratio FROM system_views.sstable_tasks");
        assertNotNull(session.execute(p.bind()).all());
        assertThrows(InvalidQueryException.class, () -> session.execute("SELECT * FROM system_views.nope"));
        assertThrows(InvalidQueryException.class, () -> session.execute("SELECT nope FROM system_views.thread_pools"));
        Row keys = session.execute("SELECT * FROM system_views.caches WHERE name = 'keys'").one();
        assertNotNull(keys);
        assertTrue(keys.getLong("capacity_bytes") > 0, "key_cache_size = auto (set by this test)");
        assertTrue(keys.getInt("entry_count") >= 0 && keys.getLong("request_count") >= keys.getLong("hit_count"));
        Row chunks = session.execute("SELECT capacity_bytes, hit_ratio FROM system_views.caches WHERE name = 'chunks'").one();
        assertTrue(chunks.getLong("capacity_bytes") > 0, "file_cache_size = auto");
        assertTrue(chunks.isNull("hit_ratio") || chunks.getDouble("hit_ratio") >= 0, "null before the first request");

        var http = io.sibyl.app.node.NodeClient.cql(node, "SELECT name, value FROM system_views.settings WHERE name = 'cluster.num_tokens'");
        assertEquals(200, http.status(), http.body().toString());
        assertEquals(tokens.getString("value"), http.body().path("rows").get(0).path("value").asText(), http.body().toString());
        var limited = io.sibyl.app.node.NodeClient.cql(node, "SELECT * FROM system_views.thread_pools LIMIT 2");
        assertEquals(2, limited.body().path("rows").size(), limited.body().toString());
    }

    @Test
    void everyTypeRoundTripsThroughPreparedStatements() {
        session.execute("CREATE TABLE ks.types (k int PRIMARY KEY, a ascii, t text, b boolean, ti tinyint, si smallint, "
                + "bi bigint, vi varint, f float, d double, de decimal, ts timestamp, da date, tm time, u uuid, "
                + "tu timeuuid, ip inet, bl blob, li list<int>, se set<text>, ma map<text, int>, fl frozen<list<bigint>>)");
        PreparedStatement insert = session.prepare("INSERT INTO ks.types (k, a, t, b, ti, si, bi, vi, f, d, de, ts, da, tm, "
                + "u, tu, ip, bl, li, se, ma, fl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        assertEquals(22, insert.getVariableDefinitions().size());
        assertEquals(DataTypes.TIMESTAMP, insert.getVariableDefinitions().get("ts").getType());
        Instant ts = Instant.parse("2024-05-06T07:08:09.123Z");
        LocalDate date = LocalDate.of(2021, 2, 28);
        LocalTime time = LocalTime.of(13, 14, 15, 123456789);
        UUID u = UUID.randomUUID();
        UUID tu = UUID.fromString("8a6c5d10-1c2b-11ef-9b4e-0242ac120002");
        InetAddress ip = InetAddress.getLoopbackAddress();
        ByteBuffer blob = ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xff});
        BoundStatement bound = insert.bind(1, "ascii", "tëxt ☃", true, (byte) -7, (short) 300, 1L << 40,
                new BigInteger("123456789012345678901234567890"), 1.5f, 2.25, new BigDecimal("-3.14159"), ts, date, time,
                u, tu, ip, blob, List.of(3, 1, 2), Set.of("x", "y"), Map.of("one", 1, "two", 2), List.of(5L, 6L));
        session.execute(bound);

        Row row = session.execute(session.prepare("SELECT * FROM ks.types WHERE k = ?").bind(1)).one();
        assertNotNull(row);
        assertEquals("ascii", row.getString("a"));
        assertEquals("tëxt ☃", row.getString("t"));
        assertTrue(row.getBoolean("b"));
        assertEquals((byte) -7, row.getByte("ti"));
        assertEquals((short) 300, row.getShort("si"));
        assertEquals(1L << 40, row.getLong("bi"));
        assertEquals(new BigInteger("123456789012345678901234567890"), row.getBigInteger("vi"));
        assertEquals(1.5f, row.getFloat("f"));
        assertEquals(2.25, row.getDouble("d"));
        assertEquals(new BigDecimal("-3.14159"), row.getBigDecimal("de"));
        assertEquals(ts, row.getInstant("ts"));
        assertEquals(date, row.getLocalDate("da"));
        assertEquals(time, row.getLocalTime("tm"));
        assertEquals(u, row.getUuid("u"));
        assertEquals(tu, row.getUuid("tu"));
        assertEquals(ip, row.getInetAddress("ip"));
        assertEquals(blob, row.getByteBuffer("bl"));
        assertEquals(List.of(3, 1, 2), row.getList("li", Integer.class));
        assertEquals(Set.of("x", "y"), row.getSet("se", String.class));
        assertEquals(Map.of("one", 1, "two", 2), row.getMap("ma", String.class, Integer.class));
        assertEquals(List.of(5L, 6L), row.getList("fl", Long.class));

        // Nulls bind and read back as nulls.
        session.execute(insert.bind(2, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null));
        Row empty = session.execute("SELECT k, t, bi, ts FROM ks.types WHERE k = 2").one();
        assertNotNull(empty);
        assertNull(empty.getString("t"));
        assertNull(empty.getInstant("ts"));
    }

    @Test
    void pagesThroughMoreRowsThanAPage() {
        session.execute("CREATE TABLE ks.wide (p text, c int, v text, PRIMARY KEY (p, c))");
        PreparedStatement insert = session.prepare("INSERT INTO ks.wide (p, c, v) VALUES (?, ?, ?)");
        for (int i = 0; i < 250; i++) {
            session.execute(insert.bind("p", i, "v" + i));
        }
        ResultSet rs = session.execute(SimpleStatement.newInstance("SELECT c, v FROM ks.wide WHERE p = ?", "p")
                .setPageSize(40));
        List<Integer> seen = new ArrayList<>();
        for (Row r : rs) {
            seen.add(r.getInt("c"));
        }
        assertEquals(250, seen.size());
        for (int i = 0; i < 250; i++) {
            assertEquals(i, seen.get(i));
        }
        assertTrue(rs.getExecutionInfos().size() > 1, "more than one page fetched");
    }

    @Test
    void lightweightTransactionsReportApplied() {
        session.execute("CREATE TABLE ks.lwt (k text PRIMARY KEY, v int)");
        PreparedStatement ifNotExists = session.prepare("INSERT INTO ks.lwt (k, v) VALUES (?, ?) IF NOT EXISTS");
        assertTrue(session.execute(ifNotExists.bind("a", 1)).wasApplied());
        ResultSet again = session.execute(ifNotExists.bind("a", 2));
        assertFalse(again.wasApplied());
        assertEquals(1, again.one().getInt("v"));
        assertTrue(session.execute("UPDATE ks.lwt SET v = 3 WHERE k = 'a' IF v = 1").wasApplied());
        assertFalse(session.execute("UPDATE ks.lwt SET v = 4 WHERE k = 'a' IF v = 1").wasApplied());
    }

    /**
     * Bound text values (kept as their bytes when ASCII) work wherever a marker may stand: key, cell, IF
     * condition, WHERE, INSERT JSON, a text collection; non-ASCII text too (an ascii column's refusal of
     * non-ASCII bytes is NativeTypesTest's: the driver refuses to encode them).
     */
    @Test
    void boundTextValuesWorkInEveryPosition() {
        session.execute("CREATE TABLE ks.texts (k text, c text, v text, a ascii, s set<text>, PRIMARY KEY (k, c))");
        PreparedStatement insert = session.prepare("INSERT INTO ks.texts (k, c, v, a, s) VALUES (?, ?, ?, ?, ?)");
        session.execute(insert.bind("key", "c1", "value one", "plain", java.util.Set.of("x", "y")));
        session.execute(insert.bind("key", "c2", "caf\u00e9", "p2", java.util.Set.of("\u00e9")));
        Row r = session.execute(session.prepare("SELECT v, a, s FROM ks.texts WHERE k = ? AND c = ?").bind("key", "c1")).one();
        assertEquals("value one", r.getString("v"));
        assertEquals("plain", r.getString("a"));
        assertEquals(java.util.Set.of("x", "y"), r.getSet("s", String.class));
        assertEquals("caf\u00e9", session.execute("SELECT v FROM ks.texts WHERE k = 'key' AND c = 'c2'").one().getString("v"));
        PreparedStatement cas = session.prepare("UPDATE ks.texts SET v = ? WHERE k = ? AND c = ? IF v = ?");
        assertTrue(session.execute(cas.bind("value two", "key", "c1", "value one")).wasApplied());
        assertFalse(session.execute(cas.bind("value three", "key", "c1", "value one")).wasApplied());
        assertEquals("value two", session.execute("SELECT v FROM ks.texts WHERE k = 'key' AND c = 'c1'").one().getString("v"));
        session.execute(session.prepare("INSERT INTO ks.texts JSON ?").bind("{\"k\": \"key\", \"c\": \"c3\", \"v\": \"from json\"}"));
        assertEquals("from json", session.execute("SELECT v FROM ks.texts WHERE k = 'key' AND c = 'c3'").one().getString("v"));
        PreparedStatement ifNotExists = session.prepare("INSERT INTO ks.texts (k, c, v) VALUES (?, ?, ?) IF NOT EXISTS");
        assertFalse(session.execute(ifNotExists.bind("key", "c3", "other")).wasApplied());
        assertTrue(session.execute(ifNotExists.bind("key", "c4", "fresh")).wasApplied());
    }

    @Test
    void batchesOfPreparedAndSimpleStatements() {
        session.execute("CREATE TABLE ks.batched (k text, c int, v text, PRIMARY KEY (k, c))");
        PreparedStatement insert = session.prepare("INSERT INTO ks.batched (k, c, v) VALUES (?, ?, ?)");
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED)
                .add(insert.bind("k", 1, "one"))
                .add(insert.bind("k", 2, "two"))
                .add(SimpleStatement.newInstance("INSERT INTO ks.batched (k, c, v) VALUES ('k', 3, ?)", "three"));
        session.execute(batch);
        List<Row> rows = session.execute("SELECT c, v FROM ks.batched WHERE k = 'k'").all();
        assertEquals(3, rows.size());
        assertEquals("three", rows.get(2).getString("v"));
    }

    @Test
    void useKeyspaceAndWriteOptions() {
        try (CqlSession ks = connect(node.cqlPort(), "ks")) {
            ks.execute("CREATE TABLE opts (k int PRIMARY KEY, v text)");
            ks.execute("INSERT INTO opts (k, v) VALUES (1, 'x') USING TIMESTAMP 1000 AND TTL 3600");
            Row r = ks.execute("SELECT v, writetime(v), ttl(v) FROM opts WHERE k = 1").one();
            assertNotNull(r);
            assertEquals("x", r.getString(0));
            assertEquals(1000L, r.getLong(1));
            assertTrue(r.getInt(2) > 3500);
            ks.execute(SimpleStatement.newInstance("INSERT INTO opts (k, v) VALUES (2, 'y')")
                    .setQueryTimestamp(42L));
            assertEquals(42L, ks.execute("SELECT writetime(v) FROM opts WHERE k = 2").one().getLong(0));
            // named values, and a list bound to IN ?
            ks.execute(SimpleStatement.builder("INSERT INTO opts (k, v) VALUES (:key, :value)")
                    .addNamedValue("key", 3).addNamedValue("value", "z").build());
            List<Row> in = ks.execute(ks.prepare("SELECT k, v FROM opts WHERE k IN ?").bind(List.of(1, 3))).all();
            assertEquals(2, in.size());
            assertEquals("z", in.get(1).getString("v"));
        }
    }

    @Test
    void protocolV4Connections() {
        try (CqlSession v4 = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", node.cqlPort()))
                .withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withString(DefaultDriverOption.PROTOCOL_VERSION, "V4")
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .build())
                .build()) {
            assertEquals(ProtocolVersion.V4, v4.getContext().getProtocolVersion());
            v4.execute("CREATE TABLE ks.v4 (k int, c int, v text, PRIMARY KEY (k, c))");
            PreparedStatement insert = v4.prepare("INSERT INTO ks.v4 (k, c, v) VALUES (?, ?, ?)");
            for (int i = 0; i < 30; i++) {
                v4.execute(insert.bind(1, i, "v" + i));
            }
            ResultSet rs = v4.execute(SimpleStatement.newInstance("SELECT c FROM ks.v4 WHERE k = 1").setPageSize(7));
            assertEquals(30, rs.all().size());
            assertTrue(v4.execute("INSERT INTO ks.v4 (k, c, v) VALUES (2, 0, 'x') IF NOT EXISTS").wasApplied());
        }
    }

    @Test
    void messagesLargerThanOneV5SegmentGoBothWays() {
        // A v5 segment carries at most 128 KiB - 1: these requests and answers span several.
        session.execute("CREATE TABLE ks.big (k int, c int, v blob, PRIMARY KEY (k, c))");
        PreparedStatement insert = session.prepare("INSERT INTO ks.big (k, c, v) VALUES (?, ?, ?)");
        byte[] value = new byte[300_000];
        new java.util.Random(7).nextBytes(value);
        for (int i = 0; i < 3; i++) {
            session.execute(insert.bind(1, i, ByteBuffer.wrap(value)));
        }
        List<Row> rows = session.execute("SELECT c, v FROM ks.big WHERE k = 1").all();
        assertEquals(3, rows.size());
        for (Row r : rows) {
            assertEquals(ByteBuffer.wrap(value), r.getByteBuffer("v"));
        }
    }

    @Test
    void lz4CompressedConnections() {
        try (CqlSession lz4 = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", node.cqlPort()))
                .withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withString(DefaultDriverOption.PROTOCOL_COMPRESSION, "lz4")
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .build())
                .build()) {
            lz4.execute("CREATE TABLE ks.compressed (k int, c int, v text, PRIMARY KEY (k, c))");
            PreparedStatement insert = lz4.prepare("INSERT INTO ks.compressed (k, c, v) VALUES (?, ?, ?)");
            String value = "compressible ".repeat(100);
            for (int i = 0; i < 20; i++) {
                lz4.execute(insert.bind(1, i, value + i));
            }
            List<Row> rows = lz4.execute("SELECT c, v FROM ks.compressed WHERE k = 1").all();
            assertEquals(20, rows.size());
            assertEquals(value + 19, rows.get(19).getString("v"));
        }
    }

    @Test
    void snappyCompressedV4Connections() {
        // the drivers offer snappy with protocol v4 only (v5 compresses segments with lz4)
        try (CqlSession snappy = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", node.cqlPort()))
                .withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withString(DefaultDriverOption.PROTOCOL_VERSION, "V4")
                        .withString(DefaultDriverOption.PROTOCOL_COMPRESSION, "snappy")
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .build())
                .build()) {
            assertEquals(ProtocolVersion.V4, snappy.getContext().getProtocolVersion());
            assertEquals("snappy", ((com.datastax.oss.driver.internal.core.context.InternalDriverContext) snappy.getContext()).getCompressor().algorithm());
            snappy.execute("CREATE TABLE ks.snappy (k int, c int, v text, PRIMARY KEY (k, c))");
            PreparedStatement insert = snappy.prepare("INSERT INTO ks.snappy (k, c, v) VALUES (?, ?, ?)");
            String value = "compressible ".repeat(100);
            for (int i = 0; i < 20; i++) {
                snappy.execute(insert.bind(1, i, value + i));
            }
            ResultSet rs = snappy.execute(SimpleStatement.newInstance("SELECT c, v FROM ks.snappy WHERE k = 1").setPageSize(6));
            List<Row> rows = rs.all();
            assertEquals(20, rows.size());
            assertEquals(value + 19, rows.get(19).getString("v"));
        }
    }

    @Test
    void unsetVariablesLeaveColumnsAlone() {
        session.execute("CREATE TABLE ks.partial (k int PRIMARY KEY, v text, w int)");
        PreparedStatement insert = session.prepare("INSERT INTO ks.partial (k, v, w) VALUES (?, ?, ?) USING TTL ?");
        session.execute(insert.bind(1, "a", 1, 0));
        // v and the TTL are not bound: unset, so v keeps its value and no TTL applies
        session.execute(insert.bind().setInt("k", 1).setInt("w", 2));
        Row r = session.execute("SELECT v, w, ttl(w) FROM ks.partial WHERE k = 1").one();
        assertNotNull(r);
        assertEquals("a", r.getString("v"));
        assertEquals(2, r.getInt("w"));
        assertTrue(r.isNull(2), "no TTL");
        PreparedStatement update = session.prepare("UPDATE ks.partial SET v = ?, w = ? WHERE k = ?");
        session.execute(update.bind().setString("v", "b").setInt("k", 1));
        Row u = session.execute("SELECT v, w FROM ks.partial WHERE k = 1").one();
        assertEquals("b", u.getString("v"));
        assertEquals(2, u.getInt("w"));
        // an unset key is INVALID
        assertThrows(InvalidQueryException.class, () -> session.execute(update.bind().setString("v", "c")));
    }

    @Test
    void errorsMapToTheDriversExceptions() {
        assertThrows(SyntaxError.class, () -> session.execute("SELEC * FROM ks.nope"));
        assertThrows(InvalidQueryException.class, () -> session.execute("SELECT * FROM ks.nope"));
        assertThrows(AlreadyExistsException.class, () ->
                session.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
        session.execute("CREATE KEYSPACE rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
        session.execute("CREATE TABLE rf3.t (k int PRIMARY KEY, v int)");
        // The driver's default retry policy tries the next node on UNAVAILABLE; with one node it gives up.
        AllNodesFailedException all = assertThrows(AllNodesFailedException.class, () -> session.execute(
                SimpleStatement.newInstance("INSERT INTO rf3.t (k, v) VALUES (1, 1)").setConsistencyLevel(ConsistencyLevel.QUORUM)));
        Throwable first = all.getAllErrors().values().iterator().next().get(0);
        UnavailableException e = assertInstanceOf(UnavailableException.class, first);
        assertEquals(ConsistencyLevel.QUORUM, e.getConsistencyLevel());
        assertEquals(2, e.getRequired());
        assertEquals(1, e.getAlive());
    }

    // sibyl stress --target cql://: short smoke runs of every workload (no benchmark): ops succeed with no
    // errors, and reads find the rows --load wrote.

    private com.fasterxml.jackson.databind.JsonNode stress(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--target", "cql://127.0.0.1:" + node.cqlPort(), "--warmup", "1s", "--duration", "1s",
                "--progress-interval", "500ms", "--concurrency", "8", "--json"));
        args.addAll(List.of(extra));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = new picocli.CommandLine(new io.sibyl.stress.StressCommand()).setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(err))
                .execute(args.toArray(String[]::new));
        assertEquals(0, exit, err + "\n" + out);
        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertTrue(summary.get("ops").asLong() > 0, "ops succeeded: " + summary);
        assertEquals(0, summary.get("errors").asLong(), "no errors: " + out);
        return summary;
    }

    @Test
    void sibylStressRunsEveryWorkloadOverTheNativeProtocol() throws Exception {
        com.fasterxml.jackson.databind.JsonNode ingest = stress("--workload", "ingest", "--keyspace", "cs", "--consistency", "quorum", "--batch", "10");
        assertEquals("QUORUM", ingest.get("consistency").asText());
        // each op is a batch of 10 rows (rows and ops are cut at slightly different instants: compare loosely)
        long rows = ingest.get("rows").asLong();
        assertTrue(rows > 0 && rows % 10 == 0 && rows >= 5 * ingest.get("ops").asLong(), "a batch op writes 10 rows: " + ingest);

        com.fasterxml.jackson.databind.JsonNode read = stress("--workload", "read", "--keyspace", "cs", "--load", "--keys", "300");
        // every key 0..299 was loaded: no read comes back empty
        assertEquals(0, read.get("empty_reads").asLong(), "reads find the loaded rows: " + read);

        stress("--workload", "timeseries", "--keyspace", "cs", "--read-latest", "3");
    }

    @Test
    void sibylStressRefusesABadConsistencyBeforeConnecting() {
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = new picocli.CommandLine(new io.sibyl.stress.StressCommand()).setErr(new java.io.PrintWriter(err))
                .execute("--target", "cql://127.0.0.1:" + node.cqlPort(), "--consistency", "MOST");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("bad --consistency"), err.toString());
    }

    // A second driver: scripts/native_smoke.py with the DataStax Python driver (Debian's python3-cassandra;
    // .ci/run installs it). Without the package the test is skipped, unless SIBYL_REQUIRE_PYTHON_DRIVER=1
    // (set by .ci/run) makes that a failure.

    /** Debian's interpreter, where apt installs the driver (a pyenv python3 first on PATH would not see it). */
    private static final String PYTHON = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3"))
            ? "/usr/bin/python3" : "python3";

    @Test
    void thePythonDriverConnectsPreparesPagesAndReadsTheSchema() throws Exception {
        boolean available = run(List.of(PYTHON, "-c", "import cassandra"), 60).exit == 0;
        if (!available && "1".equals(System.getenv("SIBYL_REQUIRE_PYTHON_DRIVER"))) {
            throw new AssertionError("python3-cassandra is required (apt-get install python3-cassandra)");
        }
        assumeTrue(available, "python3-cassandra not installed: apt-get install python3-cassandra");
        java.nio.file.Path script = locate("scripts/native_smoke.py");
        {
            Result r = run(List.of(PYTHON, script.toString(), "127.0.0.1", String.valueOf(node.cqlPort()), "py_smoke"), 180);
            System.out.println(r.output);
            assertEquals(0, r.exit, r.output);
            assertTrue(r.output.contains("native protocol smoke test passed"), r.output);
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, int timeoutSeconds) throws java.io.IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + new String(out, java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The file relative to the repository root (tests run in app/). */
    private static java.nio.file.Path locate(String relative) {
        for (java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new AssertionError(relative + " not found above " + java.nio.file.Path.of("").toAbsolutePath());
    }
}
