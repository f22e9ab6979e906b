package io.sibyl.app.cql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.http.ErrorMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every statement here is refused with Cassandra's words, and leaves nothing behind. */
class InvalidStatementsTest {

    @TempDir
    Path dir;
    TestDb db;

    @BeforeEach
    void setUp() {
        db = new TestDb(dir, 100, 5000);
        db.keyspace("ks");
        db.keyspace("rf3", 3);
        db.table("CREATE TABLE ks.t (k int, c int, d int, v text, s int STATIC, l list<int>, m map<text, int>, "
                + "PRIMARY KEY ((k), c, d))");
        db.table("CREATE TABLE ks.kk (a int, b text, v int, PRIMARY KEY ((a, b)))");
        db.table("CREATE TABLE rf3.t (k int PRIMARY KEY, v int)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INSERT INTO ks.t (k, c, d) VALUES (1, 2)|Unmatched column names/values",
            "INSERT INTO ks.t (k, c, d, c) VALUES (1, 2, 3, 4)|Multiple definitions found for column c",
            "INSERT INTO ks.t (c, d, v) VALUES (1, 2, 'x')|Some partition key parts are missing: k",
            "INSERT INTO ks.t (k, c, v) VALUES (1, 2, 'x')|Some clustering keys are missing: d",
            "INSERT INTO ks.kk (a, v) VALUES (1, 2)|Some partition key parts are missing: b",
            "INSERT INTO ks.t (k, c, d, zz) VALUES (1, 2, 3, 4)|Undefined column name zz",
            "INSERT INTO ks.t (k, c, d, v) VALUES (1, 2, 3, 4)|Invalid INTEGER constant (4) for \"v\" of type text",
            "INSERT INTO ks.t (k, c, d) VALUES ('1', 2, 3)|Invalid STRING constant (1) for \"k\" of type int",
            "INSERT INTO ks.t (k, c, d) VALUES (1.5, 2, 3)|Invalid FLOAT constant (1.5) for \"k\" of type int",
            "INSERT INTO ks.t (k, c, d) VALUES (true, 2, 3)|Invalid BOOLEAN constant (true) for \"k\" of type int",
            "INSERT INTO ks.t (k, c, d) VALUES (null, 2, 3)|Invalid null value in condition for column k",
            "INSERT INTO ks.t (k, c, d) VALUES (1, null, 3)|Invalid null value in condition for column c",
            "INSERT INTO ks.t (k, c, d, l) VALUES (1, 2, 3, {1})|Invalid set literal for l of type list<int>",
            "INSERT INTO ks.t (k, c, d, l) VALUES (1, 2, 3, [1, null])|null is not supported inside collections",
            "INSERT INTO ks.t (k, c, d) VALUES (1, 2, 3) USING TTL -1|A TTL must be greater or equal to 0, but was -1",
            "INSERT INTO ks.t (k, c, d) VALUES (1, 2, 3) USING TTL 630720001|ttl is too large. requested (630720001) maximum (630720000)",
            "INSERT INTO ks.t (k, c, d) VALUES (99999999999, 2, 3)|Invalid INTEGER constant (99999999999) for \"k\" of type int: out of range for int [-2147483648, 2147483647]",
            "UPDATE ks.t SET v = 'x' WHERE k = 1 AND c = 2|Some clustering keys are missing: d",
            "UPDATE ks.t SET v = 'x' WHERE c = 2 AND d = 3|Some partition key parts are missing: k",
            "UPDATE ks.kk SET v = 1 WHERE a = 1|Some partition key parts are missing: b",
            "UPDATE ks.t SET c = 1 WHERE k = 1 AND c = 2 AND d = 3|PRIMARY KEY part c found in SET part",
            "UPDATE ks.t SET v = 'x' WHERE k = 1 AND c = 2 AND d = 3 AND v = 'y'|Non PRIMARY KEY columns found in where clause: v",
            "UPDATE ks.t SET v = 'x' WHERE k = 1 AND c > 2 AND d = 3|Clustering column \"d\" cannot be restricted (preceding column \"c\" is restricted by a non-EQ relation)",
            "UPDATE ks.t SET v = 'x' WHERE k > 1 AND c = 2 AND d = 3|Only EQ and IN relation are supported on the partition key (unless you use the token() function)",
            "UPDATE ks.t SET v = 'x' WHERE token(k) > 1 AND c = 2 AND d = 3|The token function cannot be used in WHERE clauses for UPDATE statements",
            "UPDATE ks.t SET v = v + 'x' WHERE k = 1 AND c = 2 AND d = 3|Invalid operation (v = v + 'x') for non counter column v",
            "UPDATE ks.t SET l[0] = 1 WHERE k = 1 AND c = 2 AND d = 3|List index 0 out of bound, list has size 0",
            "DELETE l[2] FROM ks.t WHERE k = 1 AND c = 2 AND d = 3|List index 2 out of bound, list has size 0",
            "UPDATE ks.t SET v[0] = 'a' WHERE k = 1 AND c = 2 AND d = 3|Invalid operation (v[0] = 'a') for non list/map column v",
            "UPDATE ks.t SET m = ['a'] + m WHERE k = 1 AND c = 2 AND d = 3|Invalid operation (m = ['a'] + m) for non list column m",
            "DELETE v FROM ks.t WHERE k = 1 AND c = 2|Range deletions are not supported for specific columns",
            "DELETE c FROM ks.t WHERE k = 1 AND c = 2 AND d = 3|Invalid identifier c for deletion (should not be a PRIMARY KEY part)",
            "DELETE FROM ks.t WHERE k = 1 AND d = 3|PRIMARY KEY column \"d\" cannot be restricted as preceding column \"c\" is not restricted",
            "DELETE FROM ks.t WHERE k = 1 AND c = 2 IF EXISTS|DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF conditions",
            "UPDATE ks.t SET v = 'x' WHERE k = 1 AND c = 2 AND d = 3 IF c = 1|PRIMARY KEY column 'c' cannot have IF conditions",
            "UPDATE ks.t SET v = 'x' WHERE k = 1 AND c = 2 AND d = 3 IF v > null|Invalid comparison with null for operator \">\"",
            "INSERT INTO ks.t (k, c, d) VALUES (1, 2, 3) IF NOT EXISTS USING TIMESTAMP 5|Cannot provide custom timestamp for conditional updates",
            "SELECT * FROM ks.t WHERE k = 1 AND c = 1 AND c = 2|c cannot be restricted by more than one relation if it includes an Equal",
            "SELECT * FROM ks.t WHERE k = 1 AND c > 1 AND c > 2|More than one restriction was found for the start bound on c",
            "SELECT * FROM ks.t WHERE token(c) > 1|The token function arguments must be in the partition key order: k",
            "SELECT * FROM ks.t WHERE k = 1 AND token(k) > 1|Columns \"k\" cannot be restricted by both a normal relation and a token relation",
            "SELECT writetime(l) FROM ks.t|Cannot use selection function writeTime on non-frozen collection l",
            "SELECT ttl(k) FROM ks.t|Cannot use selection function ttl on PRIMARY KEY part k",
            "SELECT * FROM ks.t WHERE k = 1 GROUP BY c|GROUP BY is not supported",
            "INSERT INTO ks.t (k, c, d) VALUES (1, 2, 3) USING CONSISTENCY|x",
    })
    void refused(String cql, String message) {
        if (message.equals("x")) {
            assertEquals("SYNTAX_ERROR", db.error(cql).code());
            return;
        }
        assertEquals(message, db.invalid(cql));
        assertNothingWritten();
    }

