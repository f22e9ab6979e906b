package io.sibyl.app.cql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.cql.QueryResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModificationExecutorTest {

    @TempDir
    Path dir;
    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dir);
        db.keyspace("ks");
        db.table("CREATE TABLE ks.t (k text, c int, v text, n int, s int STATIC, PRIMARY KEY ((k), c))");
        db.table("CREATE TABLE ks.kv (k int PRIMARY KEY, v text)");
        db.table("CREATE TABLE ks.coll (k int PRIMARY KEY, l list<int>, s set<text>, m map<text, int>, "
                + "f frozen<list<int>>)");
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void insertThenSelect() {
        db.exec("INSERT INTO ks.t (k, c, v, n) VALUES ('a', 1, 'x', 10)");
        db.exec("INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)", "a", 2, "y");
        assertEquals(List.of(row("k", "a", "c", 1, "s", null, "n", 10, "v", "x"),
                        row("k", "a", "c", 2, "s", null, "n", null, "v", "y")),
                db.rows("SELECT * FROM ks.t WHERE k = 'a'"));
    }

    @Test
    void insertOnlyKeyMakesARowThatUpdateDoesNot() {
        db.exec("INSERT INTO ks.t (k, c) VALUES ('a', 1)");
        db.exec("UPDATE ks.t SET v = null WHERE k = 'a' AND c = 2");
        assertEquals(List.of(row("k", "a", "c", 1, "v", null)), db.rows("SELECT k, c, v FROM ks.t WHERE k = 'a'"));
        db.exec("UPDATE ks.t SET v = 'z' WHERE k = 'a' AND c = 3");
        db.exec("UPDATE ks.t SET v = null WHERE k = 'a' AND c = 3");
        assertEquals(1, db.rows("SELECT * FROM ks.t WHERE k = 'a'").size());
    }

    @Test
    void namedMarkers() {
        db.run(TestDb.request("INSERT INTO ks.kv (k, v) VALUES (:k, :v)", Map.of("k", 5, "v", "five")));
        assertEquals(List.of(row("k", 5, "v", "five")), db.rows("SELECT * FROM ks.kv WHERE k = 5"));
    }

    @Test
    void nullValueDeletesTheCell() {
        db.exec("INSERT INTO ks.kv (k, v) VALUES (1, 'a')");
        db.exec("INSERT INTO ks.kv (k, v) VALUES (1, null)");
        assertEquals(List.of(row("k", 1, "v", null)), db.rows("SELECT * FROM ks.kv WHERE k = 1"));
    }

    @Test
    void usingTimestampOrdersWrites() {
        db.exec("INSERT INTO ks.kv (k, v) VALUES (1, 'new') USING TIMESTAMP 2000");
        db.exec("INSERT INTO ks.kv (k, v) VALUES (1, 'old') USING TIMESTAMP 1000");
        assertEquals("new", db.rows("SELECT v FROM ks.kv WHERE k = 1").get(0).get("v"));
        assertEquals(2000L, db.rows("SELECT writetime(v) FROM ks.kv WHERE k = 1").get(0).get("writetime(v)"));
        db.exec("DELETE FROM ks.kv USING TIMESTAMP 1500 WHERE k = 1");
        assertEquals(1, db.rows("SELECT * FROM ks.kv WHERE k = 1").size(), "older delete loses");
        db.exec("DELETE FROM ks.kv USING TIMESTAMP 2000 WHERE k = 1");
        assertTrue(db.rows("SELECT * FROM ks.kv WHERE k = 1").isEmpty());
    }

    @Test
    void requestTimestampIsUsed() {
        db.run(new io.sibyl.app.cql.QueryRequest("INSERT INTO ks.kv (k, v) VALUES (1, 'a')", null, null,
                io.sibyl.actors.consistency.ConsistencyLevel.ONE, null, 0, null, 1234L));
        assertEquals(1234L, db.rows("SELECT writetime(v) FROM ks.kv WHERE k = 1").get(0).get("writetime(v)"));
    }

    @Test
    void ttlExpiresAndReportsRemaining() {
        db.exec("INSERT INTO ks.kv (k, v) VALUES (1, 'a') USING TTL 100");
        assertEquals(100, db.rows("SELECT ttl(v) FROM ks.kv WHERE k = 1").get(0).get("ttl(v)"));
        db.advanceSeconds(40);
        assertEquals(60, db.rows("SELECT ttl(v) FROM ks.kv WHERE k = 1").get(0).get("ttl(v)"));
        db.advanceSeconds(60);
        assertTrue(db.rows("SELECT * FROM ks.kv WHERE k = 1").isEmpty(), "row marker and cell expired");
        db.exec("INSERT INTO ks.kv (k, v) VALUES (2, 'b') USING TTL 0");
        assertNull(db.rows("SELECT ttl(v) FROM ks.kv WHERE k = 2").get(0).get("ttl(v)"));
    }

    @Test
    void tableDefaultTtlAppliesUnlessOverridden() {
        db.table("CREATE TABLE ks.ttl (k int PRIMARY KEY, v int) WITH default_time_to_live = 50");
        db.exec("INSERT INTO ks.ttl (k, v) VALUES (1, 1)");
        db.exec("INSERT INTO ks.ttl (k, v) VALUES (2, 2) USING TTL 0");
        db.exec("UPDATE ks.ttl USING TTL 10 SET v = 3 WHERE k = 3");
        assertEquals(50, db.rows("SELECT ttl(v) FROM ks.ttl WHERE k = 1").get(0).get("ttl(v)"));
        assertNull(db.rows("SELECT ttl(v) FROM ks.ttl WHERE k = 2").get(0).get("ttl(v)"));
        assertEquals(10, db.rows("SELECT ttl(v) FROM ks.ttl WHERE k = 3").get(0).get("ttl(v)"));
        db.advanceSeconds(50);
        assertEquals(List.of(row("k", 2, "v", 2)), db.rows("SELECT * FROM ks.ttl"));
    }

    @Test
    void updateSetsAndPartitionInWrites() {
        db.exec("UPDATE ks.t SET v = 'u', n = 3 WHERE k IN ('a', 'b') AND c = 1");
        assertEquals(1, db.rows("SELECT * FROM ks.t WHERE k = 'a'").size());
        assertEquals(1, db.rows("SELECT * FROM ks.t WHERE k = 'b'").size());
        db.exec("UPDATE ks.t SET v = 'w' WHERE k = 'a' AND c IN (1, 2)");
        assertEquals(List.of(row("c", 1, "v", "w"), row("c", 2, "v", "w")),
                db.rows("SELECT c, v FROM ks.t WHERE k = 'a'"));
    }

    @Test
    void staticColumns() {
        db.exec("INSERT INTO ks.t (k, s) VALUES ('a', 7)");
        assertEquals(List.of(row("k", "a", "c", null, "s", 7, "n", null, "v", null)),
                db.rows("SELECT * FROM ks.t WHERE k = 'a'"), "a static-only partition is one row with null clustering");
        db.exec("INSERT INTO ks.t (k, c, v) VALUES ('a', 1, 'x')");
        db.exec("UPDATE ks.t SET s = 8 WHERE k = 'a'");
        db.exec("INSERT INTO ks.t (k, c, v, s) VALUES ('a', 2, 'y', 9)");
        assertEquals(List.of(row("c", 1, "s", 9), row("c", 2, "s", 9)), db.rows("SELECT c, s FROM ks.t WHERE k = 'a'"));
        assertEquals(Restrictions_messages.STATIC_UPDATE,
                db.invalid("UPDATE ks.t SET s = 1 WHERE k = 'a' AND c = 1"));
        db.exec("DELETE s FROM ks.t WHERE k = 'a'");
        assertEquals(List.of(row("c", 1, "s", null), row("c", 2, "s", null)),
                db.rows("SELECT c, s FROM ks.t WHERE k = 'a'"));
    }

    interface Restrictions_messages {
        String STATIC_UPDATE = "Invalid restrictions on clustering columns since the UPDATE statement modifies only "
                + "static columns";
    }

    @Test
    void deleteForms() {
        for (int c = 0; c < 6; c++) {
            db.exec("INSERT INTO ks.t (k, c, v, n) VALUES ('a', ?, 'v', 1)", c);
        }
        db.exec("INSERT INTO ks.t (k, c, v) VALUES ('b', 1, 'v')");
        db.exec("DELETE v FROM ks.t WHERE k = 'a' AND c = 0");
        assertEquals(row("c", 0, "v", null, "n", 1), db.rows("SELECT c, v, n FROM ks.t WHERE k = 'a'").get(0));
        db.exec("DELETE FROM ks.t WHERE k = 'a' AND c = 1");
        db.exec("DELETE FROM ks.t WHERE k = 'a' AND c > 3");
        assertEquals(List.of(row("c", 0), row("c", 2), row("c", 3)), db.rows("SELECT c FROM ks.t WHERE k = 'a'"));
        db.exec("DELETE FROM ks.t WHERE k = 'a' AND c >= 2 AND c < 3");
        assertEquals(List.of(row("c", 0), row("c", 3)), db.rows("SELECT c FROM ks.t WHERE k = 'a'"));
        db.exec("DELETE FROM ks.t WHERE k = 'a'");
        assertTrue(db.rows("SELECT * FROM ks.t WHERE k = 'a'").isEmpty());
        assertEquals(1, db.rows("SELECT * FROM ks.t WHERE k = 'b'").size());
        db.exec("INSERT INTO ks.t (k, c, v) VALUES ('a', 9, 'back')");
        assertEquals(1, db.rows("SELECT * FROM ks.t WHERE k = 'a'").size(), "newer writes survive the deletion");
    }

    @Test
    void clusteringPrefixDeletion() {
        db.table("CREATE TABLE ks.two (k int, a int, b int, v int, PRIMARY KEY (k, a, b))");
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                db.exec("INSERT INTO ks.two (k, a, b, v) VALUES (0, ?, ?, 0)", a, b);
            }
        }
        db.exec("DELETE FROM ks.two WHERE k = 0 AND a = 1");
        db.exec("DELETE FROM ks.two WHERE k = 0 AND a = 2 AND b > 0");
        assertEquals(List.of(row("a", 0, "b", 0), row("a", 0, "b", 1), row("a", 0, "b", 2), row("a", 2, "b", 0)),
                db.rows("SELECT a, b FROM ks.two WHERE k = 0"));
    }

    @Test
    void collections() {
        db.exec("INSERT INTO ks.coll (k, l, s, m, f) VALUES (1, [3, 1, 2], {'b', 'a'}, {'x': 1}, [9, 8])");
        assertEquals(row("k", 1, "f", List.of(9, 8), "l", List.of(3, 1, 2), "m", Map.of("x", 1), "s", List.of("a", "b")),
                db.rows("SELECT * FROM ks.coll WHERE k = 1").get(0));
        db.exec("UPDATE ks.coll SET l = l + [4], s = s + {'c'}, m = m + {'y': 2} WHERE k = 1");
        db.exec("UPDATE ks.coll SET l = [0] + l WHERE k = 1");
        db.exec("UPDATE ks.coll SET s = s - {'a'}, m['z'] = 3 WHERE k = 1");
        db.exec("UPDATE ks.coll SET m = m - {'x'} WHERE k = 1");
        assertEquals(row("l", List.of(0, 3, 1, 2, 4), "s", List.of("b", "c"), "m", Map.of("y", 2, "z", 3)),
                db.rows("SELECT l, s, m FROM ks.coll WHERE k = 1").get(0));
        db.exec("UPDATE ks.coll SET l = [7] WHERE k = 1");
        db.exec("DELETE m['y'], s FROM ks.coll WHERE k = 1");
        assertEquals(row("l", List.of(7), "s", null, "m", Map.of("z", 3)),
                db.rows("SELECT l, s, m FROM ks.coll WHERE k = 1").get(0));
        db.exec("UPDATE ks.coll SET m = {} WHERE k = 1");
        assertNull(db.rows("SELECT m FROM ks.coll WHERE k = 1").get(0).get("m"), "an empty collection is null");
        db.run(TestDb.request("UPDATE ks.coll SET m = ? WHERE k = 2", List.of(Map.of("q", 5))));
        assertEquals(Map.of("q", 5), db.rows("SELECT m FROM ks.coll WHERE k = 2").get(0).get("m"));
    }

    @Test
    void listOperationsThatReadFirst() {
        db.exec("INSERT INTO ks.coll (k, l) VALUES (1, [1, 2, 3, 2, 4])");
        db.exec("UPDATE ks.coll SET l[1] = 20 WHERE k = 1");
        assertEquals(List.of(1, 20, 3, 2, 4), db.rows("SELECT l FROM ks.coll WHERE k = 1").get(0).get("l"));
        db.exec("UPDATE ks.coll SET l = l - [2, 4] WHERE k = 1");
        assertEquals(List.of(1, 20, 3), db.rows("SELECT l FROM ks.coll WHERE k = 1").get(0).get("l"));
        db.exec("DELETE l[0] FROM ks.coll WHERE k = 1");
        assertEquals(List.of(20, 3), db.rows("SELECT l FROM ks.coll WHERE k = 1").get(0).get("l"));
        db.exec("UPDATE ks.coll SET l[1] = null WHERE k = 1");
        assertEquals(List.of(20), db.rows("SELECT l FROM ks.coll WHERE k = 1").get(0).get("l"));
        assertEquals("List index 5 out of bound, list has size 1", db.invalid("UPDATE ks.coll SET l[5] = 1, s = {'x'} WHERE k = 1"));
        assertNull(db.rows("SELECT s FROM ks.coll WHERE k = 1").get(0).get("s"), "a failed read-before-write writes nothing");
        db.exec("BEGIN BATCH UPDATE ks.coll SET l[0] = 7 WHERE k = 1; UPDATE ks.coll SET l = l + [8] WHERE k = 1; APPLY BATCH");
        assertEquals(List.of(7, 8), db.rows("SELECT l FROM ks.coll WHERE k = 1").get(0).get("l"));
    }

    @Test
    void insertJson() {
        db.exec("INSERT INTO ks.t JSON '{\"k\": \"j\", \"c\": 1, \"v\": \"x\", \"n\": 5}'");
        db.exec("INSERT INTO ks.t JSON ?", "{\"k\": \"j\", \"c\": 1, \"v\": \"y\"}");
        assertEquals(List.of(row("k", "j", "c", 1, "s", null, "n", null, "v", "y")),
                db.rows("SELECT * FROM ks.t WHERE k = 'j'"), "missing columns are set to null (DEFAULT NULL)");
        assertEquals("JSON values map contains unrecognized column: zz",
                db.invalid("INSERT INTO ks.t JSON '{\"k\": \"j\", \"c\": 1, \"zz\": 1}'"));
    }

    @Test
    void functions() {
        db.table("CREATE TABLE ks.f (k int PRIMARY KEY, u timeuuid, id uuid, ts timestamp, ms bigint, d date)");
        db.exec("INSERT INTO ks.f (k, u, id, ts, ms, d) VALUES (1, now(), uuid(), toTimestamp(now()), "
                + "toUnixTimestamp(now()), currentDate())");
        Map<String, Object> r = db.rows("SELECT * FROM ks.f WHERE k = 1").get(0);
        // now() reads the process's time-UUID clock; currentDate() the node's clock (moved by the test).
        long fromUuid = io.sibyl.storage.types.TimeUUIDs.unixMillis(java.util.UUID.fromString((String) r.get("u")));
        long ts = java.time.Instant.parse((String) r.get("ts")).toEpochMilli();
        assertTrue(Math.abs(ts - fromUuid) < 5000, ts + " vs " + fromUuid);
        assertTrue(Math.abs(((Number) r.get("ms")).longValue() - fromUuid) < 5000);
        assertEquals("2025-11-21", r.get("d"));
        db.exec("INSERT INTO ks.f (k, ts) VALUES (2, currentTimestamp())");
        assertEquals(1, db.rows("SELECT * FROM ks.f WHERE k = 2").size());
        db.exec("INSERT INTO ks.f (k, u) VALUES (3, minTimeuuid('2020-01-01T00:00:00Z'))");
        assertEquals(io.sibyl.storage.types.TimeUUIDs.minFor(1577836800000L).toString(),
                db.rows("SELECT u FROM ks.f WHERE k = 3").get(0).get("u"));
        assertEquals("Type error: cannot assign result of function system.now (type timeuuid) to ms (type bigint)",
                db.invalid("INSERT INTO ks.f (k, ms) VALUES (4, now())"));
    }

    @Test
    void ifNotExists() {
        QueryResult first = db.exec("INSERT INTO ks.kv (k, v) VALUES (1, 'a') IF NOT EXISTS");
        assertEquals(Boolean.TRUE, first.applied());
        QueryResult second = db.exec("INSERT INTO ks.kv (k, v) VALUES (1, 'b') IF NOT EXISTS");
        assertEquals(Boolean.FALSE, second.applied());
        assertEquals(List.of(row("[applied]", false, "k", 1, "v", "a")), second.rows());
        assertEquals("a", db.rows("SELECT v FROM ks.kv WHERE k = 1").get(0).get("v"));
    }

    @Test
    void conditionalWritesRunPaxosAndTakeTheBallotsTimestamp() {
        long before = System.currentTimeMillis() * 1000;
        db.exec("INSERT INTO ks.kv (k, v) VALUES (7, 'a') IF NOT EXISTS");
        long written = (Long) db.rows("SELECT writetime(v) FROM ks.kv WHERE k = 7").get(0).get("writetime(v)");
        // The test's clock is fixed in 2025; a Paxos proposal is re-timestamped to its ballot (wall clock).
        assertTrue(written >= before, "writetime " + written + " is the ballot's, not the statement clock's");
    }

    @Test
    void conditionalListIndexWritesReadTheRowInsideTheTransaction() {
        db.exec("INSERT INTO ks.coll (k, l) VALUES (1, [1, 2, 3])");
        assertEquals(Boolean.TRUE, db.exec("UPDATE ks.coll SET l[1] = 20 WHERE k = 1 IF EXISTS").applied());
        assertEquals(List.of(1, 20, 3), db.rows("SELECT l FROM ks.coll WHERE k = 1").get(0).get("l"));
        assertEquals(Boolean.FALSE, db.exec("UPDATE ks.coll SET l[0] = 9 WHERE k = 2 IF EXISTS").applied());
    }

    @Test
    void serialSelectsReadOnePartition() {
        db.exec("INSERT INTO ks.kv (k, v) VALUES (1, 'a') IF NOT EXISTS");
        QueryResult r = db.run(new io.sibyl.app.cql.QueryRequest("SELECT v FROM ks.kv WHERE k = 1", null, null,
                io.sibyl.actors.consistency.ConsistencyLevel.SERIAL, null, 0, null, null));
        assertEquals(List.of(row("v", "a")), r.rows());
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> db.run(new io.sibyl.app.cql.QueryRequest("SELECT v FROM ks.kv", null, null,
                        io.sibyl.actors.consistency.ConsistencyLevel.LOCAL_SERIAL, null, 0, null, null)));
        assertTrue(e.getMessage().contains("one partition at a time"), e.getMessage());
    }

    @Test
    void ifExistsAndConditions() {
        assertEquals(Boolean.FALSE, db.exec("UPDATE ks.kv SET v = 'x' WHERE k = 1 IF EXISTS").applied());
        assertTrue(db.rows("SELECT * FROM ks.kv WHERE k = 1").isEmpty(), "not applied writes nothing");
        db.exec("INSERT INTO ks.kv (k, v) VALUES (1, 'a')");
        assertEquals(Boolean.TRUE, db.exec("UPDATE ks.kv SET v = 'b' WHERE k = 1 IF EXISTS").applied());
        QueryResult no = db.exec("UPDATE ks.kv SET v = 'c' WHERE k = 1 IF v = 'a'");
        assertEquals(Boolean.FALSE, no.applied());
        assertEquals(List.of(row("[applied]", false, "v", "b")), no.rows());
        assertEquals(Boolean.TRUE, db.exec("UPDATE ks.kv SET v = 'c' WHERE k = 1 IF v = 'b'").applied());
        assertEquals(Boolean.TRUE, db.exec("UPDATE ks.kv SET v = 'd' WHERE k = 1 IF v IN ('x', 'c')").applied());
        assertEquals(Boolean.TRUE, db.exec("UPDATE ks.kv SET v = 'e' WHERE k = 1 IF v != 'x'").applied());
        assertEquals(Boolean.TRUE, db.exec("UPDATE ks.kv SET v = 'f' WHERE k = 1 IF v > 'a'").applied());
        assertEquals(Boolean.FALSE, db.exec("DELETE FROM ks.kv WHERE k = 1 IF v = 'zzz'").applied());
        assertEquals(Boolean.TRUE, db.exec("DELETE FROM ks.kv WHERE k = 1 IF v = 'f'").applied());
        assertTrue(db.rows("SELECT * FROM ks.kv WHERE k = 1").isEmpty());
        assertEquals(Boolean.TRUE, db.exec("UPDATE ks.kv SET v = 'n' WHERE k = 2 IF v = null").applied());
        assertEquals("Cannot provide custom timestamp for conditional updates",
                db.invalid("UPDATE ks.kv USING TIMESTAMP 5 SET v = 'b' WHERE k = 1 IF EXISTS"));
        assertEquals("IN on the partition key is not supported with conditional updates",
                db.invalid("UPDATE ks.kv SET v = 'b' WHERE k IN (1, 2) IF EXISTS"));
    }

    @Test
    void conditionalCountsAreLinearOnOneCoordinator() throws Exception {
        db.exec("INSERT INTO ks.kv (k, v) VALUES (1, '0')");
        int threads = 4;
        int perThread = 50;
        java.util.concurrent.atomic.AtomicInteger applied = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    while (true) {
                        String cur = (String) db.rows("SELECT v FROM ks.kv WHERE k = 1").get(0).get("v");
                        String next = String.valueOf(Integer.parseInt(cur) + 1);
                        if (db.exec("UPDATE ks.kv SET v = ? WHERE k = 1 IF v = ?", next, cur).applied()) {
                            applied.incrementAndGet();
                            break;
                        }
                    }
                }
            }));
        }
        for (var f : fs) {
            f.get();
        }
        pool.shutdown();
        assertEquals(threads * perThread, applied.get());
        assertEquals(String.valueOf(threads * perThread), db.rows("SELECT v FROM ks.kv WHERE k = 1").get(0).get("v"));
    }
}
