package io.sibyl.storage.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@code decimal}: 4-byte big-endian scale, then the unscaled value as a varint. Ordered numerically,
 * so 1.0 and 1.00 compare equal although their encodings (and Java values) differ, as in Cassandra.
 */
public final class DecimalType extends NativeType {

    public static final DecimalType INSTANCE = new DecimalType();

    private DecimalType() {
        super("decimal", BigDecimal.class);
    }

    @Override
    public byte[] serialize(Object value) {
        BigDecimal d = cast(value, BigDecimal.class);
        byte[] unscaled = d.unscaledValue().toByteArray();
        return ByteBuffer.allocate(4 + unscaled.length).putInt(d.scale()).put(unscaled).array();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        if (bytes.length < 5) {
            throw new IllegalArgumentException("Expected at least 5 bytes for type decimal but got " + bytes.length);
        }
        int scale = ByteBuffer.wrap(bytes).getInt();
        return new BigDecimal(new BigInteger(Arrays.copyOfRange(bytes, 4, bytes.length)), scale);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return ((BigDecimal) deserialize(a)).compareTo((BigDecimal) deserialize(b));
    }
}
