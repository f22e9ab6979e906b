package io.sibyl.app.http.rows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.cql.exec.JsonRows;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.http.ErrorMapper;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.AsciiText;
import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.TypeCoercion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The streaming row reader against the two-step path it replaces (parse to a map, then coerce). */
class JsonRowReaderTest {

    static final TableMetadata TABLE = new TableMetadata("ks", "t", UUID.randomUUID(), List.of(
            ColumnMetadata.partitionKey("id", CqlTypes.parse("text"), 0),
            ColumnMetadata.clustering("ts", CqlTypes.parse("timestamp"), 0, false),
            ColumnMetadata.regular("i", CqlTypes.parse("int")),
            ColumnMetadata.regular("b", CqlTypes.parse("bigint")),
            ColumnMetadata.regular("d", CqlTypes.parse("double")),
            ColumnMetadata.regular("ok", CqlTypes.parse("boolean")),
            ColumnMetadata.regular("blob", CqlTypes.parse("blob")),
            ColumnMetadata.regular("tags", CqlTypes.parse("set<text>")),
            ColumnMetadata.regular("nums", CqlTypes.parse("list<int>")),
            ColumnMetadata.regular("m", CqlTypes.parse("map<text, double>")),
            ColumnMetadata.regular("a", CqlTypes.parse("ascii")),
            ColumnMetadata.regular("v", CqlTypes.parse("varchar")),
            ColumnMetadata.regular("dec", CqlTypes.parse("decimal"))), TableParams.DEFAULT);

