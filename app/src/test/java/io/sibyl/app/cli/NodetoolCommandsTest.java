package io.sibyl.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sibyl.app.node.NodeClient;
import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every nodetool-like verb against one running node (shared by the class): exit code, the human output's
 * key lines, and the {@code --json} documents' keys (their schema is part of the CLI's contract).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodetoolCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static SibylNode node;
    static String host;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(dataDir, Map.of("sibyl.storage.key_cache_size", "auto"));
        host = "http://127.0.0.1:" + node.httpPort();
        assertEquals(200, NodeClient.cql(node, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
        assertEquals(200, NodeClient.cql(node, "CREATE TABLE ks.t (k int PRIMARY KEY, v text)").status());
        for (int k = 0; k < 20; k++) {
            assertEquals(200, NodeClient.cql(node, "INSERT INTO ks.t (k, v) VALUES (" + k + ", 'v')").status());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        node.stop().get();
    }

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    static Run run(Supplier<NodeVerb> verb, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        NodeVerb v = verb.get().printTo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--host");
        a.add(host);
        int code = new CommandLine(v).execute(a.toArray(new String[0]));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run ok(Supplier<NodeVerb> verb, String... args) {
        Run r = run(verb, args);
        assertEquals(0, r.code(), r.err() + r.out());
        return r;
    }

    static TreeSet<String> keys(JsonNode n) {
        TreeSet<String> k = new TreeSet<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    static TreeSet<String> set(String... s) {
        return new TreeSet<>(List.of(s));
    }

    @Test
    @Order(1)
    void status() throws Exception {
        Run human = ok(StatusCommand::new);
        assertTrue(human.out().contains("Datacenter: "), human.out());
        assertTrue(human.out().lines().anyMatch(l -> l.startsWith("UN  127.0.0.1") && l.contains("100.0%")), human.out());
        JsonNode j = ok(StatusCommand::new, "--json").json();
        assertEquals(1, j.path("nodes").size());
        assertEquals(set("state", "address", "load_bytes", "tokens", "owns", "host_id", "dc", "rack"), keys(j.path("nodes").get(0)));
        assertEquals("UN", j.path("nodes").get(0).path("state").asText());
        assertEquals(1.0, ok(StatusCommand::new, "ks", "--json").json().path("nodes").get(0).path("owns").asDouble(), 1e-9);
        assertEquals(1, run(StatusCommand::new, "nope").code());
    }

    @Test
    @Order(2)
    void ringInfoDescribeCluster() throws Exception {
        JsonNode ring = ok(RingCommand::new, "--json").json();
        assertTrue(ring.path("tokens").size() >= 1);
        assertEquals(set("token", "address", "host_id", "dc", "rack", "status", "state", "load_bytes"), keys(ring.path("tokens").get(0)));
        long prev = Long.MIN_VALUE;
        for (JsonNode t : ring.path("tokens")) {
            assertTrue(Long.parseLong(t.path("token").asText()) > prev, "ring order");
            prev = Long.parseLong(t.path("token").asText());
        }
        assertEquals(ring.path("tokens").size() + 1, ok(RingCommand::new).out().lines().count());

        JsonNode info = ok(InfoCommand::new, "--json").json();
        assertEquals(set("id", "address", "http_port", "dc", "rack", "state", "load_bytes", "tokens", "schema_version", "epoch",
                "tables", "sstables", "sstable_bytes", "memtable_bytes", "drained", "key_cache", "chunk_cache"), keys(info));
        assertFalse(info.path("drained").asBoolean());
        assertEquals(set("capacity_bytes", "size_bytes", "entries", "hits", "requests", "hit_rate"), keys(info.path("key_cache")));
        assertTrue(info.path("key_cache").path("capacity_bytes").asLong() > 0, "key_cache_size = auto (set by this test)");
        String text = ok(InfoCommand::new).out();
        assertTrue(text.contains("Drained") && text.contains("Key Cache") && text.contains("Chunk Cache"), text);

        JsonNode dc = ok(DescribeClusterCommand::new, "--json").json();
        assertEquals(set("partitioner", "schema_agreement", "schema_versions", "epoch", "datacenters"), keys(dc));
        assertTrue(dc.path("schema_agreement").asBoolean());
        assertTrue(ok(DescribeClusterCommand::new).out().contains("Partitioner: Murmur3Partitioner"));
    }

    @Test
    @Order(3)
    void flushTablestatsCompactCompactionstatsTpstats() throws Exception {
        assertTrue(ok(FlushCommand::new, "ks", "t").out().contains("flushed ks.t"));
        assertEquals(1, run(FlushCommand::new, "ks", "nope").code());
        JsonNode stats = ok(TableStatsCommand::new, "ks.t", "--json").json();
        assertEquals(1, stats.path("tables").size());
        JsonNode t = stats.path("tables").get(0);
        assertEquals(set("keyspace", "table", "sstable_count", "sstable_bytes", "memtable_bytes", "memtable_partitions",
                "estimated_partitions", "read_count", "read_p99_micros", "write_count", "write_p99_micros",
                "bloom_filter_false_positives", "bloom_filter_false_ratio", "bloom_filter_bytes", "droppable_tombstones",
                "tombstones_scanned", "pending_compactions", "write_amplification"), keys(t));
        assertEquals(1, t.path("sstable_count").asInt());
        assertEquals(20, t.path("write_count").asInt());
        Run human = ok(TableStatsCommand::new, "ks");
        assertTrue(human.out().contains("Keyspace : ks") && human.out().contains("\tTable: t") && human.out().contains("SSTable count: 1"), human.out());
        assertEquals(1, run(TableStatsCommand::new, "ks.nope").code());

        assertEquals(200, NodeClient.cql(node, "INSERT INTO ks.t (k, v) VALUES (1, 'w')").status());
        ok(FlushCommand::new);
        JsonNode compacted = ok(CompactCommand::new, "ks", "t", "--json").json();
        assertEquals("ks.t", compacted.path("compacted").get(0).asText());
        assertEquals(1, ok(TableStatsCommand::new, "ks.t", "--json").json().path("tables").get(0).path("sstable_count").asInt());
        assertTrue(ok(CompactCommand::new, "ks").out().contains("compacted ks.t"));

        JsonNode cs = ok(CompactionStatsCommand::new, "--json").json();
        assertTrue(cs.has("pending_tasks") && cs.has("running"), cs.toString());
        assertTrue(ok(CompactionStatsCommand::new).out().startsWith("pending tasks: "));

        JsonNode tp = ok(TpStatsCommand::new, "--json").json();
        List<String> pools = new ArrayList<>();
        for (JsonNode p : tp.path("pools")) {
            assertEquals(set("name", "active", "pending", "completed", "pool_size"), keys(p));
            pools.add(p.path("name").asText());
        }
        assertTrue(pools.containsAll(List.of("pekko.actor.default-dispatcher", "MemtableFlushWriter", "CompactionExecutor")), pools.toString());
        // the actors by kind, counted by their mailboxes: the schema keeper (DDL) and the flusher have worked by
        // now (a single node's coordinator reads and writes its own replica without the replica actors)
        java.util.Map<String, JsonNode> kinds = new java.util.HashMap<>();
        for (JsonNode k : tp.path("actors")) {
            assertEquals(set("kind", "actors", "pending", "completed", "blocked", "dropped"), keys(k));
            kinds.put(k.path("kind").asText(), k);
        }
        assertTrue(kinds.keySet().containsAll(List.of("Replica", "MemtableFlusher", "Compactor", "HintReplayer",
                "RingKeeper", "SchemaKeeper", "NodeHealthKeeper", "StreamServer")), kinds.keySet().toString());
        assertTrue(kinds.get("Replica").path("actors").asLong() >= 1, kinds.get("Replica").toString());
        assertTrue(kinds.get("SchemaKeeper").path("completed").asLong() > 0, kinds.get("SchemaKeeper").toString());
        assertTrue(kinds.get("MemtableFlusher").path("completed").asLong() > 0, kinds.get("MemtableFlusher").toString());
        assertEquals(1, kinds.get("RingKeeper").path("actors").asLong());
        String tpHuman = ok(TpStatsCommand::new).out();
        assertTrue(tpHuman.lines().anyMatch(l -> l.startsWith("MemtableFlushWriter")), tpHuman);
        assertTrue(tpHuman.lines().anyMatch(l -> l.startsWith("Actor Kind")), tpHuman);
        assertTrue(tpHuman.lines().anyMatch(l -> l.matches("Replica\\s+\\d+\\s+\\d+\\s+\\d+\\s+0\\s+\\d+\\s*")), tpHuman);
    }

    @Test
    @Order(4)
    void getendpoints() throws Exception {
        JsonNode e = ok(GetEndpointsCommand::new, "ks", "t", "7", "--json").json();
        assertEquals(set("keyspace", "table", "key", "token", "endpoints"), keys(e));
        assertEquals(1, e.path("endpoints").size());
        assertEquals(node.httpPort(), e.path("endpoints").get(0).path("http_port").asInt());
        assertTrue(ok(GetEndpointsCommand::new, "ks", "t", "7").out().startsWith("127.0.0.1:" + node.httpPort()));
        Run bad = run(GetEndpointsCommand::new, "ks", "t", "notanint");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("INVALID"), bad.err());
        assertTrue(run(GetEndpointsCommand::new, "ks", "nope", "1").err().contains("NOT_FOUND"));
    }

    @Test
    @Order(5)
    void snapshotListRefreshClear() throws Exception {
        JsonNode taken = ok(SnapshotCommand::new, "-t", "cli1", "ks", "t", "--json").json();
        assertEquals("cli1", taken.path("tag").asText());
        assertTrue(ok(SnapshotCommand::new, "-t", "cli2").out().startsWith("Snapshot cli2 taken of "));
        Run dup = run(SnapshotCommand::new, "-t", "cli1", "ks");
        assertEquals(1, dup.code());
        assertTrue(dup.err().contains("ALREADY_EXISTS"), dup.err());
        assertTrue(run(SnapshotCommand::new, "-t", "../x").err().contains("INVALID"));

        JsonNode list = ok(ListSnapshotsCommand::new, "--json").json();
        assertTrue(list.path("snapshots").size() >= 2);
        assertEquals(set("tag", "keyspace", "table", "directory", "files", "bytes", "true_bytes", "created_at"),
                keys(list.path("snapshots").get(0)));
        Run human = ok(ListSnapshotsCommand::new);
        assertTrue(human.out().lines().anyMatch(l -> l.startsWith("cli1") && l.contains("ks") && l.contains(" t ")), human.out());

        JsonNode refreshed = ok(RefreshCommand::new, "ks", "t", "--json").json();
        assertEquals(0, refreshed.path("loaded").asInt(), "nothing new in the directory");
        assertEquals(1, run(RefreshCommand::new, "ks", "nope").code());

        assertEquals(1, run(ClearSnapshotCommand::new).code());
        assertEquals(1, ok(ClearSnapshotCommand::new, "-t", "cli1", "--json").json().path("cleared").asInt());
        assertTrue(run(ClearSnapshotCommand::new, "-t", "cli1").err().contains("NOT_FOUND"));
        assertTrue(ok(ClearSnapshotCommand::new, "--all").out().startsWith("cleared "));
        assertTrue(ok(ListSnapshotsCommand::new).out().contains("There are no snapshots"));
    }

    @Test
    @Order(6)
    void drainLast() throws Exception {
        assertEquals(Boolean.TRUE, ok(DrainCommand::new, "--json").json().path("drained").asBoolean());
        assertEquals("DRAINED", NodeClient.cql(node, "INSERT INTO ks.t (k, v) VALUES (99, 'x')").code());
        assertEquals(200, NodeClient.cql(node, "SELECT v FROM ks.t WHERE k = 1").status());
        assertTrue(ok(InfoCommand::new, "--json").json().path("drained").asBoolean());
    }

    @Test
    @Order(7)
    void unreachableNodeExitsOne() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        NodeVerb v = new StatusCommand().printTo(System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, new CommandLine(v).execute("--host", "http://127.0.0.1:1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot connect"), err.toString(StandardCharsets.UTF_8));
    }
}
