package io.sibyl.storage.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TypeCoercionTest {

    private static final UUID V1 = UUID.fromString("8e0c5a10-c6a4-11ee-8000-000000000001");
    private static final UUID V4 = UUID.fromString("99113639-3ef1-4edb-bd9a-0eb516f2d774");

    private static Object coerce(String type, Object raw) {
        return TypeCoercion.coerce(CqlTypes.parse(type), raw, "c");
    }

    private static InvalidValueException rejects(String type, Object raw) {
        return assertThrows(InvalidValueException.class, () -> coerce(type, raw), () -> type + " accepted " + raw);
    }

    @Test
    void messageIsCassandraLike() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> TypeCoercion.coerce(IntType.INSTANCE, "abc", "age"));
        assertEquals("Invalid STRING constant (abc) for \"age\" of type int", e.getMessage());
        assertEquals("age", e.column());
        assertEquals("int", e.typeName());
        e = assertThrows(InvalidValueException.class, () -> TypeCoercion.coerce(TinyintType.INSTANCE, 300L));
        assertEquals("Invalid INTEGER constant (300) for value of type tinyint: out of range for tinyint [-128, 127]",
                e.getMessage());
    }

    @Test
    void nullStaysNull() {
        assertNull(coerce("int", null));
        assertNull(coerce("list<int>", null));
    }

    @Test
    void textAndAscii() {
        assertEquals("héllo 😀", coerce("text", "héllo 😀"));
        assertEquals("hi", coerce("varchar", "hi"));
        assertEquals("plain", coerce("ascii", "plain"));
        rejects("ascii", "é");
        rejects("text", 5L);
        rejects("text", "bad \uD800 surrogate");
        rejects("ascii", true);
    }

    @Test
    void booleans() {
        assertEquals(true, coerce("boolean", true));
        assertEquals(false, coerce("boolean", "FALSE"));
        rejects("boolean", "yes");
        rejects("boolean", 1L);
    }

    @Test
    void integersWithRanges() {
        assertEquals((byte) -128, coerce("tinyint", -128L));
        assertEquals((byte) 127, coerce("tinyint", "127"));
        rejects("tinyint", 128L);
        assertEquals((short) -32768, coerce("smallint", -32768));
        rejects("smallint", 32768);
        assertEquals(Integer.MAX_VALUE, coerce("int", (long) Integer.MAX_VALUE));
        assertEquals(42, coerce("int", " 42 "));
        rejects("int", 2147483648L);
        rejects("int", "-2147483649");
        rejects("int", 1.5);
        rejects("int", 1.0);
        rejects("int", "1.0");
        assertEquals(Long.MIN_VALUE, coerce("bigint", BigInteger.valueOf(Long.MIN_VALUE)));
        rejects("bigint", BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                coerce("varint", "123456789012345678901234567890"));
        assertEquals(BigInteger.valueOf(-7), coerce("varint", -7));
        rejects("varint", "12x");
        rejects("varint", 2.5);
    }

    @Test
    void floatingAndDecimal() {
        assertEquals(21.5f, coerce("float", 21.5));
        assertEquals(3f, coerce("float", 3L));
        assertEquals(Float.NaN, coerce("float", "NaN"));
        rejects("float", 1e300);
        assertEquals(21.5, coerce("double", 21.5));
        assertEquals(7.0, coerce("double", 7));
        assertEquals(1.0e10, coerce("double", "1e10"));
        assertEquals(Double.NEGATIVE_INFINITY, coerce("double", "-Infinity"));
        rejects("double", "ten");
        rejects("double", true);
        assertEquals(new BigDecimal("21.5"), coerce("decimal", 21.5));
        assertEquals(new BigDecimal("12.340"), coerce("decimal", "12.340"));
        assertEquals(new BigDecimal("5"), coerce("decimal", 5L));
        assertEquals(new BigDecimal("1E+400"), coerce("decimal", new BigDecimal("1E+400")));
        rejects("decimal", Double.NaN);
        rejects("decimal", "1,5");
    }

    @Test
    void timestamps() {
        Instant expected = Instant.parse("2026-11-20T00:00:00Z");
        assertEquals(expected, coerce("timestamp", "2026-11-20T00:00:00Z"));
        assertEquals(expected, coerce("timestamp", "2026-11-20 00:00:00+0000"));
        assertEquals(expected, coerce("timestamp", "2026-11-20"));
        assertEquals(expected, coerce("timestamp", "2026-11-20T01:00:00+01:00"));
        assertEquals(expected, coerce("timestamp", "2026-11-19T19:00-05"));
        assertEquals(expected.plusMillis(123), coerce("timestamp", "2026-11-20T00:00:00.123456Z"));
        assertEquals(expected, coerce("timestamp", expected.toEpochMilli()));
        assertEquals(expected, coerce("timestamp", String.valueOf(expected.toEpochMilli())));
        assertEquals(Instant.ofEpochMilli(-1), coerce("timestamp", -1));
        rejects("timestamp", "2026-13-01");
        rejects("timestamp", "2026-02-30T00:00:00Z");
        rejects("timestamp", "yesterday");
        rejects("timestamp", 1.5);
    }

    @Test
    void datesAndTimes() {
        assertEquals(LocalDate.of(2026, 11, 20), coerce("date", "2026-11-20"));
        // Numbers are Cassandra's unsigned day count, whose 2^31 is the epoch.
        assertEquals(LocalDate.of(1970, 1, 2), coerce("date", 2147483649L));
        assertEquals(LocalDate.of(1970, 1, 1), coerce("date", "2147483648"));
        rejects("date", -1L);
        rejects("date", 1L << 32);
        rejects("date", "20-11-2026");
        assertEquals(LocalTime.of(8, 12, 54, 123_456_789), coerce("time", "08:12:54.123456789"));
        assertEquals(LocalTime.of(8, 12, 54, 100_000_000), coerce("time", "08:12:54.1"));
        assertEquals(LocalTime.ofNanoOfDay(1_000), coerce("time", 1_000L));
        rejects("time", "25:00:00");
        rejects("time", 86_400_000_000_000L);
        rejects("time", "08:12");
    }

    @Test
    void uuidsAndTimeuuids() {
        assertEquals(V4, coerce("uuid", V4.toString()));
        assertEquals(V4, coerce("uuid", V4));
        assertEquals(V1, coerce("timeuuid", V1.toString().toUpperCase()));
        InvalidValueException e = rejects("timeuuid", V4.toString());
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());
        rejects("timeuuid", V4);
        rejects("uuid", "99113639-3ef1-4edb-bd9a");
        rejects("uuid", "1-1-1-1-1");
        rejects("uuid", 5L);
    }

    @Test
    void inetAndBlob() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), coerce("inet", "127.0.0.1"));
        assertEquals(InetAddress.getByName("::1"), coerce("inet", "::1"));
        assertEquals(16, ((InetAddress) coerce("inet", "2001:db8::ff00:42:8329")).getAddress().length);
        rejects("inet", "256.1.1.1");
        rejects("inet", "example.com");
        rejects("inet", "1.2.3");
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, (byte[]) coerce("blob", "0x0aFF"));
        assertArrayEquals(new byte[0], (byte[]) coerce("blob", "0x"));
        assertArrayEquals(new byte[] {1}, (byte[]) coerce("blob", new byte[] {1}));
        rejects("blob", "0a");
        rejects("blob", "0xabc");
        rejects("blob", "0xzz");
    }

    @Test
    void collections() {
        assertEquals(List.of(1, 2, 1), coerce("list<int>", List.of(1L, "2", 1)));
        assertEquals(Set.of("a", "b"), coerce("set<text>", List.of("b", "a", "b")));
        assertEquals(List.of("a", "b"), List.copyOf((Set<?>) coerce("set<text>", Set.of("b", "a"))));
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("2", "two");
        raw.put("1", "one");
        Map<?, ?> map = (Map<?, ?>) coerce("map<int, text>", raw);
        assertEquals(List.of(1, 2), List.copyOf(map.keySet()));
        assertEquals(List.of(List.of(1L), List.of()), coerce("list<frozen<list<bigint>>>", List.of(List.of(1), List.of())));
        InvalidValueException e = rejects("list<int>", List.of(1, "x"));
        assertTrue(e.getMessage().contains("(x)") && e.getMessage().contains("of type int"), e.getMessage());
        rejects("list<int>", Set.of(1));
        rejects("list<int>", "[1]");
        rejects("map<int, text>", List.of(1));
        rejects("map<int, text>", Map.of("k", "v"));
        e = rejects("list<int>", Arrays.asList(1, null));
        assertTrue(e.getMessage().contains("null is not supported inside collections"), e.getMessage());
    }

    @Test
    void toJsonFormats() throws Exception {
        assertEquals("2026-11-20T00:00:01.000Z",
                TypeCoercion.toJson(TimestampType.INSTANCE, Instant.parse("2026-11-20T00:00:01Z")));
        assertEquals("0x00ff", TypeCoercion.toJson(BlobType.INSTANCE, new byte[] {0, (byte) 0xff}));
        assertEquals(V4.toString(), TypeCoercion.toJson(UuidType.INSTANCE, V4));
        assertEquals("2026-11-20", TypeCoercion.toJson(DateType.INSTANCE, LocalDate.of(2026, 11, 20)));
        assertEquals("08:00:00.000000000", TypeCoercion.toJson(TimeType.INSTANCE, LocalTime.of(8, 0)));
        assertEquals("10.0.0.1", TypeCoercion.toJson(InetType.INSTANCE, InetAddress.getByName("10.0.0.1")));
        assertEquals(new BigDecimal("1.50"), TypeCoercion.toJson(DecimalType.INSTANCE, new BigDecimal("1.50")));
        assertEquals(BigInteger.TEN, TypeCoercion.toJson(VarintType.INSTANCE, BigInteger.TEN));
        assertEquals(7, TypeCoercion.toJson(IntType.INSTANCE, 7));
        assertEquals(true, TypeCoercion.toJson(BooleanType.INSTANCE, true));
        assertEquals("x", TypeCoercion.toJson(TextType.INSTANCE, "x"));
        assertNull(TypeCoercion.toJson(TextType.INSTANCE, null));
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(Instant.EPOCH, new byte[] {1});
        assertEquals(Map.of("1970-01-01T00:00:00.000Z", "0x01"),
                TypeCoercion.toJson(CqlTypes.map(TimestampType.INSTANCE, BlobType.INSTANCE), map));
        assertEquals(Map.of("1", List.of("a")), TypeCoercion.toJson(
                CqlTypes.map(IntType.INSTANCE, CqlTypes.list(TextType.INSTANCE).withFrozen(true)), Map.of(1, List.of("a"))));
        assertEquals(List.of(1, 2, 3), TypeCoercion.toJson(CqlTypes.set(IntType.INSTANCE), Set.of(3, 1, 2)));
    }

    /** toJson output, read back by coerce, gives the value again: JSON round trip for every type. */
    @Property
    void jsonRoundTrip(@ForAll("typedValues") Object[] typeAndValue) {
        CqlType type = (CqlType) typeAndValue[0];
        Object value = typeAndValue[1];
        Object back = TypeCoercion.coerce(type, TypeCoercion.toJson(type, value));
        assertEquals(0, type.compare(type.serialize(value), type.serialize(back)), () -> type + ": " + value);
    }

    @Provide
    Arbitrary<Object[]> typedValues() {
        return net.jqwik.api.Arbitraries.oneOf(
                pair(TextType.INSTANCE, TypeArbitraries.text()),
                pair(AsciiType.INSTANCE, TypeArbitraries.ascii()),
                pair(BooleanType.INSTANCE, net.jqwik.api.Arbitraries.of(true, false)),
                pair(TinyintType.INSTANCE, net.jqwik.api.Arbitraries.bytes()),
                pair(SmallintType.INSTANCE, net.jqwik.api.Arbitraries.shorts()),
                pair(IntType.INSTANCE, net.jqwik.api.Arbitraries.integers()),
                pair(BigintType.INSTANCE, net.jqwik.api.Arbitraries.longs()),
                pair(VarintType.INSTANCE, TypeArbitraries.varint()),
                pair(FloatType.INSTANCE, TypeArbitraries.floats().filter(Float::isFinite)),
                pair(DoubleType.INSTANCE, TypeArbitraries.doubles().filter(Double::isFinite)),
                pair(DecimalType.INSTANCE, TypeArbitraries.decimals()),
                pair(TimestampType.INSTANCE, TypeArbitraries.timestamps()
                        .filter(i -> i.atZone(java.time.ZoneOffset.UTC).getYear() >= 0)),
                pair(DateType.INSTANCE, TypeArbitraries.dates().filter(d -> d.getYear() >= 0)),
                pair(TimeType.INSTANCE, TypeArbitraries.times()),
                pair(UuidType.INSTANCE, TypeArbitraries.uuids()),
                pair(TimeuuidType.INSTANCE, TypeArbitraries.timeuuids()),
                pair(InetType.INSTANCE, TypeArbitraries.inets()),
                pair(BlobType.INSTANCE, TypeArbitraries.blobs()),
                pair(CqlTypes.map(TimestampType.INSTANCE, BlobType.INSTANCE),
                        net.jqwik.api.Arbitraries.maps(TypeArbitraries.timestamps()
                                .filter(i -> i.atZone(java.time.ZoneOffset.UTC).getYear() >= 0),
                                TypeArbitraries.blobs()).ofMaxSize(4)),
                pair(CqlTypes.set(UuidType.INSTANCE), TypeArbitraries.uuids().set().ofMaxSize(4)));
    }

    private static Arbitrary<Object[]> pair(CqlType type, Arbitrary<?> values) {
        return values.map(v -> new Object[] {type, v});
    }
}
