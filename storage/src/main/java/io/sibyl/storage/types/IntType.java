package io.sibyl.storage.types;

import java.nio.ByteBuffer;

/** {@code int}: 4-byte big-endian signed integer, ordered numerically. */
public final class IntType extends NativeType {

    public static final IntType INSTANCE = new IntType();

    private IntType() {
        super("int", Integer.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return ByteBuffer.allocate(4).putInt(cast(value, Integer.class)).array();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fixedLength(bytes, 4).getInt(0);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Integer.compare(BigEndian.getInt(a), BigEndian.getInt(b));
    }
}
