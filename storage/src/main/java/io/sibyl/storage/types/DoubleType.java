package io.sibyl.storage.types;

import java.nio.ByteBuffer;

/** {@code double}: IEEE-754 double, big-endian; ordered as {@link Double#compare} (as Cassandra: -0.0 before 0.0, NaN last). */
public final class DoubleType extends NativeType {

    public static final DoubleType INSTANCE = new DoubleType();

    private DoubleType() {
        super("double", Double.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return ByteBuffer.allocate(8).putDouble(cast(value, Double.class)).array();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fixedLength(bytes, 8).getDouble(0);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Double.compare(ByteBuffer.wrap(a).getDouble(), ByteBuffer.wrap(b).getDouble());
    }
}
