package io.sibyl.storage.types;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * {@code uuid}: the 16 bytes (most significant long first). Ordered as Cassandra's UUIDType: by version
 * first; version-1 UUIDs then by their timestamp; others by the most significant long unsigned; ties by
 * the least significant long unsigned.
 */
public final class UuidType extends NativeType {

    public static final UuidType INSTANCE = new UuidType();

    private UuidType() {
        super("uuid", UUID.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return toBytes(cast(value, UUID.class));
    }

    @Override
    public Object deserialize(byte[] bytes) {
        ByteBuffer buf = fixedLength(bytes, 16);
        return new UUID(buf.getLong(), buf.getLong());
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        ByteBuffer left = fixedLength(a, 16);
        ByteBuffer right = fixedLength(b, 16);
        long msb1 = left.getLong();
        long msb2 = right.getLong();
        int version1 = (int) ((msb1 >>> 12) & 0xf);
        int version2 = (int) ((msb2 >>> 12) & 0xf);
        if (version1 != version2) {
            return version1 - version2;
        }
        int c = version1 == 1
                ? Long.compare(TimeuuidType.reorderTimestampBytes(msb1), TimeuuidType.reorderTimestampBytes(msb2))
                : Long.compareUnsigned(msb1, msb2);
        return c != 0 ? c : Long.compareUnsigned(left.getLong(), right.getLong());
    }

    static byte[] toBytes(UUID uuid) {
        return ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
    }
}
