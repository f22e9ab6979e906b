package io.sibyl.storage.types;

import java.nio.ByteBuffer;
import java.time.LocalDate;

/**
 * {@code date}: days since the Unix epoch as an unsigned 4-byte integer whose 2^31 is 1970-01-01
 * (so an unsigned byte-wise comparison is chronological). Range: about ±5.8 million years.
 */
public final class DateType extends NativeType {

    public static final DateType INSTANCE = new DateType();

    /** The unsigned encoding of 1970-01-01. */
    public static final long EPOCH_OFFSET = 1L << 31;

    private DateType() {
        super("date", LocalDate.class);
    }

    @Override
    public byte[] serialize(Object value) {
        LocalDate date = cast(value, LocalDate.class);
        return ByteBuffer.allocate(4).putInt((int) toUnsignedDays(date)).array();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fromUnsignedDays(Integer.toUnsignedLong(fixedLength(bytes, 4).getInt()));
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return compareUnsigned(a, b);
    }

    /** The unsigned day number (2^31 = 1970-01-01); throws when the date is outside the type's range. */
    public static long toUnsignedDays(LocalDate date) {
        long unsigned = date.toEpochDay() + EPOCH_OFFSET;
        if (unsigned < 0 || unsigned > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("Date out of range for type date: " + date);
        }
        return unsigned;
    }

    public static LocalDate fromUnsignedDays(long unsignedDays) {
        if (unsignedDays < 0 || unsignedDays > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("Day number out of range for type date: " + unsignedDays);
        }
        return LocalDate.ofEpochDay(unsignedDays - EPOCH_OFFSET);
    }
}
