package io.sibyl.storage.types;

import java.time.Instant;

/**
 * {@code timestamp}: milliseconds since the Unix epoch as an 8-byte signed long, ordered numerically.
 * Sub-millisecond parts of an {@link Instant} are truncated (CQL timestamps have millisecond precision).
 */
public final class TimestampType extends NativeType {

    public static final TimestampType INSTANCE = new TimestampType();

    private TimestampType() {
        super("timestamp", Instant.class);
    }

    @Override
    public byte[] serialize(Object value) {
        Instant instant = cast(value, Instant.class);
        try {
            return BigEndian.ofLong(instant.toEpochMilli());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Timestamp out of range: " + instant);
        }
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return Instant.ofEpochMilli(fixedLength(bytes, 8).getLong());
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Long.compare(BigEndian.getLong(a), BigEndian.getLong(b));
    }
}
