package io.sibyl.storage.data;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.StringJoiner;

/**
 * The clustering key of a row: one encoded value per clustering column. {@link #STATIC} names the
 * partition's static row; {@link #EMPTY} is the single row of a table without clustering columns.
 * Equality is on content; ordering needs the table's {@link ClusteringComparator}.
 */
public final class Clustering implements ClusteringPrefix {

    private static final byte[][] NONE = new byte[0][];

    public static final Clustering EMPTY = new Clustering(NONE, false);
    public static final Clustering STATIC = new Clustering(NONE, true);

    private final byte[][] values;
    private final boolean isStatic;

    private Clustering(byte[][] values, boolean isStatic) {
        this.values = values;
        this.isStatic = isStatic;
    }

    public static Clustering of(byte[]... values) {
        if (values.length == 0) {
            return EMPTY;
        }
        byte[][] copy = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("clustering value " + i + " is null");
            }
            copy[i] = values[i].clone();
        }
        return new Clustering(copy, false);
    }

    public int size() {
        return values.length;
    }

    /** The encoded value of clustering column {@code i}; callers must not modify it. */
    public byte[] get(int i) {
        return values[i];
    }

    public boolean isStatic() {
        return isStatic;
    }

    public int dataSize() {
        int n = 0;
        for (byte[] v : values) {
            n += v.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Clustering c && isStatic == c.isStatic && Arrays.deepEquals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values) + (isStatic ? 1 : 0);
    }

    @Override
    public String toString() {
        if (isStatic) {
            return "STATIC";
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (byte[] v : values) {
            j.add("0x" + HexFormat.of().formatHex(v));
        }
        return j.toString();
    }
}
