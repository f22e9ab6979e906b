package io.sibyl.storage.types;

import java.math.BigInteger;

/** {@code varint}: minimal big-endian two's complement bytes ({@link BigInteger#toByteArray}), ordered numerically. */
public final class VarintType extends NativeType {

    public static final VarintType INSTANCE = new VarintType();

    private VarintType() {
        super("varint", BigInteger.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return cast(value, BigInteger.class).toByteArray();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("Empty bytes for type varint");
        }
        return new BigInteger(bytes);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        // Decoding handles non-minimal encodings (other writers may pad with sign bytes).
        return new BigInteger(a).compareTo(new BigInteger(b));
    }
}
