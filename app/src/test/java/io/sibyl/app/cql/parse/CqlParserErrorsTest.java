package io.sibyl.app.cql.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid statements: each must fail with a syntax error at the offending token. */
class CqlParserErrorsTest {

    private static CqlSyntaxException fail(String cql) {
        return assertThrows(CqlSyntaxException.class, () -> CqlParser.parse(cql));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT * FRO t                                   | 1 | 10 | mismatched input 'FRO' expecting FROM",
        "SELECT * FROM                                    | 1 | 14 | no viable alternative at input '<EOF>'",
        "SELECT FROM t                                    | 1 | 8  | no viable alternative at input 'FROM'",
        "SELECT * FROM t WHERE                            | 1 | 22 | no viable alternative at input '<EOF>'",
        "SELECT * FROM t WHERE a = 1 AND                  | 1 | 32 | no viable alternative at input '<EOF>'",
        "SELECT * FROM t LIMIT 'x'                        | 1 | 23 | no viable alternative at input ''x''",
        "SELECT * FROM t LIMIT 5 foo                      | 1 | 25 | mismatched input 'foo' expecting EOF",
        "SELECT * FROM t; SELECT * FROM u                 | 1 | 18 | mismatched input 'SELECT' expecting EOF",
        "SELEC * FROM t                                   | 1 | 1  | no viable alternative at input 'SELEC'",
        "SELECT * FROM select                             | 1 | 15 | no viable alternative at input 'select'",
        "SELECT select FROM t                             | 1 | 8  | no viable alternative at input 'select'",
        "SELECT * FROM t WHERE a IN [1, 2]                | 1 | 28 | mismatched input '[' expecting '('",
        "SELECT * FROM t WHERE a LIKE 'x'                 | 1 | 25 | no viable alternative at input 'LIKE'",
        "SELECT count(*) AS FROM t                        | 1 | 20 | no viable alternative at input 'FROM'",
        "SELECT * FROM t WHERE a = {1: 2, 3}              | 1 | 35 | mismatched input '}' expecting ':'",
        "SELECT * FROM t ALLOW                            | 1 | 22 | mismatched input '<EOF>' expecting FILTERING",
        "SELECT * FROM ks.                                | 1 | 18 | no viable alternative at input '<EOF>'",
        "SELECT a.b FROM t                                | 1 | 9  | mismatched input '.' expecting FROM",
        "CREATE TABLE t (a int, PRIMARY KEY (a), PRIMARY KEY (a)) | 1 | 41 | multiple PRIMARY KEYs specified (exactly one required)",
        "CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY)    | 1 | 42 | multiple PRIMARY KEYs specified (exactly one required)",
        "CREATE TABLE t (a map<int>, PRIMARY KEY (a))     | 1 | 26 | mismatched input '>' expecting ','",
        "CREATE TABLE t (a int PRIMARY KEY) WITH x = 1 AND x = 2 | 1 | 51 | multiple definition for property 'x'",
        "CREATE TABLE t (a int PRIMARY KEY) WITH x = foo  | 1 | 45 | no viable alternative at input 'foo'",
        "CREATE INDEX i ON t (a)                          | 1 | 8  | mismatched input 'INDEX' expecting KEYSPACE or TABLE",
        "CREATE KEYSPACE ks                               | 1 | 19 | mismatched input '<EOF>' expecting WITH",
        "CREATE KEYSPACE IF EXISTS ks WITH a = 1          | 1 | 20 | mismatched input 'EXISTS' expecting NOT",
        "DROP t                                           | 1 | 6  | mismatched input 't' expecting KEYSPACE or TABLE",
        "USE                                              | 1 | 4  | no viable alternative at input '<EOF>'",
        "INSERT INTO t (a) VALUES (1) USING TTL 'x'       | 1 | 40 | no viable alternative at input ''x''",
        "INSERT INTO t (a) VALUES (1) USING TTL 1 AND TTL 2 | 1 | 46 | multiple definition for TTL",
        "INSERT INTO t VALUES (1)                         | 1 | 15 | mismatched input 'VALUES' expecting '('",
        "INSERT INTO t (a) VALUES ()                      | 1 | 27 | no viable alternative at input ')'",
        "INSERT INTO t (a) VALUES (-'x')                  | 1 | 28 | no viable alternative at input ''x''",
        "INSERT INTO t (a) VALUES (0x123)                 | 1 | 27 | invalid hex literal '0x123' (odd number of digits)",
        "INSERT INTO t (a) VALUES (1                      | 1 | 28 | mismatched input '<EOF>' expecting ')'",
        "INSERT INTO t (a) VALUES (true false)            | 1 | 32 | mismatched input 'false' expecting ')'",
        "UPDATE t SET a = b + 1 WHERE k = 1               | 1 | 18 | only expressions of the form X = X + <value> are supported (a)",
        "UPDATE t SET a = [1] + b WHERE k = 1             | 1 | 24 | only expressions of the form X = <value> + X are supported (a)",
        "UPDATE t SET a = a WHERE k = 1                   | 1 | 20 | mismatched input 'WHERE' expecting '+' or '-'",
        "UPDATE t SET a = 1                               | 1 | 19 | mismatched input '<EOF>' expecting WHERE",
        "DELETE FROM t USING TTL 5 WHERE k = 1            | 1 | 21 | mismatched input 'TTL' expecting TIMESTAMP",
        "DELETE FROM t                                    | 1 | 14 | mismatched input '<EOF>' expecting WHERE",
        "BEGIN BATCH SELECT * FROM t APPLY BATCH          | 1 | 13 | mismatched input 'SELECT' expecting INSERT, UPDATE, DELETE or APPLY BATCH",
        "BEGIN BATCH INSERT INTO t (a) VALUES (1)         | 1 | 41 | mismatched input '<EOF>' expecting INSERT, UPDATE, DELETE or APPLY BATCH",
        "BEGIN BATCH USING TTL 1 APPLY BATCH              | 1 | 19 | mismatched input 'TTL' expecting TIMESTAMP",
        "SELECT 'open FROM t                              | 1 | 8  | unterminated string literal",
        "SELECT * FROM t /* open                          | 1 | 17 | unterminated comment",
        "SELECT * FROM t LIMIT 10x                        | 1 | 23 | invalid number '10x'",
        "``                                               | 1 | 1  | no viable alternative at input '<EOF>'",
    })
    void syntaxErrors(String cql, int line, int column, String message) {
        CqlSyntaxException e = fail(cql);
        assertEquals("line " + line + ":" + column + " " + message, e.getMessage());
        assertEquals(line, e.line());
        assertEquals(column, e.column());
    }

    @Test
    void positionsCountLinesAndColumns() {
        CqlSyntaxException e = fail("SELECT *\nFROM t\nWHERE a = 1\n  AND b = @");
        assertEquals(4, e.line());
        assertEquals(11, e.column());
        e = fail("INSERT INTO t (a)\n   VALUES (1)\n   USING TTL 1\n   AND\n   WHERE");
        assertEquals(5, e.line());
        assertEquals(4, e.column());
        assertEquals("line 5:4 mismatched input 'WHERE' expecting TTL or TIMESTAMP", e.getMessage());
    }

    @Test
    void endOfInputIsPlacedAfterTheLastToken() {
        CqlSyntaxException e = fail("SELECT *\n  FROM t WHERE\n");
        assertEquals(3, e.line());
        assertEquals(1, e.column());
    }

    /** Found by NodeFuzzTest: deep nesting overflowed the stack (a 500; on the native protocol a dead JVM). */
    @ParameterizedTest(name = "[{index}] {0}{1}...")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM t WHERE k =  | (      | 1 | )",
        "INSERT INTO t (k) VALUES ( | [      | 1 | ]",
        "INSERT INTO t (k) VALUES ( | {      | 1 | }",
        "INSERT INTO t (k) VALUES ( | (1,    | 1 | )",
        "SELECT                     | f(     | k | )",
        "CREATE TABLE t (k int PRIMARY KEY, v | list< | int | >"})
    void nestingPastTheLimitIsASyntaxErrorNotAStackOverflow(String prefix, String open, String inner, String close) {
        for (int depth : new int[] {TokenCursor.MAX_NESTING + 1, 50_000}) {
            String cql = prefix + " " + open.repeat(depth) + inner + close.repeat(depth) + " ...";
            CqlSyntaxException e = fail(cql);
            assertEquals(true, e.getMessage().contains("nesting deeper than " + TokenCursor.MAX_NESTING), e.getMessage());
        }
        int ok = TokenCursor.MAX_NESTING - 1;
        CqlParser.parse("SELECT * FROM t WHERE k = " + "(".repeat(ok) + "1" + ")".repeat(ok));
    }
}
