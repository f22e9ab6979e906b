package io.sibyl.storage.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of Java values per CQL type, biased towards the edges where encodings go wrong. */
final class TypeArbitraries {

    private TypeArbitraries() {
    }

    /** Any Unicode text without lone surrogates, mostly short, often ASCII, sometimes emoji. */
    static Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0, 0x7f)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(20).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    static Arbitrary<String> ascii() {
        return Arbitraries.strings().ascii().ofMaxLength(20);
    }

    static Arbitrary<BigInteger> varint() {
        BigInteger big = BigInteger.TWO.pow(130);
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(big.negate(), big),
                Arbitraries.longs().map(BigInteger::valueOf),
                Arbitraries.integers().between(-300, 300).map(BigInteger::valueOf));
    }

    static Arbitrary<Float> floats() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(Float::intBitsToFloat),
                Arbitraries.floats(),
                Arbitraries.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                        Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f));
    }

    static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.doubles(),
                Arbitraries.of(0d, -0d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1d, -1d));
    }

    static Arbitrary<BigDecimal> decimals() {
        return Combinators.combine(varint(), Arbitraries.integers().between(-40, 40))
                .as(BigDecimal::new);
    }

    static Arbitrary<Instant> timestamps() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Instant::ofEpochMilli),
                Arbitraries.longs().between(-5_000_000_000_000L, 5_000_000_000_000L).map(Instant::ofEpochMilli));
    }

    static Arbitrary<java.time.LocalDate> dates() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.longs().between(DateType.EPOCH_OFFSET - 200_000, DateType.EPOCH_OFFSET + 200_000))
                .map(DateType::fromUnsignedDays);
    }

    static Arbitrary<LocalTime> times() {
        return Arbitraries.longs().between(0, LocalTime.MAX.toNanoOfDay()).map(LocalTime::ofNanoOfDay);
    }

    static Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 15))
                .as((msb, lsb, version) -> new UUID((msb & ~0xF000L) | ((long) version << 12), lsb));
    }

    static Arbitrary<UUID> timeuuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs().between(0, 3))
                // Few distinct timestamps so that ties, decided by the low half, are exercised too.
                .as((msb, lsb, smallTime) -> new UUID(
                        ((smallTime == 0 ? msb : smallTime << 32) & ~0xF000L) | 0x1000L, lsb));
    }

    static Arbitrary<InetAddress> inets() {
        return Arbitraries.oneOf(
                        Arbitraries.bytes().array(byte[].class).ofSize(4),
                        Arbitraries.bytes().array(byte[].class).ofSize(16))
                .map(bytes -> {
                    try {
                        return InetAddress.getByAddress(bytes);
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    static Arbitrary<byte[]> blobs() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    }
}