    /** What the REST routes did before: the whole text to untyped values, then column by column. */
    static Map<ColumnMetadata, Object> twoStep(String json) {
        Map<?, ?> raw = JsonRows.parseObject(json.getBytes(StandardCharsets.UTF_8));
        Map<ColumnMetadata, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            String name = String.valueOf(e.getKey());
            ColumnMetadata c = TABLE.column(name);
            if (c == null) {
                throw new InvalidRequestException("Undefined column name " + name);
            }
            out.put(c, TypeCoercion.coerce(c.type(), e.getValue(), c.name()));
        }
        return comparable(out);
    }

    static Map<ColumnMetadata, Object> streaming(String json) {
        byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        // An inner range of the array, as bulk lines are.
        return comparable(JsonRowReader.read(TABLE, bytes, 2, bytes.length - 4));
    }

    /**
     * Blobs as hex, so that equal rows are equal maps (in the same order); a text value the fast path kept
     * as ASCII bytes as its String, after checking that its bytes are what the String serializes to.
     */
    static Map<ColumnMetadata, Object> comparable(Map<ColumnMetadata, Object> row) {
        Map<ColumnMetadata, Object> out = new java.util.LinkedHashMap<>();
        row.forEach((c, v) -> {
            if (v instanceof AsciiText t) {
                assertArrayEquals(c.type().serialize(t.toString()), c.type().serialize(t), c.name());
                v = t.toString();
            }
            out.put(c, v instanceof byte[] b ? "blob:" + java.util.HexFormat.of().formatHex(b) : v);
        });
        return out;
    }

    @Test
    void theFastPathTakesTheRowsThatIngestSends() {
        String user = "{\"id\":\"user123\",\"a\":\"AbZ09 ~!\",\"v\":\"" + "x".repeat(100) + "\",\"i\":-42,\"ok\":false}";
        Map<ColumnMetadata, Object> row = FlatJsonRow.tryRead(TABLE, user.getBytes(StandardCharsets.UTF_8), 0, user.length());
        assertNotNull(row);
        assertInstanceOf(AsciiText.class, row.get(TABLE.column("id")));
        assertInstanceOf(AsciiText.class, row.get(TABLE.column("a")));
        assertEquals(-42, row.get(TABLE.column("i")));
        assertEquals(false, row.get(TABLE.column("ok")));
        String reading = " {\"id\": \"dev-7\", \"ts\": 1767225600000,\t\"d\": 42.17, \"dec\": -1.5e3, \"b\": null}\r";
        row = FlatJsonRow.tryRead(TABLE, reading.getBytes(StandardCharsets.UTF_8), 0, reading.length());
        assertNotNull(row);
        assertEquals(42.17, row.get(TABLE.column("d")));
        assertEquals(new java.math.BigDecimal("-1.5e3"), row.get(TABLE.column("dec")));
        assertTrue(row.containsKey(TABLE.column("b")));
        assertEquals(twoStep(reading), comparable(row));
    }

    @Test
    void theFastPathLeavesAnythingElseToTheGeneralPath() {
        for (String json : List.of("{\"id\": \"caf\u00e9\"}", "{\"id\": \"a\\nb\"}", "{\"id\": \"tab\there\"}",
                "{\"nums\": [1]}", "{\"m\": {}}", "{\"zz\": 1}", "{\"i\": 01}", "{\"i\": 1.}", "{\"i\": .5}",
                "{\"i\": 1e}", "{\"i\": -}", "{\"i\": +1}", "{\"ok\": tru}", "{\"ok\": truex}", "{\"i\": 1} x",
                "{\"i\": 1,}", "{\"i\" 1}", "{\"i\": 1", "[1]", "", "{\"i\": NaN}", "{\"b\": " + "9".repeat(200) + "}")) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertNull(FlatJsonRow.tryRead(TABLE, bytes, 0, bytes.length), json);
        }
    }

    @Test
    void readsTypedValuesInOrder() {
        Map<ColumnMetadata, Object> row = streaming(
                "{\"i\": 7, \"id\": \"k\", \"ts\": 1000, \"d\": 1.5, \"ok\": true, \"tags\": [\"a\", \"b\"],"
                        + " \"m\": {\"x\": 1}, \"nums\": [1, 2], \"blob\": \"0x0aff\", \"b\": null}");
        assertEquals(twoStep("{\"i\": 7, \"id\": \"k\", \"ts\": 1000, \"d\": 1.5, \"ok\": true, \"tags\": [\"a\", \"b\"],"
                + " \"m\": {\"x\": 1}, \"nums\": [1, 2], \"blob\": \"0x0aff\", \"b\": null}"), row);
        assertEquals(List.of("i", "id", "ts", "d", "ok", "tags", "m", "nums", "blob", "b"),
                row.keySet().stream().map(ColumnMetadata::name).toList());
        assertEquals(7, row.get(TABLE.column("i")));
        assertEquals(1.5, row.get(TABLE.column("d")));
    }

    @Test
    void aRepeatedNameKeepsItsPlaceAndTheLastValue() {
        Map<ColumnMetadata, Object> row = streaming("{\"i\": 1, \"id\": \"k\", \"i\": 2}");
        assertEquals(List.of("i", "id"), row.keySet().stream().map(ColumnMetadata::name).toList());
        assertEquals(2, row.get(TABLE.column("i")));
        // The discarded first value is never coerced, as with a parsed map.
        assertEquals(3, streaming("{\"i\": \"not a number\", \"i\": 3}").get(TABLE.column("i")));
    }

    @Test
    void errorsAreTheDocumentedOnes() {
        assertEquals("Undefined column name zz", message(() -> streaming("{\"id\": \"k\", \"zz\": 1}")));
        assertEquals("A row must be a JSON object", message(() -> streaming("[1, 2]")));
        assertTrue(message(() -> streaming("")).startsWith("Could not decode JSON string"));
        assertTrue(message(() -> streaming("{\"id\": \"k\"} {}")).startsWith("Could not decode JSON string"));
        // Bad JSON after an unknown column is still a decode error: the text is checked before the columns.
        assertTrue(message(() -> streaming("{\"zz\": 1, \"id\": ")).startsWith("Could not decode JSON string"));
        assertEquals("INVALID", code(() -> streaming("{\"i\": \"one\"}")));
        assertEquals("INVALID", code(() -> streaming("{\"i\": 99999999999}")));
    }

    @Property(tries = 1000)
    void answersAsTheTwoStepPathDoes(@ForAll("rows") String json) {
        Object expected = outcome(() -> twoStep(json));
        Object actual = outcome(() -> streaming(json));
        if (expected instanceof Failure e && actual instanceof Failure a) {
            assertEquals(e.code(), a.code(), json);
            if (!e.message().startsWith("Could not decode JSON string")) {
                assertEquals(e.message(), a.message(), json);
            } else {
                assertTrue(a.message().startsWith("Could not decode JSON string"), json + ": " + a.message());
            }
        } else {
            assertEquals(expected, actual, json);
        }
    }

    record Failure(String code, String message) {}

    static Object outcome(Runnable r) {
        return outcome(() -> {
            r.run();
            return null;
        });
    }

    static Object outcome(java.util.function.Supplier<Object> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            ErrorMapper.ApiError error = ErrorMapper.toError(e, "test");
            assertEquals(400, error.status(), "a client mistake, not " + e);
            return new Failure(error.code(), error.message());
        }
    }

    static String message(Runnable r) {
        return ((Failure) outcome(r)).message();
    }

    static String code(Runnable r) {
        return ((Failure) outcome(r)).code();
    }

    @Provide
    Arbitrary<String> rows() {
        Arbitrary<String> name = Arbitraries.of("id", "ts", "i", "b", "d", "ok", "blob", "tags", "nums", "m", "zz", "ID",
                "a", "v", "dec", "i\\u0000", "\u00e9");
        Arbitrary<String> value = Arbitraries.of("\"abc\"", "\"\"", "1", "-5", "0", "1.5", "1e3", "-0.0", "true", "false",
                "null", "[1, 2]", "[]", "[\"a\", \"a\"]", "{\"a\": 1}", "{}", "{\"a\": 1.5, \"b\": null}",
                "\"2020-01-01T00:00:00Z\"", "\"0xff\"", "\"0xf\"", "99999999999999999999", "2147483648", "\"12\"",
                "[[1]]", "\"\\u00e9\\n\"", "\"caf\u00e9\"", "\"\ud83d\ude00\"", "\"a\tb\"", "\"~ !#\"", "01", "1.", ".5", "-",
                "1e", "1E+2", "-0", "12.50", "3e-2", "+1", "tru", "nul", "truex", "NaN", "\"\\\"\"", "9223372036854775808",
                "-123456789012345678", "1234567890123456789");
        Arbitrary<String> space = Arbitraries.of("", " ", "\t", "\n", "\r\n", "  ");
        Arbitrary<String> field = Combinators.combine(name, value, space, space).as((n, v, s1, s2) -> s1 + "\"" + n + "\"" + s2 + ":" + s1 + v + s2);
        Arbitrary<String> object = Combinators.combine(field.list().ofMaxSize(8), space)
                .as((fs, sp) -> sp + "{" + String.join(",", fs) + "}" + sp);
        Arbitrary<String> broken = Combinators.combine(object, Arbitraries.integers().between(0, 200),
                Arbitraries.of("", "}", "]", "x", " {}", ",", "\"", " ")).as((o, cut, tail) ->
                o.substring(0, Math.min(cut, o.length())) + tail);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, object),
                net.jqwik.api.Tuple.of(3, broken),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("[]", "1", "\"s\"", "null", "  ", "[{}]", "{} {}")));
    }

    @Test
    void theInvalidRequestIsThrownNotReturned() {
        assertInstanceOf(InvalidRequestException.class,
                assertThrows(RuntimeException.class, () -> streaming("{\"zz\": 1}")));
    }
}
