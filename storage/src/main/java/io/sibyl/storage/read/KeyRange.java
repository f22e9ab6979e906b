package io.sibyl.storage.read;

import io.sibyl.storage.data.DecoratedKey;

import java.util.List;

/**
 * A range of partitions in ring order, never wrapping. Bounds are positions: a real key, or the
 * position just before every key of a token ({@link DecoratedKey#minKeyForToken}). Token ranges are
 * Cassandra's {@code token(pk) > a AND token(pk) <= b}; {@code b == Long.MIN_VALUE} means "to the end
 * of the ring" (Murmur3 never yields MIN_VALUE), so (MIN, MIN] is the whole ring.
 *
 * @param start          the lower bound
 * @param startInclusive whether a key equal to {@code start} is in the range
 * @param end            the upper bound, null for the end of the ring
 * @param endInclusive   whether a key equal to {@code end} is in the range
 */
public record KeyRange(DecoratedKey start, boolean startInclusive, DecoratedKey end, boolean endInclusive) {

    public static KeyRange all() {
        return new KeyRange(DecoratedKey.minKeyForToken(Long.MIN_VALUE), true, null, false);
    }

    /** {@code token(pk) > startExclusive AND token(pk) <= endInclusive}; must not wrap. */
    public static KeyRange tokens(long startExclusive, long endInclusive) {
        if (endInclusive != Long.MIN_VALUE && startExclusive >= endInclusive) {
            throw new IllegalArgumentException("token range (" + startExclusive + ", " + endInclusive
                    + "] wraps or is empty; split it with tokensWrapping");
        }
        if (startExclusive == Long.MAX_VALUE) { // nothing lies after the last token
            DecoratedKey last = DecoratedKey.minKeyForToken(Long.MAX_VALUE);
            return new KeyRange(last, false, last, false);
        }
        return new KeyRange(DecoratedKey.minKeyForToken(startExclusive + 1), true, endAfterToken(endInclusive), false);
    }

    /** A token range that may wrap around the ring, split into non-wrapping ranges. */
    public static List<KeyRange> tokensWrapping(long startExclusive, long endInclusive) {
        if (endInclusive == Long.MIN_VALUE || startExclusive < endInclusive) {
            return List.of(tokens(startExclusive, endInclusive));
        }
        if (startExclusive == endInclusive) {
            return List.of(all()); // (a, a] is Cassandra's whole ring
        }
        return List.of(tokens(startExclusive, Long.MIN_VALUE), tokens(Long.MIN_VALUE, endInclusive));
    }

    /** From a key (for paging: exclusive of the last key returned) up to and including a token. */
    public static KeyRange fromKey(DecoratedKey key, boolean inclusive, long endTokenInclusive) {
        return new KeyRange(key, inclusive, endAfterToken(endTokenInclusive), false);
    }

    private static DecoratedKey endAfterToken(long endInclusive) {
        return endInclusive == Long.MIN_VALUE || endInclusive == Long.MAX_VALUE
                ? null : DecoratedKey.minKeyForToken(endInclusive + 1);
    }

    public boolean contains(DecoratedKey key) {
        int s = key.compareTo(start);
        if (s < 0 || (s == 0 && !startInclusive)) {
            return false;
        }
        if (end == null) {
            return true;
        }
        int e = key.compareTo(end);
        return e < 0 || (e == 0 && endInclusive);
    }

    /** True if no key can be in the range. */
    public boolean isEmpty() {
        if (end == null) {
            return false;
        }
        int c = start.compareTo(end);
        return c > 0 || (c == 0 && !(startInclusive && endInclusive));
    }
}
