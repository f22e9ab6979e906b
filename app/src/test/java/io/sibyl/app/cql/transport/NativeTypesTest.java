package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.datastax.oss.protocol.internal.response.result.RawType;
import io.sibyl.storage.types.AsciiText;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.TypeCoercion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Values cross the wire as the Cassandra Java driver's own codecs encode and decode them: what the
 * driver encodes decodes to the value in Sibyl, and what Sibyl answers (after the executor's JSON-ready
 * rendering, see {@link NativeTypes#encodeResultValue}) decodes to the same value in the driver.
 */
class NativeTypesTest {

    private static final ProtocolVersion V4 = ProtocolVersion.V4;

    /** driver value -> driver bytes -> Sibyl value (bound) and Sibyl value -> JSON-ready -> bytes -> driver value (result). */
    private static <T> void crossesTheWire(String type, TypeCodec<T> codec, T driverValue, Object sibylValue) {
        CqlType t = CqlTypes.parse(type);
        Object bound = NativeTypes.decode(t, codec.encode(driverValue, V4));
        assertEquals(normalize(sibylValue), normalize(bound), "bound " + type);
        ByteBuffer answered = NativeTypes.encodeResultValue(t, TypeCoercion.toJson(t, sibylValue));
        assertEquals(driverValue, codec.decode(answered, V4), "result " + type);
    }

    /** An ASCII text value is bound in its serialized form (an AsciiText): compared as the String it is. */
    private static Object normalize(Object v) {
        return v instanceof byte[] b ? ByteBuffer.wrap(b) : v instanceof AsciiText a ? a.toString() : v;
    }

    /**
     * A bound ASCII text is kept as the frame's bytes (no String, no copy: the decoded value's own array);
     * other text becomes a String, and an ascii column still refuses non-ASCII bytes.
     */
    @Test
    void asciiTextIsBoundAsItsBytesWithoutACopy() {
        byte[] wire = "plain ascii".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (String type : List.of("text", "varchar", "ascii")) {
            Object bound = NativeTypes.decode(CqlTypes.parse(type), ByteBuffer.wrap(wire));
            AsciiText ascii = org.junit.jupiter.api.Assertions.assertInstanceOf(AsciiText.class, bound, type);
            org.junit.jupiter.api.Assertions.assertSame(wire, ascii.bytes(), type);
        }
        byte[] sliced = "xxabc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        AsciiText part = (AsciiText) NativeTypes.decode(CqlTypes.parse("text"), ByteBuffer.wrap(sliced, 2, 3));
        assertEquals("abc", part.toString(), "a buffer over part of an array is copied");
        byte[] utf8 = "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("caf\u00e9", NativeTypes.decode(CqlTypes.parse("text"), ByteBuffer.wrap(utf8)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NativeTypes.decode(CqlTypes.parse("ascii"), ByteBuffer.wrap(utf8)));
        assertEquals("plain ascii", TypeCoercion.coerce(CqlTypes.parse("text"), new AsciiText(wire)),
                "coerced where a String is needed");
    }

    @Property
    void ints(@ForAll int v) {
        crossesTheWire("int", TypeCodecs.INT, v, v);
    }

    @Property
    void bigints(@ForAll long v) {
        crossesTheWire("bigint", TypeCodecs.BIGINT, v, v);
    }

    @Property
    void smallIntegers(@ForAll byte b, @ForAll short s) {
        crossesTheWire("tinyint", TypeCodecs.TINYINT, b, b);
        crossesTheWire("smallint", TypeCodecs.SMALLINT, s, s);
    }

    @Property
    void varints(@ForAll BigInteger v) {
        crossesTheWire("varint", TypeCodecs.VARINT, v, v);
    }

    @Property
    void floatsAndDoubles(@ForAll float f, @ForAll double d) {
        crossesTheWire("float", TypeCodecs.FLOAT, f, f);
        crossesTheWire("double", TypeCodecs.DOUBLE, d, d);
    }

    @Property
    void decimals(@ForAll BigInteger unscaled, @ForAll @IntRange(min = -20, max = 40) int scale) {
        BigDecimal v = new BigDecimal(unscaled, scale);
        crossesTheWire("decimal", TypeCodecs.DECIMAL, v, v);
    }

    @Property
    void texts(@ForAll String s) {
        if (!s.codePoints().allMatch(Character::isValidCodePoint) || hasLoneSurrogate(s)) {
            return;
        }
        crossesTheWire("text", TypeCodecs.TEXT, s, s);
    }

    @Property
    void asciiTexts(@ForAll("ascii") String s) {
        crossesTheWire("ascii", TypeCodecs.ASCII, s, s);
    }

    @Provide
    Arbitrary<String> ascii() {
        return Arbitraries.strings().ascii().ofMaxLength(50);
    }

    @Property
    void timestamps(@ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_000L) long millis) {
        Instant v = Instant.ofEpochMilli(millis);
        crossesTheWire("timestamp", TypeCodecs.TIMESTAMP, v, v);
    }

    @Property
    void dates(@ForAll @IntRange(min = -1_000_000, max = 2_000_000) int epochDay) {
        LocalDate v = LocalDate.ofEpochDay(epochDay);
        crossesTheWire("date", TypeCodecs.DATE, v, v);
    }

    @Property
    void times(@ForAll @LongRange(min = 0, max = 86_399_999_999_999L) long nanos) {
        LocalTime v = LocalTime.ofNanoOfDay(nanos);
        crossesTheWire("time", TypeCodecs.TIME, v, v);
    }

    @Property
    void uuidsAndBooleans(@ForAll long hi, @ForAll long lo, @ForAll boolean b) {
        UUID v = new UUID(hi, lo);
        crossesTheWire("uuid", TypeCodecs.UUID, v, v);
        crossesTheWire("boolean", TypeCodecs.BOOLEAN, b, b);
    }

    @Property
    void timeuuids(@ForAll long hi, @ForAll long lo) {
        UUID v = new UUID((hi & ~0xF000L) | 0x1000L, (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
        crossesTheWire("timeuuid", TypeCodecs.TIMEUUID, v, v);
    }

    @Property
    void blobsAndInets(@ForAll byte[] bytes, @ForAll int ip4) throws UnknownHostException {
        crossesTheWire("blob", TypeCodecs.BLOB, ByteBuffer.wrap(bytes), bytes);
        InetAddress a = InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(ip4).array());
        crossesTheWire("inet", TypeCodecs.INET, a, a);
    }

    @Property
    void collections(@ForAll List<Integer> list, @ForAll Set<@net.jqwik.api.constraints.AlphaChars String> set,
                     @ForAll Map<@net.jqwik.api.constraints.AlphaChars String, Long> map) {
        crossesTheWire("list<int>", TypeCodecs.listOf(TypeCodecs.INT), list.stream().filter(x -> x != null).toList(),
                list.stream().filter(x -> x != null).toList());
        Set<String> s = new java.util.TreeSet<>(set);
        Set<String> driverSet = new java.util.LinkedHashSet<>(s);
        if (!s.isEmpty()) {
            crossesTheWire("frozen<set<text>>", TypeCodecs.setOf(TypeCodecs.TEXT), driverSet, s);
        }
        Map<String, Long> m = new java.util.TreeMap<>(map);
        m.values().removeIf(x -> x == null);
        if (!m.isEmpty()) {
            crossesTheWire("map<text, bigint>", TypeCodecs.mapOf(TypeCodecs.TEXT, TypeCodecs.BIGINT),
                    new java.util.LinkedHashMap<>(m), m);
        }
    }

    @Test
    void nullsAndRawTypes() {
        assertNull(NativeTypes.decode(CqlTypes.parse("int"), null));
        assertNull(NativeTypes.decode(CqlTypes.parse("int"), ByteBuffer.allocate(0)));
        assertEquals("", normalize(NativeTypes.decode(CqlTypes.parse("text"), ByteBuffer.allocate(0))));
        assertNull(NativeTypes.encodeResultValue(CqlTypes.parse("int"), null));
        assertEquals(new RawType.RawMap(RawType.PRIMITIVES.get(13), new RawType.RawList(RawType.PRIMITIVES.get(9))),
                NativeTypes.rawType("map<text, frozen<list<int>>>"));
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return true;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
