package io.sibyl.storage.types;


/** {@code bigint}: 8-byte big-endian signed integer, ordered numerically. */
public final class BigintType extends NativeType {

    public static final BigintType INSTANCE = new BigintType();

    private BigintType() {
        super("bigint", Long.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return BigEndian.ofLong(cast(value, Long.class));
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fixedLength(bytes, 8).getLong(0);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Long.compare(BigEndian.getLong(a), BigEndian.getLong(b));
    }
}
