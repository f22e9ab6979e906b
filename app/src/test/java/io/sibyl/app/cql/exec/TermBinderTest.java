package io.sibyl.app.cql.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.ast.Insert;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.cql.parse.CqlParser;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.InvalidValueException;
import io.sibyl.storage.types.TimeUUIDs;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TermBinderTest {

    private final MicrosClock clock = new MicrosClock(() -> 1_600_000_000_123L);

    /** The first VALUES term of {@code INSERT INTO t (c) VALUES (<term>)} bound for a column of {@code type}. */
    private Object bind(String term, String type, Object values) {
        Insert insert = (Insert) CqlParser.parse("INSERT INTO t (c) VALUES (" + term + ")");
        TermBinder binder = new TermBinder(BoundValues.of(insert, values), clock);
        return binder.bind(insert.values().get(0), CqlTypes.parse(type), "c");
    }

    private Object bind(String term, String type) {
        return bind(term, type, null);
    }

    @Test
    void literals() {
        assertEquals(5, bind("5", "int"));
        assertEquals(5L, bind("5", "bigint"));
        assertEquals(new BigInteger("123456789012345678901234567890"), bind("123456789012345678901234567890", "varint"));
        assertEquals(1.5, bind("1.5", "double"));
        assertEquals(Instant.ofEpochMilli(1000), bind("1000", "timestamp"));
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), bind("'2026-11-20T00:00:00Z'", "timestamp"));
        assertEquals(LocalDate.of(2020, 2, 29), bind("'2020-02-29'", "date"));
        assertArrayEquals(new byte[] {1, (byte) 0xab}, (byte[]) bind("0x01ab", "blob"));
        assertEquals(UUID.fromString("01234567-0123-0123-0123-0123456789ab"),
                bind("01234567-0123-0123-0123-0123456789ab", "uuid"));
        assertNull(bind("null", "text"));
        assertEquals("it's", bind("'it''s'", "text"));
    }

    @Test
    void collectionLiterals() {
        assertEquals(List.of(3, 1), bind("[3, 1]", "list<int>"));
        assertEquals(List.of(1, 3), List.copyOf((java.util.Set<?>) bind("{3, 1, 3}", "set<int>")));
        assertEquals(Map.of("a", 1), bind("{'a': 1}", "map<text, int>"));
        assertEquals(Map.of(), bind("{}", "map<text, int>"));
        assertEquals(List.of(List.of(1), List.of(2, 3)), bind("[[1], [2, 3]]", "list<frozen<list<int>>>"));
    }

    @Test
    void markersUseJsonRules() {
        assertEquals(Instant.ofEpochMilli(1234), bind("?", "timestamp", List.of(1234)));
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), bind("?", "timestamp", List.of("2026-11-20T00:00:00Z")));
        assertArrayEquals(new byte[] {(byte) 0xff}, (byte[]) bind("?", "blob", List.of("0xff")));
        assertEquals(Map.of(1, "x"), bind("?", "map<int, text>", List.of(Map.of("1", "x"))));
        assertEquals(List.of("a", "b"), List.copyOf((java.util.Set<?>) bind("?", "set<text>", List.of(List.of("b", "a")))));
        assertNull(bind("?", "int", java.util.Arrays.asList((Object) null)));
        assertEquals(7, bind(":v", "int", Map.of("v", 7)));
        assertThrows(InvalidValueException.class, () -> bind("?", "int", List.of("seven")));
        assertThrows(InvalidValueException.class, () -> bind("?", "int", List.of(1.5)));
    }

    @Test
    void casts() {
        assertEquals(5, bind("(int) 5", "int"));
        assertEquals("Cannot assign value of type text to c of type int",
                assertThrows(InvalidRequestException.class, () -> bind("(text) 'a'", "int")).getMessage());
    }

    @Test
    void timeFunctions() {
        UUID min = (UUID) bind("minTimeuuid('2020-01-01T00:00:00Z')", "timeuuid");
        assertEquals(TimeUUIDs.minFor(1577836800000L), min);
        assertEquals(TimeUUIDs.maxFor(1577836800000L), bind("maxTimeuuid(1577836800000)", "timeuuid"));
        assertEquals(Instant.ofEpochMilli(1_600_000_000_123L), bind("currentTimestamp()", "timestamp"));
        assertEquals(LocalDate.of(2020, 9, 13), bind("currentDate()", "date"));
        assertEquals(1577836800000L, bind("toUnixTimestamp(minTimeuuid('2020-01-01T00:00:00Z'))", "bigint"));
        assertEquals(Instant.ofEpochMilli(1577836800000L),
                bind("toTimestamp(maxTimeuuid('2020-01-01T00:00:00Z'))", "timestamp"));
        assertEquals(1, ((UUID) bind("now()", "timeuuid")).version());
        assertEquals(1, ((UUID) bind("now()", "uuid")).version(), "a timeuuid fits a uuid column");
        assertEquals(4, ((UUID) bind("uuid()", "uuid")).version());
        assertEquals("Unknown function nosuch called",
                assertThrows(InvalidRequestException.class, () -> bind("nosuch()", "int")).getMessage());
        assertEquals("Invalid number of arguments in call to function system.now: 0 required but 1 provided",
                assertThrows(InvalidRequestException.class, () -> bind("now(1)", "timeuuid")).getMessage());
    }

    @Test
    void inValues() {
        TermBinder binder = new TermBinder(BoundValues.NONE, clock);
        Term list = new Term.ListLiteral(List.of(io.sibyl.app.cql.ast.Literal.integer(1),
                io.sibyl.app.cql.ast.Literal.integer(2)));
        assertEquals(List.of(1, 2), binder.bindInValues(list, CqlTypes.parse("int"), "c"));
    }
}
