package io.sibyl.storage.engine;

import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.testutil.TestTypes;

/**
 * A CQL clustering restriction on the events table (ck1 ASC, ck2 DESC), by value: either on ck1, or
 * {@code ck1 = ck1Eq} plus an optional range on ck2. The model evaluates it as a predicate; the engine
 * gets it as a {@link Slice} in clustering order, translated here the way the CQL layer must.
 */
record Restriction(Long ck1Eq, Bnd lo, Bnd hi) {

    record Bnd(long value, boolean inclusive) {
    }

    static final Restriction ALL = new Restriction(null, null, null);

    boolean matches(long ck1, long ck2) {
        if (ck1Eq != null) {
            return ck1 == ck1Eq && within(ck2);
        }
        return within(ck1);
    }

    private boolean within(long v) {
        if (lo != null && (lo.inclusive ? v < lo.value : v <= lo.value)) {
            return false;
        }
        return hi == null || (hi.inclusive ? v <= hi.value : v < hi.value);
    }

    /** The slice in clustering order; ck2 is DESC, so its value bounds swap ends. */
    Slice toSlice() {
        byte[][] prefix = ck1Eq == null ? new byte[0][] : new byte[][]{TestTypes.bigint(ck1Eq)};
        boolean reversedColumn = ck1Eq != null; // ck2 is the DESC column
        Bnd first = reversedColumn ? hi : lo;
        Bnd last = reversedColumn ? lo : hi;
        ClusteringBound start = first == null ? ClusteringBound.start(true, prefix)
                : ClusteringBound.start(first.inclusive, append(prefix, first.value));
        ClusteringBound end = last == null ? ClusteringBound.end(true, prefix)
                : ClusteringBound.end(last.inclusive, append(prefix, last.value));
        return new Slice(start, end);
    }

    private static byte[][] append(byte[][] prefix, long v) {
        byte[][] out = new byte[prefix.length + 1][];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        out[prefix.length] = TestTypes.bigint(v);
        return out;
    }

    /** One of eight restriction shapes, chosen and parameterised by small numbers. */
    static Restriction shape(int shape, long a, long b, boolean incl1, boolean incl2) {
        return switch (shape % 8) {
            case 0 -> new Restriction(a, null, null);
            case 1 -> new Restriction(a, new Bnd(b, incl1), null);
            case 2 -> new Restriction(a, null, new Bnd(b, incl1));
            case 3 -> new Restriction(a, new Bnd(Math.min(a, b), incl1), new Bnd(Math.max(a, b), incl2));
            case 4 -> new Restriction(null, new Bnd(a, incl1), null);
            case 5 -> new Restriction(null, null, new Bnd(a, incl1));
            case 6 -> new Restriction(null, new Bnd(Math.min(a, b), incl1), new Bnd(Math.max(a, b), incl2));
            default -> new Restriction(a, new Bnd(b, true), new Bnd(b, true));
        };
    }
}
