package io.sibyl.actors.repair;

import io.sibyl.actors.ring.TokenRange;
import io.sibyl.storage.repair.TokenSubrange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token ranges a session compares: this node's ring ranges, cut to the requested subrange and
 * split where they wrap, so every piece is a non-wrapping {@code (start, end]} with {@code start < end}
 * that lies inside one ring range (one replica set).
 */
public final class RepairRanges {

    private RepairRanges() {
    }

    public static List<TokenSubrange> pieces(List<TokenRange> owned, Optional<TokenSubrange> within) {
        List<TokenSubrange> out = new ArrayList<>();
        for (TokenRange r : owned) {
            for (TokenSubrange a : unwrap(r.left(), r.right())) {
                if (within.isEmpty()) {
                    out.add(a);
                    continue;
                }
                for (TokenSubrange b : unwrap(within.get().start(), within.get().end())) {
                    long lo = Math.max(a.start(), b.start());
                    long hi = Math.min(a.end(), b.end());
                    if (lo < hi) {
                        out.add(new TokenSubrange(lo, hi));
                    }
                }
            }
        }
        return out;
    }

    /** {@code (left, right]} as non-wrapping pieces; {@code left == right} is the whole ring. */
    static List<TokenSubrange> unwrap(long left, long right) {
        if (left < right) {
            return List.of(new TokenSubrange(left, right));
        }
        List<TokenSubrange> out = new ArrayList<>(2);
        if (left != Long.MAX_VALUE) {
            out.add(new TokenSubrange(left, Long.MAX_VALUE));
        }
        if (right != Long.MIN_VALUE) {
            out.add(new TokenSubrange(Long.MIN_VALUE, right));
        }
        return out;
    }

    /**
     * A tree depth for a range expected to hold {@code partitions} partitions: about one partition a
     * leaf, at most {@code maxDepth}, and never more leaves than the range has tokens.
     */
    public static int depth(TokenSubrange range, long partitions, int maxDepth) {
        long p = Math.max(1, partitions);
        int d = 64 - Long.numberOfLeadingZeros(p - 1); // ceil(log2(p))
        d = Math.min(d, maxDepth);
        while (d > 0 && !range.isWholeRing() && Long.compareUnsigned(range.width(), 1L << d) < 0) {
            d--;
        }
        return d;
    }

    /** The share of the ring's partitions expected in {@code range}, from a table's total. */
    public static long partitionsIn(TokenSubrange range, long total) {
        double fraction = range.isWholeRing() ? 1.0 : unsigned(range.width()) / 0x1p64;
        return (long) Math.ceil(total * fraction);
    }

    private static double unsigned(long v) {
        return v >= 0 ? (double) v : (double) v + 0x1p64;
    }
}
