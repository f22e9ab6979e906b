package io.sibyl.storage.types;

/** {@code boolean}: one byte, 0 is false and anything else true (as Cassandra reads it); false sorts first. */
public final class BooleanType extends NativeType {

    public static final BooleanType INSTANCE = new BooleanType();

    private BooleanType() {
        super("boolean", Boolean.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return new byte[] {(byte) (cast(value, Boolean.class) ? 1 : 0)};
    }

    @Override
    public Object deserialize(byte[] bytes) {
        return fixedLength(bytes, 1).get(0) != 0;
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return Integer.compare(a[0] == 0 ? 0 : 1, b[0] == 0 ? 0 : 1);
    }
}
