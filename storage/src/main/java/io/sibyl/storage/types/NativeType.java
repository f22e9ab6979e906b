package io.sibyl.storage.types;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Base of the non-collection types: one singleton per type, identity equality, and Cassandra's rule
 * that an empty encoding (a value some drivers send for "no value") sorts before every non-empty one.
 */
public abstract class NativeType implements CqlType {

    private final String cqlName;
    private final Class<?> javaClass;

    protected NativeType(String cqlName, Class<?> javaClass) {
        this.cqlName = cqlName;
        this.javaClass = javaClass;
    }

    @Override
    public final String cqlName() {
        return cqlName;
    }

    @Override
    public final Class<?> javaClass() {
        return javaClass;
    }

    @Override
    public final int compare(byte[] a, byte[] b) {
        if (a.length == 0 || b.length == 0) {
            return Boolean.compare(b.length == 0, a.length == 0);
        }
        return compareNonEmpty(a, b);
    }

    /** Compares two non-empty encodings. */
    protected abstract int compareNonEmpty(byte[] a, byte[] b);

    @Override
    public String toString() {
        return cqlName;
    }

    /** Casts a value to this type's Java class, with the error {@link CqlType#serialize} promises. */
    protected final <T> T cast(Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("Expected " + type.getSimpleName() + " for type " + cqlName
                    + " but got " + (value == null ? "null" : value.getClass().getName()));
        }
        return type.cast(value);
    }

    /** Checks an encoding's exact length, with the error {@link CqlType#deserialize} promises. */
    protected final ByteBuffer fixedLength(byte[] bytes, int length) {
        if (bytes.length != length) {
            throw new IllegalArgumentException("Expected " + length + " bytes for type " + cqlName
                    + " but got " + bytes.length);
        }
        return ByteBuffer.wrap(bytes);
    }

    static int compareUnsigned(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