    private void assertNothingWritten() {
        assertTrue(db.rows("SELECT * FROM ks.t").isEmpty());
        assertTrue(db.rows("SELECT * FROM ks.kk").isEmpty());
    }

    @Test
    void bindValueProblems() {
        assertEquals("There were 3 markers(?) in CQL but 2 bound variables",
                db.invalid("INSERT INTO ks.t (k, c, d) VALUES (?, ?, ?)", 1, 2));
        assertEquals("Invalid STRING constant (abc) for \"k\" of type int",
                db.invalid("INSERT INTO ks.t (k, c, d) VALUES (?, ?, ?)", "abc", 2, 3));
    }

    @Test
    void namedMarkerMissing() {
        try {
            db.run(TestDb.request("INSERT INTO ks.t (k, c, d) VALUES (:k, :c, :d)", Map.of("k", 1, "c", 2)));
            throw new AssertionError("expected INVALID");
        } catch (RuntimeException e) {
            ErrorMapper.ApiError err = ErrorMapper.toError(e, "t");
            assertEquals("INVALID", err.code());
            assertEquals("No value bound for marker :d", err.message());
        }
        assertNothingWritten();
    }

    @Test
    void valuesOverTheLimitAre413() {
        ErrorMapper.ApiError e = db.error("INSERT INTO ks.t (k, c, d, v) VALUES (1, 2, 3, ?)", "x".repeat(101));
        assertEquals("PAYLOAD_TOO_LARGE", e.code());
        assertEquals(413, e.status());
        assertEquals(100L, e.details().get("limit"));
        ErrorMapper.ApiError element = db.error("INSERT INTO ks.t (k, c, d, m) VALUES (1, 2, 3, ?)",
                Map.of("k", 1, "x".repeat(200), 2));
        assertEquals("PAYLOAD_TOO_LARGE", element.code());
        assertNothingWritten();
    }

    @Test
    void consistencyErrors() {
        // ONE on an RF=3 keyspace of a single node is fine; QUORUM is not.
        db.exec("INSERT INTO rf3.t (k, v) VALUES (1, 1)");
        ErrorMapper.ApiError quorum = ErrorMapper.toError(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> db.run(new io.sibyl.app.cql.QueryRequest("INSERT INTO rf3.t (k, v) VALUES (1, 1)", null, null,
                        io.sibyl.actors.consistency.ConsistencyLevel.QUORUM, null, 0, null, null))), "t");
        assertEquals("UNAVAILABLE", quorum.code());
        assertEquals(503, quorum.status());
        assertEquals("QUORUM", quorum.details().get("consistency"));
        assertEquals(2, quorum.details().get("required"));
        assertEquals(1, quorum.details().get("alive"));
        assertEquals(List.of(Map.of("k", 1, "v", 1)), db.rows("SELECT * FROM rf3.t"), "the QUORUM write wrote nothing");
        ErrorMapper.ApiError serial = ErrorMapper.toError(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> db.run(new io.sibyl.app.cql.QueryRequest("INSERT INTO ks.t (k, c, d) VALUES (1, 1, 1)", null, null,
                        io.sibyl.actors.consistency.ConsistencyLevel.SERIAL, null, 0, null, null))), "t");
        assertEquals("INVALID", serial.code());
        assertEquals(List.of(), db.rows("SELECT * FROM ks.t"));
    }
}
