package io.sibyl.storage.data;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.StringJoiner;

/**
 * One end of a {@link Slice}: a prefix of the clustering (0..n values), whether it starts or ends
 * the slice, and whether rows whose clustering begins with the prefix are included. So
 * {@code ck1 = 5 AND ck2 > 3} is the slice from exclusive start (5, 3) to inclusive end (5), and the
 * empty prefix gives {@link #BOTTOM} and {@link #TOP}.
 *
 * <p>Against a clustering with the same prefix, an inclusive start and an exclusive end sort before
 * it, an exclusive start and an inclusive end after it (Cassandra's ClusteringPrefix.Kind order).
 */
public final class ClusteringBound implements ClusteringPrefix {

    public static final ClusteringBound BOTTOM = new ClusteringBound(new byte[0][], true, true);
    public static final ClusteringBound TOP = new ClusteringBound(new byte[0][], false, true);

    private final byte[][] values;
    private final boolean isStart;
    private final boolean inclusive;

    private ClusteringBound(byte[][] values, boolean isStart, boolean inclusive) {
        this.values = values;
        this.isStart = isStart;
        this.inclusive = inclusive;
    }

    public static ClusteringBound start(boolean inclusive, byte[]... prefix) {
        return new ClusteringBound(copy(prefix), true, inclusive);
    }

    public static ClusteringBound end(boolean inclusive, byte[]... prefix) {
        return new ClusteringBound(copy(prefix), false, inclusive);
    }

    /** The inclusive start bound equal to a full clustering. */
    public static ClusteringBound inclusiveStartOf(Clustering c) {
        return new ClusteringBound(values(c), true, true);
    }

    public static ClusteringBound inclusiveEndOf(Clustering c) {
        return new ClusteringBound(values(c), false, true);
    }

    public static ClusteringBound exclusiveStartOf(Clustering c) {
        return new ClusteringBound(values(c), true, false);
    }

    public static ClusteringBound exclusiveEndOf(Clustering c) {
        return new ClusteringBound(values(c), false, false);
    }

    private static byte[][] values(Clustering c) {
        byte[][] v = new byte[c.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = c.get(i);
        }
        return v;
    }

    private static byte[][] copy(byte[][] prefix) {
        byte[][] v = new byte[prefix.length][];
        for (int i = 0; i < v.length; i++) {
            if (prefix[i] == null) {
                throw new IllegalArgumentException("bound value " + i + " is null");
            }
            v[i] = prefix[i].clone();
        }
        return v;
    }

    public int size() {
        return values.length;
    }

    public byte[] get(int i) {
        return values[i];
    }

    public boolean isStart() {
        return isStart;
    }

    public boolean isEnd() {
        return !isStart;
    }

    public boolean isInclusive() {
        return inclusive;
    }

    /** True for BOTTOM and TOP: an empty prefix, which bounds nothing. */
    public boolean isUnbounded() {
        return values.length == 0;
    }

    /**
     * Where this bound sits relative to every clustering that starts with its prefix: -1 before
     * them (inclusive start, exclusive end), +1 after them (exclusive start, inclusive end).
     */
    int weight() {
        return isStart == inclusive ? -1 : 1;
    }

    /**
     * The bound that meets this one with nothing in between: the end just before an start, or the
     * start just after an end (inclusive start p ↔ exclusive end p; exclusive start p ↔ inclusive end p).
     */
    public ClusteringBound complement() {
        return new ClusteringBound(values, !isStart, !inclusive);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusteringBound b && isStart == b.isStart && inclusive == b.inclusive
                && Arrays.deepEquals(values, b.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values) * 4 + (isStart ? 2 : 0) + (inclusive ? 1 : 0);
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", isStart ? (inclusive ? "[" : "(") : "", isStart ? "" : (inclusive ? "]" : ")"));
        for (byte[] v : values) {
            j.add("0x" + HexFormat.of().formatHex(v));
        }
        return j.toString();
    }
}
