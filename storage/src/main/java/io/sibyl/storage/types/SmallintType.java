package io.sibyl.storage.types;

import java.nio.ByteBuffer;

/** {@code smallint}: 2-byte big-endian signed integer, ordered numerically. */
public final class SmallintType extends NativeType {

    public static final SmallintType INSTANCE = new SmallintType();

    private SmallintType() {
        super("smallint", Short.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return ByteBuffer.allocate(2).putShort(cast(value, Short.class)).array();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fixedLength(bytes, 2).getShort(0);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Short.compare(BigEndian.getShort(a), BigEndian.getShort(b));
    }
}
