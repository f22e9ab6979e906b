package io.sibyl.storage.types;

import java.nio.ByteBuffer;
import java.time.LocalTime;

/** {@code time}: nanoseconds since midnight as an 8-byte signed long (0 to 86399999999999), ordered numerically. */
public final class TimeType extends NativeType {

    public static final TimeType INSTANCE = new TimeType();

    private TimeType() {
        super("time", LocalTime.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return ByteBuffer.allocate(8).putLong(cast(value, LocalTime.class).toNanoOfDay()).array();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        long nanos = fixedLength(bytes, 8).getLong();
        if (nanos < 0 || nanos > LocalTime.MAX.toNanoOfDay()) {
            throw new IllegalArgumentException("Nanosecond of day out of range for type time: " + nanos);
        }
        return LocalTime.ofNanoOfDay(nanos);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Long.compare(BigEndian.getLong(a), BigEndian.getLong(b));
    }
}
