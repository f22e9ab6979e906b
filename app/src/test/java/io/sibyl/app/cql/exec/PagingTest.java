package io.sibyl.app.cql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paging: the concatenation of pages equals the unpaged result, for every kind of read. */
class PagingTest {

    @TempDir
    Path dir;
    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dir);
        db.keyspace("ks");
        db.table("CREATE TABLE ks.t (k int, c int, v int, s int STATIC, PRIMARY KEY (k, c))");
        db.table("CREATE TABLE ks.d (k int, c int, v int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)");
        for (int k = 0; k < 12; k++) {
            for (int c = 0; c < 25; c++) {
                if ((k + c) % 7 == 3) {
                    continue; // holes
                }
                db.exec("INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)", k, c, k * 100 + c);
                db.exec("INSERT INTO ks.d (k, c, v) VALUES (?, ?, ?)", k, c, k * 100 + c);
            }
        }
        db.table("CREATE TABLE ks.s (k int PRIMARY KEY, v int)");
        for (int k = 0; k < 12; k++) {
            db.exec("INSERT INTO ks.s (k, v) VALUES (?, ?)", k, k);
        }
        db.exec("DELETE FROM ks.t WHERE k = 3 AND c > 5 AND c < 15");
        db.exec("INSERT INTO ks.t (k, s) VALUES (50, 1)"); // a static-only partition
        db.exec("UPDATE ks.t SET s = 2 WHERE k = 4");
    }

    private void assertPagesEqualUnpaged(String cql, int pageSize, Object... values) {
        List<Object> v = List.of(values);
        List<Map<String, Object>> unpaged = db.run(new QueryRequest(cql, values.length == 0 ? null : v, null,
                ConsistencyLevel.ONE, null, 1_000_000, null, null)).rows();
        List<Map<String, Object>> paged = db.allPages(cql, pageSize, values.length == 0 ? null : v);
        assertEquals(unpaged, paged, cql + " with page size " + pageSize);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 10, 50, 400})
    void everyKindOfRead(int pageSize) {
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE k = 1", pageSize);
        // partitions without clustering: a chunk may end exactly on the last row of a partition
        assertPagesEqualUnpaged("SELECT * FROM ks.s", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.s WHERE k IN (1, 2, 3, 4)", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE k = 3", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE k = 1 ORDER BY c DESC", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.d WHERE k = 1", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.d WHERE k = 1 ORDER BY c ASC", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE k = 2 AND c > 4 AND c <= 20", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.d WHERE k = 2 AND c > 4 AND c <= 20 ORDER BY c ASC", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE k IN (5, 1, 50, 3, 99)", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE k IN (5, 1, 3) AND c IN (1, 2, 9, 20)", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.d", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t LIMIT 33", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t PER PARTITION LIMIT 4", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t PER PARTITION LIMIT 4 LIMIT 17", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE k IN (1, 2) PER PARTITION LIMIT 3", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE v > 500 ALLOW FILTERING", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE c = 4 ALLOW FILTERING", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE c = 4 PER PARTITION LIMIT 1 ALLOW FILTERING", pageSize);
        assertPagesEqualUnpaged("SELECT DISTINCT k, s FROM ks.t", pageSize);
        assertPagesEqualUnpaged("SELECT * FROM ks.t WHERE token(k) > ? AND token(k) <= ?", pageSize,
                -4_000_000_000_000_000_000L, 5_000_000_000_000_000_000L);
    }

    @Test
    void fullScanHasAllRowsAndTheLastPageHasNoState() {
        List<Map<String, Object>> all = db.allPages("SELECT k, c FROM ks.t", 10, null);
        int expected = 1; // the static-only partition 50
        for (int k = 0; k < 12; k++) {
            for (int c = 0; c < 25; c++) {
                boolean hole = (k + c) % 7 == 3 || (k == 3 && c > 5 && c < 15);
                expected += hole ? 0 : 1;
            }
        }
        assertEquals(expected, all.size());
        assertEquals((long) expected, db.rows("SELECT count(*) FROM ks.t").get(0).get("count"));
    }

    @Test
    void exactMultipleOfPageSizeEndsWithoutAnEmptyPage() {
        db.table("CREATE TABLE ks.e (k int, c int, PRIMARY KEY (k, c))");
        for (int c = 0; c < 20; c++) {
            db.exec("INSERT INTO ks.e (k, c) VALUES (1, ?)", c);
        }
        QueryResult first = db.run(new QueryRequest("SELECT * FROM ks.e WHERE k = 1", null, null, ConsistencyLevel.ONE,
                null, 10, null, null));
        assertNotNull(first.pagingState());
        QueryResult second = db.run(new QueryRequest("SELECT * FROM ks.e WHERE k = 1", null, null, ConsistencyLevel.ONE,
                null, 10, first.pagingState(), null));
        assertEquals(10, second.rows().size());
        assertNull(second.pagingState());
        QueryResult limited = db.run(new QueryRequest("SELECT * FROM ks.e WHERE k = 1 LIMIT 10", null, null,
                ConsistencyLevel.ONE, null, 10, null, null));
        assertNull(limited.pagingState(), "LIMIT reached exactly at the page end");
    }

    @Test
    void aScanWhoseChunkEndsExactlyOnTheLastRowTerminates() {
        // 5,000 rows without clustering: the unpaged read's first chunk (5,000) ends on the last row with the
        // coordinator answering "limit reached"; the pager must move past that partition, not ask again forever.
        db.table("CREATE TABLE ks.big (k int PRIMARY KEY, v int)");
        for (int k = 0; k < 5_000; k++) {
            db.exec("INSERT INTO ks.big (k, v) VALUES (?, ?)", k, k);
        }
        var count = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                db.exec("SELECT count(*) FROM ks.big").rows().get(0).get("count"));
        assertEquals(5_000L, ((Number) org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> count.get())).longValue());
    }

    @Test
    void forgedOrStaleStatesAreInvalid() {
        for (PagingState forged : List.of(
                new PagingState(0, new byte[] {1, 2}, true, null, 5, 5),                // key of the wrong size
                new PagingState(0, new byte[] {0, 0, 0, 1}, true, new byte[][] {{1}}, 5, 5), // clustering bytes
                new PagingState(0, new byte[] {0, 0, 0, 1}, true, new byte[][] {{0, 0, 0, 1}, {1}}, 5, 5),
                new PagingState(-7, null, false, null, 5, 5),
                new PagingState(3, null, false, null, 5, 5))) {
            io.sibyl.app.errors.InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.sibyl.app.errors.InvalidRequestException.class,
                    () -> db.run(new QueryRequest("SELECT * FROM ks.t WHERE k IN (1, 2)", null, null,
                            ConsistencyLevel.ONE, null, 5, forged.encode(), null)), forged.toString());
            assertEquals("Invalid value for the paging state", e.getMessage());
        }
    }

    @Test
    void inWithOrderByMustFitOnePage() {
        assertEquals(6, db.run(new QueryRequest("SELECT * FROM ks.t WHERE k IN (1, 2) ORDER BY c DESC LIMIT 6", null,
                null, ConsistencyLevel.ONE, null, 10, null, null)).rows().size());
        assertEquals("Cannot page queries with both ORDER BY and a IN restriction on the partition key; you must "
                + "either remove the ORDER BY or the IN and sort client side, or disable paging for this query",
                org.junit.jupiter.api.Assertions.assertThrows(io.sibyl.app.errors.InvalidRequestException.class,
                        () -> db.run(new QueryRequest("SELECT * FROM ks.t WHERE k IN (1, 2) ORDER BY c DESC", null,
                                null, ConsistencyLevel.ONE, null, 10, null, null))).getMessage());
    }

    @Test
    void defaultPageSizeApplies() {
        TestDb small = new TestDb(dir.resolve("small"), 1 << 20, 4);
        small.keyspace("ks");
        small.table("CREATE TABLE ks.e (k int, c int, PRIMARY KEY (k, c))");
        for (int c = 0; c < 9; c++) {
            small.exec("INSERT INTO ks.e (k, c) VALUES (1, ?)", c);
        }
        QueryResult r = small.exec("SELECT * FROM ks.e WHERE k = 1");
        assertEquals(4, r.rows().size());
        assertNotNull(r.pagingState());
        QueryResult next = small.run(new QueryRequest("SELECT * FROM ks.e WHERE k = 1", null, null,
                ConsistencyLevel.ONE, null, 0, r.pagingState(), null));
        assertEquals(List.of(4, 5, 6, 7), next.rows().stream().map(x -> x.get("c")).toList());
    }
}
