package io.sibyl.storage.types;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version-1 (time-based) UUIDs as Cassandra's {@code now()} makes them: a 60-bit count of 100 ns
 * intervals since 1582-10-15, and a clock sequence and node fixed (random) for the process.
 * {@link #next()} is strictly increasing within the process, so list cell paths made from it sort in
 * insertion order.
 */
public final class TimeUUIDs {

    /** 100 ns intervals between 1582-10-15 (the UUID epoch) and 1970-01-01. */
    private static final long UUID_EPOCH_OFFSET = 0x01b21dd213814000L;
    /** Cassandra's minTimeuuid/maxTimeuuid low halves: the extreme values under a signed per-byte order. */
    private static final long MIN_CLOCK_SEQ_AND_NODE = 0x8080808080808080L;
    private static final long MAX_CLOCK_SEQ_AND_NODE = 0x7f7f7f7f7f7f7f7fL;

    private static final long CLOCK_SEQ_AND_NODE = randomClockSeqAndNode();
    private static final AtomicLong LAST_TIMESTAMP = new AtomicLong();

    private TimeUUIDs() {
    }

    /** A new version-1 UUID, greater (in {@link TimeuuidType} order) than every earlier one of this process. */
    public static UUID next() {
        long now = System.currentTimeMillis() * 10_000 + UUID_EPOCH_OFFSET;
        // Within one millisecond (or if the clock steps back) keep counting 100 ns ticks past the last one.
        long ts = LAST_TIMESTAMP.updateAndGet(last -> Math.max(last + 1, now));
        return new UUID(msbFor(ts), CLOCK_SEQ_AND_NODE);
    }

    /** The Unix epoch milliseconds a version-1 UUID was made at; throws for another version. */
    public static long unixMillis(UUID uuid) {
        return Math.floorDiv(uuid.timestamp() - UUID_EPOCH_OFFSET, 10_000);
    }

    /** The smallest timeuuid of that millisecond (Cassandra's {@code minTimeuuid}). */
    public static UUID minFor(long unixMillis) {
        return new UUID(msbFor(unixMillis * 10_000 + UUID_EPOCH_OFFSET), MIN_CLOCK_SEQ_AND_NODE);
    }

    /** The greatest timeuuid of that millisecond (Cassandra's {@code maxTimeuuid}). */
    public static UUID maxFor(long unixMillis) {
        return new UUID(msbFor(unixMillis * 10_000 + UUID_EPOCH_OFFSET + 9_999), MAX_CLOCK_SEQ_AND_NODE);
    }

    /** A version-1 UUID for a 60-bit timestamp (100 ns since 1582-10-15) and a given low half. */
    public static UUID of(long uuidTimestamp, long clockSeqAndNode) {
        return new UUID(msbFor(uuidTimestamp), clockSeqAndNode);
    }

    private static long msbFor(long ts) {
        return (ts << 32)                       // time_low
                | ((ts >>> 16) & 0xFFFF0000L)   // time_mid
                | 0x1000L                       // version 1
                | ((ts >>> 48) & 0x0FFFL);      // time_hi
    }

    private static long randomClockSeqAndNode() {
        long random = new SecureRandom().nextLong();
        // IETF variant (10), and the multicast bit set in the node as RFC 4122 asks for random nodes.
        return (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L | 0x0000010000000000L;
    }
}
