package io.sibyl.storage.data;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A partition key with its token. Partitions are ordered on the ring by token, and keys that share a
 * token by their unsigned bytes, so every node and every SSTable agrees on one total order.
 *
 * <p>An empty key never names a real partition (Cassandra rejects empty partition keys); a key with
 * empty bytes is used as the position just before every partition of its token (see {@code io.sibyl.storage.read.KeyRange}).
 */
public record DecoratedKey(long token, byte[] key) implements Comparable<DecoratedKey> {

    public DecoratedKey {
        if (key == null) {
            throw new IllegalArgumentException("partition key bytes must not be null");
        }
    }

    /** The position before every partition whose token is {@code token}. */
    public static DecoratedKey minKeyForToken(long token) {
        return new DecoratedKey(token, new byte[0]);
    }

    @Override
    public int compareTo(DecoratedKey o) {
        int c = Long.compare(token, o.token);
        return c != 0 ? c : Arrays.compareUnsigned(key, o.key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecoratedKey d && token == d.token && Arrays.equals(key, d.key);
    }

    /** The token is already a good hash of the key (Murmur3): hashing the bytes again would only cost time. */
    @Override
    public int hashCode() {
        return Long.hashCode(token);
    }

    @Override
    public String toString() {
        return "DecoratedKey(" + token + ", 0x" + HexFormat.of().formatHex(key) + ")";
    }
}
