package io.sibyl.storage.token;

/**
 * Cassandra's Murmur3Partitioner: a partition key's token is the first long of MurmurHash3_x64_128
 * (seed 0) of its serialized bytes, with Long.MIN_VALUE moved to Long.MAX_VALUE because MIN_TOKEN is
 * reserved as the ring's "before everything" bound. Serialize keys with {@link PartitionKeys}.
 */
public final class Murmur3Partitioner {

    /** The minimum token: no key has it; it bounds the ring (and is the token of the empty key). */
    public static final long MIN_TOKEN = Long.MIN_VALUE;
    public static final long MAX_TOKEN = Long.MAX_VALUE;

    private Murmur3Partitioner() {
    }

    /** The token of a serialized partition key (the bytes Cassandra hashes). */
    public static long token(byte[] serializedKey) {
        if (serializedKey.length == 0) {
            return MIN_TOKEN;
        }
        long h1 = MurmurHash3.hash3x64_128(serializedKey, 0, serializedKey.length, 0)[0];
        return h1 == Long.MIN_VALUE ? Long.MAX_VALUE : h1;
    }
}
