package io.sibyl.storage.types;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * {@code timeuuid}: a version-1 UUID's 16 bytes. Ordered as Cassandra's TimeUUIDType: by the 60-bit
 * timestamp, then by the last 8 bytes compared as <em>signed</em> bytes (a Cassandra compatibility quirk
 * that {@link TimeUUIDs#minFor}/{@link TimeUUIDs#maxFor} rely on).
 */
public final class TimeuuidType extends NativeType {

    public static final TimeuuidType INSTANCE = new TimeuuidType();

    private TimeuuidType() {
        super("timeuuid", UUID.class);
    }

    @Override
    public byte[] serialize(Object value) {
        UUID uuid = cast(value, UUID.class);
        if (uuid.version() != 1) {
            throw new IllegalArgumentException("Expected a version 1 UUID for type timeuuid but got version "
                    + uuid.version());
        }
        return UuidType.toBytes(uuid);
    }

    @Override
    public Object deserialize(byte[] bytes) {
        ByteBuffer buf = fixedLength(bytes, 16);
        UUID uuid = new UUID(buf.getLong(), buf.getLong());
        if (uuid.version() != 1) {
            throw new IllegalArgumentException("Expected a version 1 UUID for type timeuuid but got version "
                    + uuid.version());
        }
        return uuid;
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        ByteBuffer left = fixedLength(a, 16);
        ByteBuffer right = fixedLength(b, 16);
        int c = Long.compare(reorderTimestampBytes(left.getLong()), reorderTimestampBytes(right.getLong()));
        if (c != 0) {
            return c;
        }
        // Flipping the sign bit of bytes 2..8 turns a signed per-byte comparison into one long comparison.
        return Long.compare(left.getLong() ^ 0x0080808080808080L, right.getLong() ^ 0x0080808080808080L);
    }

    /** Moves time_hi (with the version nibble) to the top so the long orders by timestamp. */
    static long reorderTimestampBytes(long msb) {
        return (msb << 48) | ((msb << 16) & 0xFFFF00000000L) | (msb >>> 32);
    }
}
