package io.sibyl.storage.types;

import java.nio.ByteBuffer;

/** {@code tinyint}: one signed byte, ordered numerically. */
public final class TinyintType extends NativeType {

    public static final TinyintType INSTANCE = new TinyintType();

    private TinyintType() {
        super("tinyint", Byte.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return ByteBuffer.allocate(1).put(cast(value, Byte.class)).array();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fixedLength(bytes, 1).get(0);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Byte.compare(a[0], b[0]);
    }
}
