package io.sibyl.app.cql.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.cql.ast.AlterKeyspace;
import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.Assignment;
import io.sibyl.app.cql.ast.Batch;
import io.sibyl.app.cql.ast.BatchType;
import io.sibyl.app.cql.ast.ColumnDefinition;
import io.sibyl.app.cql.ast.Condition;
import io.sibyl.app.cql.ast.CreateKeyspace;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.Delete;
import io.sibyl.app.cql.ast.Deletion;
import io.sibyl.app.cql.ast.DropKeyspace;
import io.sibyl.app.cql.ast.DropTable;
import io.sibyl.app.cql.ast.Insert;
import io.sibyl.app.cql.ast.InsertJson;
import io.sibyl.app.cql.ast.Literal;
import io.sibyl.app.cql.ast.LiteralKind;
import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.Ordering;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Selectable;
import io.sibyl.app.cql.ast.Selector;
import io.sibyl.app.cql.ast.SortOrder;
import io.sibyl.app.cql.ast.Statement;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.ast.Truncate;
import io.sibyl.app.cql.ast.Update;
import io.sibyl.app.cql.ast.Use;
import io.sibyl.app.cql.ast.Using;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CqlParserTest {

    // ---- helpers -------------------------------------------------------------------------------

    private static Literal str(String s) {
        return Literal.string(s);
    }

    private static Literal num(long n) {
        return Literal.integer(n);
    }

    private static Term.BindMarker q(int i) {
        return new Term.BindMarker(i, null);
    }

    private static QualifiedName t(String name) {
        return QualifiedName.of(name);
    }

    private static Relation eq(String c, Term v) {
        return new Relation.SingleColumn(c, Operator.EQ, v);
    }

    private static Term.MapLiteral map(Term... kv) {
        List<Term.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            entries.add(new Term.Entry(kv[i], kv[i + 1]));
        }
        return new Term.MapLiteral(entries);
    }

    private static Map<String, Term> options(Object... kv) {
        Map<String, Term> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Term) kv[i + 1]);
        }
        return m;
    }

    private static Select select(String cql) {
        return assertInstanceOf(Select.class, CqlParser.parse(cql));
    }

    private static Term value(String termCql) {
        Insert insert = assertInstanceOf(Insert.class, CqlParser.parse("INSERT INTO t (c) VALUES (" + termCql + ")"));
        return insert.values().get(0);
    }

    // ---- keyspaces -----------------------------------------------------------------------------

    @Test
    void createKeyspaceSimpleStrategy() {
        Statement s = CqlParser.parse("CREATE KEYSPACE IF NOT EXISTS iot WITH replication = "
                + "{'class': 'SimpleStrategy', 'replication_factor': 3} AND durable_writes = false;");
        assertEquals(new CreateKeyspace("iot", true, options(
                "replication", map(str("class"), str("SimpleStrategy"), str("replication_factor"), num(3)),
                "durable_writes", Literal.bool(false))), s);
    }

    @Test
    void createKeyspaceNetworkTopologyQuotedName() {
        Statement s = CqlParser.parse("create keyspace \"MyKs\" with REPLICATION = "
                + "{'class' : 'NetworkTopologyStrategy', 'dc1' : 3, 'dc2' : 2}");
        assertEquals(new CreateKeyspace("MyKs", false, options("replication", map(str("class"),
                str("NetworkTopologyStrategy"), str("dc1"), num(3), str("dc2"), num(2)))), s);
    }

    @Test
    void alterAndDropKeyspace() {
        assertEquals(new AlterKeyspace("ks", false, options("durable_writes", Literal.bool(true))),
                CqlParser.parse("ALTER KEYSPACE Ks WITH durable_writes = true"));
        assertEquals(new AlterKeyspace("ks", true, options("replication", map())),
                CqlParser.parse("ALTER KEYSPACE IF EXISTS ks WITH replication = {}"));
        assertEquals(new DropKeyspace("ks", true), CqlParser.parse("DROP KEYSPACE IF EXISTS ks"));
        assertEquals(new DropKeyspace("ks", false), CqlParser.parse("drop keyspace KS"));
    }

    @Test
    void useAndTruncate() {
        assertEquals(new Use("iot"), CqlParser.parse("USE iot;"));
        assertEquals(new Use("IoT"), CqlParser.parse("USE \"IoT\""));
        assertEquals(new Truncate(new QualifiedName("ks", "t")), CqlParser.parse("TRUNCATE ks.t"));
        assertEquals(new Truncate(t("t")), CqlParser.parse("truncate table T"));
    }

    // ---- tables --------------------------------------------------------------------------------

    @Test
    void createTableWithCompositeKeyAndOptions() {
        Statement s = CqlParser.parse("""
                CREATE TABLE IF NOT EXISTS iot.readings (
                    device_id text,
                    bucket int,
                    ts timestamp,
                    seq int,
                    "Value" double,
                    tags map<text, frozen<list<int>>>,
                    owner text STATIC,
                    PRIMARY KEY ((device_id, bucket), ts, seq)
                ) WITH CLUSTERING ORDER BY (ts DESC, seq ASC)
                  AND default_time_to_live = 3600
                  AND gc_grace_seconds = 864000
                  AND compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_size': 1}
                  AND comment = 'readings';
                """);
        assertEquals(new CreateTable(new QualifiedName("iot", "readings"), true, List.of(
                new ColumnDefinition("device_id", "text", false),
                new ColumnDefinition("bucket", "int", false),
                new ColumnDefinition("ts", "timestamp", false),
                new ColumnDefinition("seq", "int", false),
                new ColumnDefinition("Value", "double", false),
                new ColumnDefinition("tags", "map<text, frozen<list<int>>>", false),
                new ColumnDefinition("owner", "text", true)),
                List.of("device_id", "bucket"), List.of("ts", "seq"),
                List.of(new Ordering("ts", SortOrder.DESC), new Ordering("seq", SortOrder.ASC)),
                options("default_time_to_live", num(3600), "gc_grace_seconds", num(864000),
                        "compaction", map(str("class"), str("TimeWindowCompactionStrategy"),
                                str("compaction_window_size"), num(1)),
                        "comment", str("readings"))), s);
    }

    @Test
    void createTableInlinePrimaryKeyAndNoOptions() {
        CreateTable s = assertInstanceOf(CreateTable.class,
                CqlParser.parse("CREATE TABLE users (id uuid PRIMARY KEY, name TEXT, emails SET<Text>)"));
        assertEquals(List.of("id"), s.partitionKey());
        assertEquals(List.of(), s.clusteringKey());
        assertEquals(List.of(new ColumnDefinition("id", "uuid", false), new ColumnDefinition("name", "text", false),
                new ColumnDefinition("emails", "set<text>", false)), s.columns());
        assertEquals(Map.of(), s.options());
        assertEquals(List.of(), s.clusteringOrder());
    }

    @Test
    void createTableSinglePartitionKeyWithClustering() {
        CreateTable s = assertInstanceOf(CreateTable.class,
                CqlParser.parse("CREATE TABLE t (a int, b int, c int, PRIMARY KEY (a, b, c))"));
        assertEquals(List.of("a"), s.partitionKey());
        assertEquals(List.of("b", "c"), s.clusteringKey());
    }

    @Test
    void typesAreNormalized() {
        CreateTable s = assertInstanceOf(CreateTable.class, CqlParser.parse("CREATE TABLE t (k int PRIMARY KEY, "
                + "a MAP < TEXT , FROZEN < SET < BIGINT > > >, b tuple<int,text,blob>, c frozen<\"MyType\">, "
                + "d ks.udt, e 'org.example.Custom', f varchar, g list<frozen<map<int,uuid>>>)"));
        assertEquals(List.of("int", "map<text, frozen<set<bigint>>>", "tuple<int, text, blob>", "frozen<\"MyType\">",
                "ks.udt", "'org.example.Custom'", "varchar", "list<frozen<map<int, uuid>>>"),
                s.columns().stream().map(ColumnDefinition::type).toList());
    }

    @Test
    void nonReservedKeywordsAreColumnNames() {
        CreateTable s = assertInstanceOf(CreateTable.class, CqlParser.parse(
                "CREATE TABLE t (key int PRIMARY KEY, ttl int, writetime int, count int, type text, value text, "
                        + "values text, text text, timestamp timestamp, static int, exists int, json text)"));
        assertEquals(List.of("key", "ttl", "writetime", "count", "type", "value", "values", "text", "timestamp",
                "static", "exists", "json"), s.columns().stream().map(ColumnDefinition::name).toList());
    }

    @Test
    void alterTable() {
        assertEquals(new AlterTable(t("t"), new AlterTable.AddColumns(List.of(new ColumnDefinition("c", "list<int>", false)))),
                CqlParser.parse("ALTER TABLE t ADD c list<int>"));
        assertEquals(new AlterTable(new QualifiedName("ks", "t"), new AlterTable.AddColumns(List.of(
                new ColumnDefinition("a", "int", true), new ColumnDefinition("b", "text", false)))),
                CqlParser.parse("ALTER TABLE ks.t ADD (a int STATIC, b text)"));
        assertEquals(new AlterTable(t("t"), new AlterTable.DropColumns(List.of("c"))),
                CqlParser.parse("ALTER TABLE t DROP c"));
        assertEquals(new AlterTable(t("t"), new AlterTable.DropColumns(List.of("a", "B"))),
                CqlParser.parse("ALTER TABLE t DROP (a, \"B\")"));
        assertEquals(new AlterTable(t("t"), new AlterTable.SetOptions(options("gc_grace_seconds", num(10),
                        "compaction", map(str("class"), str("LeveledCompactionStrategy"))))),
                CqlParser.parse("ALTER TABLE t WITH gc_grace_seconds = 10 AND compaction = {'class': 'LeveledCompactionStrategy'}"));
    }

    @Test
    void dropTable() {
        assertEquals(new DropTable(new QualifiedName("ks", "t"), true), CqlParser.parse("DROP TABLE IF EXISTS ks.t"));
        assertEquals(new DropTable(t("t"), false), CqlParser.parse("DROP TABLE t"));
    }

    // ---- INSERT --------------------------------------------------------------------------------

    @Test
    void insertWithEverything() {
        Statement s = CqlParser.parse("INSERT INTO ks.t (a, \"B\", c) VALUES (1, 'x', ?) IF NOT EXISTS "
                + "USING TTL 86400 AND TIMESTAMP 1763683200000000");
        assertEquals(new Insert(new QualifiedName("ks", "t"), List.of("a", "B", "c"), List.of(num(1), str("x"), q(0)),
                true, new Using(num(86400), Literal.integer(new BigInteger("1763683200000000")))), s);
        assertEquals(1, s.bindCount());
    }

    @Test
    void insertUsingTimestampThenTtl() {
        Insert s = assertInstanceOf(Insert.class,
                CqlParser.parse("insert into t (a) values (1) using timestamp ? and ttl ?"));
        assertEquals(new Using(q(1), q(0)), s.using());
        assertEquals(Arrays.asList(null, null), s.bindNames());
    }

    @Test
    void insertJson() {
        assertEquals(new InsertJson(t("t"), str("{\"a\": 1}"), true, Using.NONE),
                CqlParser.parse("INSERT INTO t JSON '{\"a\": 1}' IF NOT EXISTS"));
        assertEquals(new InsertJson(t("t"), q(0), false, Using.ttl(num(5))),
                CqlParser.parse("INSERT INTO t JSON ? USING TTL 5"));
    }

    // ---- terms ---------------------------------------------------------------------------------

    @Test
    void stringLiterals() {
        assertEquals(str("it's"), value("'it''s'"));
        assertEquals(str("a 'quoted' $ text"), value("$$a 'quoted' $ text$$"));
        assertEquals(str(""), value("''"));
        assertEquals(str("multi\nline"), value("'multi\nline'"));
    }

    @Test
    void numbers() {
        assertEquals(num(42), value("42"));
        assertEquals(num(-7), value("-7"));
        assertEquals(Literal.integer(new BigInteger("123456789012345678901234567890")),
                value("123456789012345678901234567890"));
        assertEquals(Literal.decimal(new BigDecimal("1.5")), value("1.5"));
        assertEquals(Literal.decimal(new BigDecimal("-0.25")), value("-0.25"));
        assertEquals(Literal.decimal(new BigDecimal("2e10")), value("2e10"));
        assertEquals(Literal.decimal(new BigDecimal("3.5E-2")), value("3.5E-2"));
        assertEquals(Literal.decimal(new BigDecimal("1E+3")), value("1E+3"));
        assertEquals(Literal.special(Double.NaN), value("NaN"));
        assertEquals(Literal.special(Double.POSITIVE_INFINITY), value("Infinity"));
        assertEquals(Literal.special(Double.NEGATIVE_INFINITY), value("-infinity"));
        assertEquals(LiteralKind.FLOAT, ((Literal) value("NaN")).kind());
    }

    @Test
    void booleansNullUuidsAndBlobs() {
        assertEquals(Literal.bool(true), value("TRUE"));
        assertEquals(Literal.bool(false), value("false"));
        assertSame(LiteralKind.NULL, ((Literal) value("NULL")).kind());
        assertEquals(Literal.uuid(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
                value("123e4567-e89b-12d3-a456-426614174000"));
        Literal blob = (Literal) value("0xCAFEbabe");
        assertEquals(LiteralKind.HEX, blob.kind());
        assertArrayEquals(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe}, (byte[]) blob.value());
        assertEquals(Literal.hex(new byte[0]), value("0x"));
        assertEquals(LiteralKind.STRING, ((Literal) value("'123e4567-e89b-12d3-a456-426614174000'")).kind());
    }

    @Test
    void collectionsAndTuples() {
        assertEquals(new Term.ListLiteral(List.of(num(1), num(2))), value("[1, 2]"));
        assertEquals(new Term.ListLiteral(List.of()), value("[]"));
        assertEquals(new Term.SetLiteral(List.of(str("a"), str("b"))), value("{'a', 'b'}"));
        assertEquals(new Term.SetLiteral(List.of()), value("{}"));
        assertEquals(map(str("a"), num(1), str("b"), new Term.ListLiteral(List.of(num(2)))),
                value("{'a': 1, 'b': [2]}"));
        assertEquals(new Term.TupleLiteral(List.of(num(1), str("x"), Literal.NULL)), value("(1, 'x', null)"));
        assertEquals(new Term.TupleLiteral(List.of(num(1))), value("(1)"));
    }

    @Test
    void functionCallsAndCasts() {
        assertEquals(new Term.FunctionCall("now", List.of()), value("now()"));
        assertEquals(new Term.FunctionCall("totimestamp", List.of(new Term.FunctionCall("now", List.of()))),
                value("toTimestamp(NOW())"));
        assertEquals(new Term.FunctionCall("currenttimestamp", List.of()), value("currentTimestamp()"));
        assertEquals(new Term.FunctionCall("blobAsText", List.of(Literal.hex(new byte[] {0x41}))),
                value("\"blobAsText\"(0x41)"));
        assertEquals(new Term.TypeCast("bigint", num(3)), value("(bigint) 3"));
        assertEquals(new Term.TypeCast("map<text, int>", q(0)), value("(map<text,int>) ?"));
        assertEquals(new Term.MapLiteral(List.of(new Term.Entry(new Term.TupleLiteral(List.of(Literal.string("a"))),
                        new Term.FunctionCall("now", List.of())))),
                value("{('a') : now()}"));
        assertEquals(new Term.TupleLiteral(List.of(new Term.FunctionCall("uuid", List.of()))), value("(uuid())"));
    }

    @Test
    void bindMarkersAreNumberedInTextualOrder() {
        Statement s = CqlParser.parse("UPDATE t USING TTL :ttl SET a = ?, m[:k] = :v WHERE id = ? AND c IN ? IF x = ?");
        assertEquals(Arrays.asList("ttl", null, "k", "v", null, null, null), s.bindNames());
        assertEquals(7, s.bindCount());
        Update u = (Update) s;
        assertEquals(new Term.BindMarker(0, "ttl"), u.using().ttl());
        assertEquals(new Assignment.SetElement("m", new Term.BindMarker(2, "k"), new Term.BindMarker(3, "v")),
                u.assignments().get(1));
        assertEquals(new Condition("x", null, Operator.EQ, q(6)), u.conditions().get(0));
    }

    @Test
    void bindMarkerNamesFollowIdentifierRules() {
        Statement s = CqlParser.parse("SELECT * FROM t WHERE a = :Name AND b = :\"Quoted\" LIMIT :lim");
        assertEquals(Arrays.asList("name", "Quoted", "lim"), s.bindNames());
    }

    // ---- UPDATE --------------------------------------------------------------------------------

    @Test
    void updateAllAssignmentForms() {
        Statement s = CqlParser.parse("UPDATE ks.t USING TTL 10 AND TIMESTAMP 20 SET "
                + "a = 1, b = b + 2, c = c - 3, l = [0] + l, m['k'] = 'v', s = s + {'x'}, n = n-1, \"Q\" = \"Q\" + [1] "
                + "WHERE id = 'x' AND ck > 5 IF EXISTS");
        assertEquals(new Update(new QualifiedName("ks", "t"), new Using(num(10), num(20)), List.of(
                new Assignment.SetValue("a", num(1)),
                new Assignment.Add("b", num(2)),
                new Assignment.Subtract("c", num(3)),
                new Assignment.Prepend("l", new Term.ListLiteral(List.of(num(0)))),
                new Assignment.SetElement("m", str("k"), str("v")),
                new Assignment.Add("s", new Term.SetLiteral(List.of(str("x")))),
                new Assignment.Subtract("n", num(1)),
                new Assignment.Add("Q", new Term.ListLiteral(List.of(num(1))))),
                List.of(eq("id", str("x")), new Relation.SingleColumn("ck", Operator.GT, num(5))),
                true, List.of()), s);
    }

    @Test
    void updateAssignsFunctionsAndConstantWords() {
        Update u = assertInstanceOf(Update.class,
                CqlParser.parse("UPDATE t SET a = now(), b = null, c = true WHERE k = 1"));
        assertEquals(List.of(new Assignment.SetValue("a", new Term.FunctionCall("now", List.of())),
                new Assignment.SetValue("b", Literal.NULL), new Assignment.SetValue("c", Literal.bool(true))),
                u.assignments());
    }

    @Test
    void updateConditions() {
        Update u = assertInstanceOf(Update.class, CqlParser.parse(
                "UPDATE t SET a = 1 WHERE k = 1 IF a = 2 AND b != null AND m['k'] = 'v' AND c IN (1, 2) AND d >= 3"));
        assertEquals(List.of(
                new Condition("a", null, Operator.EQ, num(2)),
                new Condition("b", null, Operator.NEQ, Literal.NULL),
                new Condition("m", str("k"), Operator.EQ, str("v")),
                new Condition("c", null, Operator.IN, new Term.ListLiteral(List.of(num(1), num(2)))),
                new Condition("d", null, Operator.GTE, num(3))), u.conditions());
        assertTrue(u.isConditional());
    }

    @Test
    void conditionOnColumnNamedExists() {
        Update u = assertInstanceOf(Update.class, CqlParser.parse("UPDATE t SET a = 1 WHERE k = 1 IF exists = 2"));
        assertEquals(List.of(new Condition("exists", null, Operator.EQ, num(2))), u.conditions());
        assertEquals(false, u.ifExists());
    }

    // ---- DELETE --------------------------------------------------------------------------------

    @Test
    void deleteForms() {
        assertEquals(new Delete(List.of(), t("t"), Using.NONE, List.of(eq("k", num(1))), false, List.of()),
                CqlParser.parse("DELETE FROM t WHERE k = 1"));
        assertEquals(new Delete(List.of(Deletion.column("a"), new Deletion("m", str("k")), new Deletion("l", num(0))),
                        new QualifiedName("ks", "t"), Using.timestamp(num(99)),
                        List.of(eq("k", num(1)), new Relation.SingleColumn("c", Operator.LTE, num(3))),
                        false, List.of(new Condition("a", null, Operator.EQ, num(5)))),
                CqlParser.parse("DELETE a, m['k'], l[0] FROM ks.t USING TIMESTAMP 99 WHERE k = 1 AND c <= 3 IF a = 5"));
        Delete d = assertInstanceOf(Delete.class, CqlParser.parse("DELETE FROM t WHERE k = 1 IF EXISTS"));
        assertTrue(d.ifExists());
    }

    // ---- SELECT --------------------------------------------------------------------------------

    @Test
    void selectStar() {
        assertEquals(new Select(t("t"), false, List.of(), List.of(), List.of(), List.of(), null, null, false),
                CqlParser.parse("SELECT * FROM t"));
    }

    @Test
    void selectWithEveryClause() {
        Statement s = CqlParser.parse("SELECT DISTINCT a, b AS \"Bee\" FROM iot.readings "
                + "WHERE device_id = ? AND ts > ? GROUP BY a, b ORDER BY ts DESC, seq "
                + "PER PARTITION LIMIT 2 LIMIT 10 ALLOW FILTERING");
        assertEquals(new Select(new QualifiedName("iot", "readings"), true,
                List.of(Selector.of(new Selectable.Column("a")), new Selector(new Selectable.Column("b"), "Bee")),
                List.of(eq("device_id", q(0)), new Relation.SingleColumn("ts", Operator.GT, q(1))),
                List.of("a", "b"), List.of(new Ordering("ts", SortOrder.DESC), new Ordering("seq", SortOrder.ASC)),
                num(2), num(10), true), s);
    }

    @Test
    void selectorKinds() {
        Select s = select("SELECT token(a, b), WRITETIME(c), ttl(c) AS t, count(*), COUNT(1), count(c), "
                + "max(v), toJson(m), \"myFn\"(x, 3), key, ttl FROM t");
        assertEquals(List.of(
                Selector.of(new Selectable.Token(List.of("a", "b"))),
                Selector.of(new Selectable.WriteTime("c")),
                new Selector(new Selectable.Ttl("c"), "t"),
                Selector.of(new Selectable.CountRows()),
                Selector.of(new Selectable.CountRows()),
                Selector.of(new Selectable.Function("count", List.of(new Selectable.Column("c")))),
                Selector.of(new Selectable.Function("max", List.of(new Selectable.Column("v")))),
                Selector.of(new Selectable.Function("tojson", List.of(new Selectable.Column("m")))),
                Selector.of(new Selectable.Function("myFn", List.of(new Selectable.Column("x"),
                        new Selectable.Value(num(3))))),
                Selector.of(new Selectable.Column("key")),
                Selector.of(new Selectable.Column("ttl"))), s.selectors());
    }

    @Test
    void distinctIsAlsoAColumnName() {
        assertEquals(List.of(Selector.of(new Selectable.Column("distinct"))),
                select("SELECT distinct FROM t").selectors());
        assertEquals(false, select("SELECT distinct, a FROM t").distinct());
        assertEquals(true, select("SELECT DISTINCT pk FROM t").distinct());
    }

    @Test
    void relationKinds() {
        Select s = select("SELECT * FROM t WHERE a IN (1, 2) AND b IN ? AND (c1, c2) > (1, 'x') "
                + "AND (c1, c2) IN ((1, 'a'), (2, 'b')) AND (c1, c2) <= ? AND token(a, b) > -9223372036854775808 "
                + "AND token(a) <= token('k') AND tags CONTAINS 'x' AND m CONTAINS KEY 'k' AND d != 4 AND e < 5 "
                + "AND f >= 6 AND g IN () ALLOW FILTERING");
        assertEquals(List.of(
                new Relation.SingleColumn("a", Operator.IN, new Term.ListLiteral(List.of(num(1), num(2)))),
                new Relation.SingleColumn("b", Operator.IN, q(0)),
                new Relation.MultiColumn(List.of("c1", "c2"), Operator.GT, new Term.TupleLiteral(List.of(num(1), str("x")))),
                new Relation.MultiColumn(List.of("c1", "c2"), Operator.IN, new Term.ListLiteral(List.of(
                        new Term.TupleLiteral(List.of(num(1), str("a"))), new Term.TupleLiteral(List.of(num(2), str("b")))))),
                new Relation.MultiColumn(List.of("c1", "c2"), Operator.LTE, q(1)),
                new Relation.Token(List.of("a", "b"), Operator.GT, Literal.integer(Long.MIN_VALUE)),
                new Relation.Token(List.of("a"), Operator.LTE, new Term.FunctionCall("token", List.of(str("k")))),
                new Relation.SingleColumn("tags", Operator.CONTAINS, str("x")),
                new Relation.SingleColumn("m", Operator.CONTAINS_KEY, str("k")),
                new Relation.SingleColumn("d", Operator.NEQ, num(4)),
                new Relation.SingleColumn("e", Operator.LT, num(5)),
                new Relation.SingleColumn("f", Operator.GTE, num(6)),
                new Relation.SingleColumn("g", Operator.IN, new Term.ListLiteral(List.of()))), s.where());
        assertTrue(s.allowFiltering());
    }

    @Test
    void limitsTakeBindMarkers() {
        Select s = select("SELECT * FROM t PER PARTITION LIMIT ? LIMIT :n");
        assertEquals(q(0), s.perPartitionLimit());
        assertEquals(new Term.BindMarker(1, "n"), s.limit());
    }

    // ---- BATCH ---------------------------------------------------------------------------------

    @Test
    void batch() {
        Statement s = CqlParser.parse("""
                BEGIN UNLOGGED BATCH USING TIMESTAMP ?
                  INSERT INTO t (k, v) VALUES (?, ?);
                  UPDATE t SET v = ? WHERE k = ?;
                  DELETE FROM t WHERE k = :gone
                APPLY BATCH;
                """);
        assertEquals(new Batch(BatchType.UNLOGGED, q(0), List.of(
                new Insert(t("t"), List.of("k", "v"), List.of(q(1), q(2)), false, Using.NONE),
                new Update(t("t"), Using.NONE, List.of(new Assignment.SetValue("v", q(3))), List.of(eq("k", q(4))),
                        false, List.of()),
                new Delete(List.of(), t("t"), Using.NONE, List.of(eq("k", new Term.BindMarker(5, "gone"))),
                        false, List.of()))), s);
        assertEquals(6, s.bindCount());
        assertEquals(Arrays.asList(null, null, null, null, null, "gone"), s.bindNames());
    }

    @Test
    void batchKinds() {
        assertEquals(new Batch(BatchType.LOGGED, null, List.of()), CqlParser.parse("BEGIN BATCH APPLY BATCH"));
        Batch counter = assertInstanceOf(Batch.class,
                CqlParser.parse("begin counter batch update c set n = n + 1 where k = 1 apply batch"));
        assertEquals(BatchType.COUNTER, counter.type());
        assertEquals(1, counter.statements().size());
    }

    // ---- identifiers, case, comments -----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT a FROM ks.t WHERE k = 1",
        "select A from KS.T where K = 1;",
        "SeLeCt a\nFROM\n  ks.t\n\tWHERE k=1 ;",
        "/* leading */ SELECT a -- trailing\n FROM ks.t // more\n WHERE k = 1 /* end */",
        "SELECT \"a\" FROM \"ks\".\"t\" WHERE \"k\" = 1",
    })
    void equivalentSpellings(String cql) {
        assertEquals(new Select(new QualifiedName("ks", "t"), false, List.of(Selector.of(new Selectable.Column("a"))),
                List.of(eq("k", num(1))), List.of(), List.of(), null, null, false), CqlParser.parse(cql));
    }

    @Test
    void quotedIdentifiersKeepCaseAndReservedWords() {
        Select s = select("SELECT \"Select\", \"a\"\"b\" FROM \"Table\" WHERE \"from\" = 1");
        assertEquals(List.of(Selector.of(new Selectable.Column("Select")), Selector.of(new Selectable.Column("a\"b"))),
                s.selectors());
        assertEquals(t("Table"), s.table());
        assertEquals(List.of(eq("from", num(1))), s.where());
    }

    @Test
    void schemaStatementsHaveNoMarkers() {
        assertEquals(0, CqlParser.parse("DROP TABLE t").bindCount());
        assertNull(((Select) CqlParser.parse("SELECT * FROM t")).limit());
    }

    @Test
    void toCqlReadsBack() {
        for (String cql : List.of(
                "SELECT DISTINCT a, b AS \"Bee\" FROM iot.readings WHERE a IN (1, 2) AND (c1, c2) IN ((1, 'a')) "
                        + "AND token(a) > ? GROUP BY a ORDER BY ts DESC PER PARTITION LIMIT 2 LIMIT 10 ALLOW FILTERING",
                "UPDATE t USING TTL 1 SET a = a + 1, l = [1] + l, m[?] = 3 WHERE k = 1 IF m['x'] IN ? AND b = 2",
                "BEGIN COUNTER BATCH UPDATE c SET n = n - 1 WHERE k = 1; APPLY BATCH",
                "CREATE TABLE \"select\".t (k int, c text, v blob static, PRIMARY KEY ((k), c)) "
                        + "WITH CLUSTERING ORDER BY (c DESC) AND compaction = {'class': 'X'}",
                "INSERT INTO t (a, b) VALUES (1.50, 0x00ff) IF NOT EXISTS USING TTL 3 AND TIMESTAMP 4",
                "INSERT INTO t (a) VALUES ((int) -1.)",
                "DELETE m['k'] FROM t USING TIMESTAMP 5 WHERE k = 1 IF EXISTS")) {
            Statement parsed = CqlParser.parse(cql);
            assertEquals(parsed, CqlParser.parse(parsed.toCql()), parsed.toCql());
        }
    }

    @Test
    void parsesConcurrentlyWithoutSharedState() {
        String cql = "SELECT * FROM t WHERE a = ? AND b IN (?, :x) LIMIT ?";
        Statement expected = CqlParser.parse(cql);
        List<Statement> results = java.util.stream.IntStream.range(0, 2000).parallel()
                .mapToObj(i -> CqlParser.parse(cql)).toList();
        results.forEach(r -> assertEquals(expected, r));
        assertEquals(Arrays.asList(null, null, "x", null), expected.bindNames());
    }
}
