package io.sibyl.app.cql.exec;

import static io.sibyl.app.cql.exec.ModificationExecutorTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.cql.QueryResult;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.token.PartitionKeys;
import io.sibyl.storage.types.IntType;
import io.sibyl.storage.types.TextType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectExecutorTest {

    @TempDir
    Path dir;
    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dir);
        db.keyspace("ks");
        db.table("CREATE TABLE ks.t (k int, c int, v int, s text STATIC, PRIMARY KEY (k, c))");
        db.table("CREATE TABLE ks.d (k int, c int, v int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)");
        db.table("CREATE TABLE ks.two (k int, a int, b int, v int, PRIMARY KEY (k, a, b))");
        db.table("CREATE TABLE ks.comp (k1 text, k2 int, c int, v int, PRIMARY KEY ((k1, k2), c))");
        for (int k = 0; k < 3; k++) {
            for (int c = 0; c < 5; c++) {
                db.exec("INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)", k, c, k * 10 + c);
                db.exec("INSERT INTO ks.d (k, c, v) VALUES (?, ?, ?)", k, c, k * 10 + c);
            }
        }
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                db.exec("INSERT INTO ks.two (k, a, b, v) VALUES (0, ?, ?, ?)", a, b, a * 3 + b);
            }
        }
    }

    private List<Object> column(String name, List<Map<String, Object>> rows) {
        List<Object> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get(name)));
        return out;
    }

    @Test
    void columnsAndAliasesAndSpecs() {
        QueryResult r = db.exec("SELECT c AS cc, v FROM ks.t WHERE k = 1 AND c = 2");
        assertEquals(List.of(row("cc", 2, "v", 12)), r.rows());
        assertEquals(List.of(new QueryResult.ResultColumn("cc", "int"), new QueryResult.ResultColumn("v", "int")),
                r.columns());
        QueryResult meta = db.exec("SELECT token(k), writetime(v), ttl(v), count(*) FROM ks.t WHERE k = 1 AND c = 2"
                .replace(", count(*)", ""));
        assertEquals(List.of("system.token(k)", "writetime(v)", "ttl(v)"),
                meta.columns().stream().map(QueryResult.ResultColumn::name).toList());
        assertEquals(List.of("bigint", "bigint", "int"), meta.columns().stream().map(QueryResult.ResultColumn::type).toList());
    }

    @Test
    void clusteringSlicesForwardAndDesc() {
        assertEquals(List.of(2, 3), column("c", db.rows("SELECT c FROM ks.t WHERE k = 1 AND c > 1 AND c <= 3")));
        assertEquals(List.of(3, 2), column("c", db.rows("SELECT c FROM ks.d WHERE k = 1 AND c > 1 AND c <= 3")));
        assertEquals(List.of(3, 2), column("c", db.rows("SELECT c FROM ks.t WHERE k = 1 AND c > 1 AND c <= 3 "
                + "ORDER BY c DESC")));
        assertEquals(List.of(2, 3), column("c", db.rows("SELECT c FROM ks.d WHERE k = 1 AND c > 1 AND c <= 3 "
                + "ORDER BY c ASC")));
        assertEquals(List.of(1, 3), column("c", db.rows("SELECT c FROM ks.t WHERE k = 1 AND c IN (3, 1, 9)")));
        assertEquals(List.of(4, 3), column("c", db.rows("SELECT c FROM ks.t WHERE k = 1 ORDER BY c DESC LIMIT 2")));
        assertEquals(List.of(0, 4), column("c", db.rows("SELECT c FROM ks.t WHERE k = ? AND c IN ?", 1, List.of(4, 0))));
        assertEquals(List.of(10, 20), column("v", db.rows("SELECT v FROM ks.t WHERE k IN ? AND c = 0", List.of(1, 2))));
    }

    @Test
    void multiColumnSlicesAndPrefixes() {
        assertEquals(List.of(5, 6, 7, 8), column("v", db.rows("SELECT v FROM ks.two WHERE k = 0 AND (a, b) > (1, 1)")));
        assertEquals(List.of(2, 3, 4), column("v",
                db.rows("SELECT v FROM ks.two WHERE k = 0 AND (a, b) >= (0, 2) AND (a, b) < (1, 2)")));
        assertEquals(List.of(4, 5), column("v", db.rows("SELECT v FROM ks.two WHERE k = 0 AND a = 1 AND b > 0")));
        assertEquals(List.of(1, 7), column("v", db.rows("SELECT v FROM ks.two WHERE k = 0 AND a IN (0, 2) AND b = 1")));
        assertEquals(List.of(1, 5), column("v",
                db.rows("SELECT v FROM ks.two WHERE k = 0 AND (a, b) IN ((0, 1), (1, 2))")));
        assertEquals(List.of(6, 7, 8), column("v", db.rows("SELECT v FROM ks.two WHERE k = 0 AND a = 2")));
        assertEquals(List.of(8, 7, 6, 5, 4, 3, 2, 1, 0),
                column("v", db.rows("SELECT v FROM ks.two WHERE k = 0 ORDER BY a DESC, b DESC")));
    }

    @Test
    void partitionInKeepsTheOrderOfTheValues() {
        assertEquals(List.of(20, 21, 0, 1), column("v",
                db.rows("SELECT v FROM ks.t WHERE k IN (2, 0, 2) PER PARTITION LIMIT 2")));
        assertEquals(List.of(24, 23), column("v",
                db.rows("SELECT v FROM ks.t WHERE k = 2 ORDER BY c DESC PER PARTITION LIMIT 2")));
        assertEquals(List.of(10, 11), column("v", db.rows("SELECT v FROM ks.t WHERE k IN (1, 99) LIMIT 2")));
    }

    @Test
    void tokenFunctionMatchesMurmur3() {
        db.exec("INSERT INTO ks.comp (k1, k2, c, v) VALUES ('abc', 7, 1, 1)");
        long expected = Murmur3Partitioner.token(PartitionKeys.serialize(List.of(TextType.INSTANCE, IntType.INSTANCE),
                List.of("abc", 7)));
        assertEquals(expected, db.rows("SELECT token(k1, k2) FROM ks.comp WHERE k1 = 'abc' AND k2 = 7").get(0)
                .get("system.token(k1, k2)"));
        db.table("CREATE TABLE ks.txt (k text PRIMARY KEY, v int)");
        db.exec("INSERT INTO ks.txt (k, v) VALUES ('sensor-42', 1)");
        assertEquals(Murmur3Partitioner.token(TextType.INSTANCE.serialize("sensor-42")),
                db.rows("SELECT token(k) FROM ks.txt").get(0).get("system.token(k)"));
        // A known Cassandra value: token of int key 1 is -4069959284402364209.
        assertEquals(-4069959284402364209L, db.rows("SELECT token(k) FROM ks.t WHERE k = 1 LIMIT 1").get(0)
                .get("system.token(k)"));
    }

    @Test
    void fullScanIsInTokenOrderAndTokenRangesSplitIt() {
        List<Map<String, Object>> all = db.rows("SELECT token(k), k, c FROM ks.t");
        assertEquals(15, all.size());
        List<Long> tokens = all.stream().map(r -> (Long) r.get("system.token(k)")).toList();
        List<Long> sorted = new ArrayList<>(tokens);
        sorted.sort(Comparator.naturalOrder());
        assertEquals(sorted, tokens);
        long mid = tokens.get(7);
        List<Map<String, Object>> low = db.rows("SELECT token(k), k, c FROM ks.t WHERE token(k) <= ?", mid);
        List<Map<String, Object>> high = db.rows("SELECT token(k), k, c FROM ks.t WHERE token(k) > ?", mid);
        List<Map<String, Object>> joined = new ArrayList<>(low);
        joined.addAll(high);
        assertEquals(all, joined);
        assertTrue(db.rows("SELECT * FROM ks.t WHERE token(k) > 5 AND token(k) < 5").isEmpty());
    }

    @Test
    void countAndLimits() {
        assertEquals(List.of(row("count", 15L)), db.rows("SELECT count(*) FROM ks.t"));
        assertEquals(List.of(row("count", 5L)), db.rows("SELECT count(*) FROM ks.t WHERE k = 1"));
        assertEquals(List.of(row("n", 3L)), db.rows("SELECT count(1) AS n FROM ks.t WHERE k = 1 AND c >= 2"));
        assertEquals(List.of(row("count", 15L)), db.rows("SELECT count(*) FROM ks.t LIMIT 2"), "LIMIT does not cap count");
        assertEquals(List.of(row("count", 0L)), db.rows("SELECT count(*) FROM ks.t WHERE k = 99"));
        assertEquals(4, db.rows("SELECT * FROM ks.t LIMIT 4").size());
        assertEquals(6, db.rows("SELECT * FROM ks.t PER PARTITION LIMIT 2").size());
        assertEquals(5, db.rows("SELECT * FROM ks.t PER PARTITION LIMIT 2 LIMIT 5").size());
        assertEquals("LIMIT must be strictly positive", db.invalid("SELECT * FROM ks.t LIMIT 0"));
    }

    @Test
    void distinct() {
        db.exec("UPDATE ks.t SET s = 'static' WHERE k = 1");
        db.exec("INSERT INTO ks.t (k, s) VALUES (7, 'only')");
        List<Map<String, Object>> rows = db.rows("SELECT DISTINCT k, s FROM ks.t");
        assertEquals(4, rows.size());
        assertTrue(rows.contains(row("k", 1, "s", "static")));
        assertTrue(rows.contains(row("k", 7, "s", "only")));
        assertEquals(List.of(row("count", 4L)), db.rows("SELECT DISTINCT count(*) FROM ks.t"));
        assertEquals("SELECT DISTINCT queries must only request partition key columns and/or static columns (not c)",
                db.invalid("SELECT DISTINCT k, c FROM ks.t"));
    }

    @Test
    void staticOnlyPartitionsAndStaticsOnRows() {
        db.exec("INSERT INTO ks.t (k, s) VALUES (9, 'x')");
        assertEquals(List.of(row("k", 9, "c", null, "s", "x", "v", null)), db.rows("SELECT * FROM ks.t WHERE k = 9"));
        assertTrue(db.rows("SELECT * FROM ks.t WHERE k = 9 AND c > 0").isEmpty(),
                "a clustering restriction hides a static-only partition");
        db.exec("UPDATE ks.t SET s = 'y' WHERE k = 0");
        assertEquals(List.of("y", "y"), column("s", db.rows("SELECT s FROM ks.t WHERE k = 0 LIMIT 2")));
    }

    @Test
    void filtering() {
        assertEquals(Restrictions.REQUIRES_ALLOW_FILTERING, db.invalid("SELECT * FROM ks.t WHERE v = 12"));
        assertEquals(List.of(row("k", 1, "c", 2)), db.rows("SELECT k, c FROM ks.t WHERE v = 12 ALLOW FILTERING"));
        assertEquals(List.of(13, 14), column("v", db.rows("SELECT v FROM ks.t WHERE k = 1 AND v > 12 ALLOW FILTERING")));
        assertEquals("PRIMARY KEY column \"b\" cannot be restricted as preceding column \"a\" is not restricted",
                db.invalid("SELECT * FROM ks.two WHERE k = 0 AND b = 1"));
        assertEquals(List.of(1, 4, 7), column("v", db.rows("SELECT v FROM ks.two WHERE k = 0 AND b = 1 ALLOW FILTERING")));
        assertEquals("Clustering column \"b\" cannot be restricted (preceding column \"a\" is restricted by a non-EQ "
                + "relation)", db.invalid("SELECT * FROM ks.two WHERE k = 0 AND a > 0 AND b = 1"));
        assertEquals(Restrictions.REQUIRES_ALLOW_FILTERING, db.invalid("SELECT * FROM ks.t WHERE c = 1"));
        assertEquals(3, db.rows("SELECT * FROM ks.t WHERE c = 1 ALLOW FILTERING").size());
        assertEquals("Only EQ and IN relation are supported on the partition key (unless you use the token() function "
                + "or allow filtering)", db.invalid("SELECT * FROM ks.t WHERE k > 1"));
        assertEquals(5, db.rows("SELECT * FROM ks.t WHERE k > 1 ALLOW FILTERING").size());
        assertEquals(Restrictions.REQUIRES_ALLOW_FILTERING, db.invalid("SELECT * FROM ks.comp WHERE k1 = 'a'"));
    }

    @Test
    void orderByRules() {
        assertEquals("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.",
                db.invalid("SELECT * FROM ks.t ORDER BY c DESC"));
        assertEquals("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got v",
                db.invalid("SELECT * FROM ks.t WHERE k = 1 ORDER BY v DESC"));
        assertEquals("Order by currently only supports the ordering of columns following their declared order in "
                + "the PRIMARY KEY", db.invalid("SELECT * FROM ks.two WHERE k = 0 ORDER BY b DESC"));
        assertEquals("Unsupported order by relation", db.invalid("SELECT * FROM ks.two WHERE k = 0 ORDER BY a ASC, b DESC"));
        // IN + ORDER BY sorts across partitions when it fits in a page.
        assertEquals(List.of(14, 24, 13, 23), column("v",
                db.rows("SELECT v FROM ks.t WHERE k IN (1, 2) AND c > 2 ORDER BY c DESC")));
    }

    @Test
    void invalidQueries() {
        assertEquals("unconfigured table nope", db.invalid("SELECT * FROM ks.nope"));
        assertEquals("Keyspace 'nope' does not exist", db.invalid("SELECT * FROM nope.t"));
        assertEquals("Undefined column name zz", db.invalid("SELECT zz FROM ks.t"));
        assertEquals("Undefined column name zz", db.invalid("SELECT * FROM ks.t WHERE zz = 1 ALLOW FILTERING"));
        assertEquals("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename",
                db.invalid("SELECT * FROM t"));
        assertEquals("Invalid STRING constant (x) for \"k\" of type int", db.invalid("SELECT * FROM ks.t WHERE k = 'x'"));
        assertEquals("There were 1 markers(?) in CQL but 0 bound variables", db.invalid("SELECT * FROM ks.t WHERE k = ?"));
        io.sibyl.app.errors.InvalidRequestException bad = org.junit.jupiter.api.Assertions.assertThrows(
                io.sibyl.app.errors.InvalidRequestException.class, () -> db.run(new io.sibyl.app.cql.QueryRequest(
                        "SELECT * FROM ks.t", null, null, io.sibyl.actors.consistency.ConsistencyLevel.ONE, null, 0,
                        "AAAA", null)));
        assertEquals("Invalid value for the paging state", bad.getMessage());
    }

    @Test
    void manyTombstonesWarn() {
        StringBuilder batch = new StringBuilder("BEGIN UNLOGGED BATCH ");
        for (int c = 0; c < 1100; c++) {
            batch.append("DELETE FROM ks.t WHERE k = 5 AND c = ").append(c).append("; ");
        }
        db.exec(batch.append("APPLY BATCH").toString());
        db.exec("INSERT INTO ks.t (k, c, v) VALUES (5, 2000, 1)");
        QueryResult r = db.exec("SELECT * FROM ks.t WHERE k = 5");
        assertEquals(1, r.rows().size());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("1100 tombstone cells"), r.warnings().get(0));
        assertTrue(db.exec("SELECT * FROM ks.t WHERE k = 1").warnings().isEmpty());
    }

    @Test
    void requestKeyspaceQualifiesNames() {
        QueryResult r = db.run(new io.sibyl.app.cql.QueryRequest("SELECT * FROM t WHERE k = 1", null, "ks",
                io.sibyl.actors.consistency.ConsistencyLevel.ONE, null, 0, null, null));
        assertEquals(5, r.rows().size());
        assertNull(r.pagingState());
        assertNotNull(r.columns());
    }
}
