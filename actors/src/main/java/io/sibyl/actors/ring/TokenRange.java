package io.sibyl.actors.ring;

/**
 * The half-open token range {@code (left, right]} on the Murmur3 ring, which may wrap past
 * {@link Long#MAX_VALUE}. A range with {@code left == right} is the whole ring (a ring with a
 * single token), as in Cassandra's {@code Range<Token>}.
 */
public record TokenRange(long left, long right) {

    /** 2^64: the number of distinct long tokens. */
    private static final double RING_SIZE = 0x1p64;

    public boolean isWholeRing() {
        return left == right;
    }

    /** Whether the range passes the end of the token space and starts again at the minimum. */
    public boolean wraps() {
        return left >= right;
    }

    public boolean contains(long token) {
        if (left == right) {
            return true;
        }
        if (left < right) {
            return token > left && token <= right;
        }
        return token > left || token <= right;
    }

    /** The fraction of the ring this range covers, in (0, 1]. */
    public double fraction() {
        if (left == right) {
            return 1.0;
        }
        // Unsigned difference: the subtraction wraps modulo 2^64, which is exactly the width.
        long width = right - left;
        double w = width >= 0 ? (double) width : (double) width + RING_SIZE;
        return w / RING_SIZE;
    }

    @Override
    public String toString() {
        return "(" + left + ", " + right + "]";
    }
}
