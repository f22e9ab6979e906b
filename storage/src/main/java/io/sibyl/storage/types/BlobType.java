package io.sibyl.storage.types;

/** {@code blob}: the bytes themselves, ordered byte-wise unsigned. Values are copied in and out. */
public final class BlobType extends NativeType {

    public static final BlobType INSTANCE = new BlobType();

    private BlobType() {
        super("blob", byte[].class);
    }

    @Override
    public byte[] serialize(Object value) {
        return cast(value, byte[].class).clone();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return bytes.clone();
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return compareUnsigned(a, b);
    }
}
