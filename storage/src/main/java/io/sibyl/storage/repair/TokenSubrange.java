package io.sibyl.storage.repair;

import io.sibyl.storage.read.KeyRange;
import java.util.List;

/**
 * Murmur3 tokens {@code (start, end]}, Cassandra's range notation; it wraps around the ring when
 * {@code start >= end}, and {@code start == end} is the whole ring.
 */
public record TokenSubrange(long start, long end) {

    /** The number of tokens in the range as an unsigned 64-bit value; 0 stands for the whole ring (2^64). */
    public long width() {
        return end - start;
    }

    public boolean isWholeRing() {
        return start == end;
    }

    public boolean contains(long token) {
        if (isWholeRing()) {
            return true;
        }
        long offset = token - start;
        return offset != 0 && Long.compareUnsigned(offset, width()) <= 0;
    }

    /** The scans covering exactly this range, in ring order from {@code start}. */
    public List<KeyRange> keyRanges() {
        return KeyRange.tokensWrapping(start, end);
    }

    @Override
    public String toString() {
        return "(" + start + ", " + end + "]";
    }
}
