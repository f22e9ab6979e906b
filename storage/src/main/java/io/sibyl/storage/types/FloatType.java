package io.sibyl.storage.types;

import java.nio.ByteBuffer;

/** {@code float}: IEEE-754 single, big-endian; ordered as {@link Float#compare} (as Cassandra: -0.0 before 0.0, NaN last). */
public final class FloatType extends NativeType {

    public static final FloatType INSTANCE = new FloatType();

    private FloatType() {
        super("float", Float.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return ByteBuffer.allocate(4).putFloat(cast(value, Float.class)).array();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fixedLength(bytes, 4).getFloat(0);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Float.compare(Float.intBitsToFloat(BigEndian.getInt(a)), Float.intBitsToFloat(BigEndian.getInt(b)));
    }
}
