package io.sibyl.storage.types;


/** {@code double}: IEEE-754 double, big-endian; ordered as {@link Double#compare} (as Cassandra: -0.0 before 0.0, NaN last). */
public final class DoubleType extends NativeType {

    public static final DoubleType INSTANCE = new DoubleType();

    private DoubleType() {
        super("double", Double.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return BigEndian.ofLong(Double.doubleToRawLongBits(cast(value, Double.class)));
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fixedLength(bytes, 8).getDouble(0);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Double.compare(Double.longBitsToDouble(BigEndian.getLong(a)), Double.longBitsToDouble(BigEndian.getLong(b)));
    }
}
