package io.sibyl.storage.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Every native type: serialize then deserialize gives the value back, and the order of encodings
 * agrees with an independent model of Cassandra's order on the Java values.
 */
class NativeTypeTest {

    private static <T> void check(CqlType type, T a, T b, Comparator<? super T> model) {
        byte[] ea = type.serialize(a);
        byte[] eb = type.serialize(b);
        assertSameValue(a, type.deserialize(ea));
        assertSameValue(b, type.deserialize(eb));
        assertEquals(Integer.signum(model.compare(a, b)), Integer.signum(type.compare(ea, eb)),
                () -> type + ": order of " + a + " and " + b);
        assertEquals(-Integer.signum(type.compare(ea, eb)), Integer.signum(type.compare(eb, ea)));
        assertEquals(0, type.compare(ea, ea.clone()));
        assertEquals(Integer.signum(model.compare(a, b)), Integer.signum(type.compareValues(a, b)));
    }

    private static void assertSameValue(Object expected, Object actual) {
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual);
        } else {
            assertEquals(expected, actual);
        }
    }

    @Property
    void text(@ForAll("text") String a, @ForAll("text") String b) {
        // UTF-8 byte order is code point order (not Java's UTF-16 String order).
        check(TextType.INSTANCE, a, b, (x, y) -> Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray()));
    }

    @Property
    void ascii(@ForAll("ascii") String a, @ForAll("ascii") String b) {
        check(AsciiType.INSTANCE, a, b, String::compareTo);
    }

    @Property
    void booleans(@ForAll boolean a, @ForAll boolean b) {
        check(BooleanType.INSTANCE, a, b, Boolean::compare);
    }

    @Property
    void tinyint(@ForAll byte a, @ForAll byte b) {
        check(TinyintType.INSTANCE, a, b, Byte::compare);
    }

    @Property
    void smallint(@ForAll short a, @ForAll short b) {
        check(SmallintType.INSTANCE, a, b, Short::compare);
    }

    @Property
    void ints(@ForAll int a, @ForAll int b) {
        check(IntType.INSTANCE, a, b, Integer::compare);
    }

    @Property
    void bigint(@ForAll long a, @ForAll long b) {
        check(BigintType.INSTANCE, a, b, Long::compare);
    }

    @Property
    void varint(@ForAll("varint") BigInteger a, @ForAll("varint") BigInteger b) {
        check(VarintType.INSTANCE, a, b, BigInteger::compareTo);
        assertArrayEquals(a.toByteArray(), VarintType.INSTANCE.serialize(a));
    }

    @Property
    void floats(@ForAll("floats") Float a, @ForAll("floats") Float b) {
        check(FloatType.INSTANCE, a, b, Float::compare);
    }

    @Property
    void doubles(@ForAll("doubles") Double a, @ForAll("doubles") Double b) {
        check(DoubleType.INSTANCE, a, b, Double::compare);
    }

    @Property
    void decimal(@ForAll("decimals") BigDecimal a, @ForAll("decimals") BigDecimal b) {
        check(DecimalType.INSTANCE, a, b, BigDecimal::compareTo);
    }

    @Property
    void timestamp(@ForAll("timestamps") Instant a, @ForAll("timestamps") Instant b) {
        check(TimestampType.INSTANCE, a, b, Instant::compareTo);
    }

    @Property
    void date(@ForAll("dates") LocalDate a, @ForAll("dates") LocalDate b) {
        check(DateType.INSTANCE, a, b, LocalDate::compareTo);
    }

    @Property
    void time(@ForAll("times") LocalTime a, @ForAll("times") LocalTime b) {
        check(TimeType.INSTANCE, a, b, LocalTime::compareTo);
    }

    @Property
    void uuid(@ForAll("uuids") UUID a, @ForAll("uuids") UUID b) {
        check(UuidType.INSTANCE, a, b, NativeTypeTest::cassandraUuidOrder);
    }

    @Property
    void timeuuid(@ForAll("timeuuids") UUID a, @ForAll("timeuuids") UUID b) {
        check(TimeuuidType.INSTANCE, a, b, NativeTypeTest::cassandraTimeuuidOrder);
    }

    @Property
    void inet(@ForAll("inets") InetAddress a, @ForAll("inets") InetAddress b) {
        check(InetType.INSTANCE, a, b, (x, y) -> Arrays.compareUnsigned(x.getAddress(), y.getAddress()));
    }

    @Property
    void blob(@ForAll("blobs") byte[] a, @ForAll("blobs") byte[] b) {
        check(BlobType.INSTANCE, a, b, Arrays::compareUnsigned);
    }

    /** UUIDType: version, then (v1) timestamp or the high long unsigned, then the low long unsigned. */
    private static int cassandraUuidOrder(UUID a, UUID b) {
        if (a.version() != b.version()) {
            return Integer.compare(a.version(), b.version());
        }
        int c = a.version() == 1 ? Long.compare(a.timestamp(), b.timestamp())
                : Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    /** TimeUUIDType: timestamp, then the last 8 bytes as signed bytes. */
    private static int cassandraTimeuuidOrder(UUID a, UUID b) {
        int c = Long.compare(a.timestamp(), b.timestamp());
        if (c != 0) {
            return c;
        }
        byte[] la = java.nio.ByteBuffer.allocate(8).putLong(a.getLeastSignificantBits()).array();
        byte[] lb = java.nio.ByteBuffer.allocate(8).putLong(b.getLeastSignificantBits()).array();
        return Arrays.compare(la, lb);
    }

    @Test
    void knownEncodings() {
        assertEquals("00000080", Hex.encode(IntType.INSTANCE.serialize(128)));
        assertEquals("ff", Hex.encode(TinyintType.INSTANCE.serialize((byte) -1)));
        assertEquals("01", Hex.encode(BooleanType.INSTANCE.serialize(true)));
        assertEquals("80000000", Hex.encode(DateType.INSTANCE.serialize(LocalDate.of(1970, 1, 1))));
        assertEquals("7fffffff", Hex.encode(DateType.INSTANCE.serialize(LocalDate.of(1969, 12, 31))));
        assertEquals("0000000000000001", Hex.encode(TimeType.INSTANCE.serialize(LocalTime.ofNanoOfDay(1))));
        assertEquals("00000002" + "04d2", Hex.encode(DecimalType.INSTANCE.serialize(new BigDecimal("12.34"))));
        assertEquals("ff7f", Hex.encode(VarintType.INSTANCE.serialize(BigInteger.valueOf(-129))));
        assertEquals("00ff", Hex.encode(VarintType.INSTANCE.serialize(BigInteger.valueOf(255))));
        assertEquals("00", Hex.encode(VarintType.INSTANCE.serialize(BigInteger.ZERO)));
        assertEquals("c3a9", Hex.encode(TextType.INSTANCE.serialize("é")));
        assertEquals("0000017a169680c0",
                Hex.encode(TimestampType.INSTANCE.serialize(Instant.parse("2021-06-16T20:50:00Z"))));
    }

    @Test
    void emptyEncodingSortsFirst() {
        byte[] one = IntType.INSTANCE.serialize(Integer.MIN_VALUE);
        assertTrue(IntType.INSTANCE.compare(new byte[0], one) < 0);
        assertTrue(IntType.INSTANCE.compare(one, new byte[0]) > 0);
        assertEquals(0, IntType.INSTANCE.compare(new byte[0], new byte[0]));
    }

    @Test
    void rejectsWrongClassesAndBadBytes() {
        assertThrows(IllegalArgumentException.class, () -> IntType.INSTANCE.serialize(1L));
        assertThrows(IllegalArgumentException.class, () -> TextType.INSTANCE.serialize(null));
        assertThrows(IllegalArgumentException.class, () -> TextType.INSTANCE.serialize("\uD800"));
        assertThrows(IllegalArgumentException.class, () -> AsciiType.INSTANCE.serialize("é"));
        assertThrows(IllegalArgumentException.class, () -> BigintType.INSTANCE.deserialize(new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> TextType.INSTANCE.deserialize(new byte[] {(byte) 0xff}));
        assertThrows(IllegalArgumentException.class, () -> InetType.INSTANCE.deserialize(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> TimeuuidType.INSTANCE.serialize(UUID.randomUUID()));
        assertThrows(IllegalArgumentException.class,
                () -> TimeType.INSTANCE.deserialize(BigintType.INSTANCE.serialize(-1L)));
        assertThrows(IllegalArgumentException.class,
                () -> DateType.INSTANCE.serialize(LocalDate.ofEpochDay(-(1L << 31) - 1)));
    }

    @Test
    void blobValuesAreCopied() {
        byte[] value = {1, 2, 3};
        byte[] encoded = BlobType.INSTANCE.serialize(value);
        value[0] = 9;
        assertEquals(1, encoded[0]);
    }

    @Provide Arbitrary<String> text() { return TypeArbitraries.text(); }
    @Provide Arbitrary<String> ascii() { return TypeArbitraries.ascii(); }
    @Provide Arbitrary<BigInteger> varint() { return TypeArbitraries.varint(); }
    @Provide Arbitrary<Float> floats() { return TypeArbitraries.floats(); }
    @Provide Arbitrary<Double> doubles() { return TypeArbitraries.doubles(); }
    @Provide Arbitrary<BigDecimal> decimals() { return TypeArbitraries.decimals(); }
    @Provide Arbitrary<Instant> timestamps() { return TypeArbitraries.timestamps(); }
    @Provide Arbitrary<LocalDate> dates() { return TypeArbitraries.dates(); }
    @Provide Arbitrary<LocalTime> times() { return TypeArbitraries.times(); }
    @Provide Arbitrary<UUID> uuids() { return TypeArbitraries.uuids(); }
    @Provide Arbitrary<UUID> timeuuids() { return TypeArbitraries.timeuuids(); }
    @Provide Arbitrary<InetAddress> inets() { return TypeArbitraries.inets(); }
    @Provide Arbitrary<byte[]> blobs() { return TypeArbitraries.blobs(); }
}
