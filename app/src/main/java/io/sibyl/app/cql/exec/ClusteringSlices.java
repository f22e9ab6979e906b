package io.sibyl.app.cql.exec;

import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.Slice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Slice arithmetic for clustering restrictions: one bounded column after an equal prefix, the
 * intersection of slice sets (for {@code (a, b) > (x, y) AND (a, b) < (z, w)} and for paging), and
 * "everything after this row" for resuming a page.
 */
final class ClusteringSlices {

    /** One column compared with a value after an equal prefix: {@code c > v}, {@code c <= v}. */
    record Bound(byte[] value, boolean inclusive) {}

    private ClusteringSlices() {
    }

    /**
     * The rows starting with {@code prefix} whose next column (position prefix.length) lies between
     * lower and upper (each may be null), in clustering order: a DESC column swaps the ends.
     */
    static Slice slice(byte[][] prefix, Bound lower, Bound upper, boolean columnReversed) {
        Bound first = columnReversed ? upper : lower;
        Bound last = columnReversed ? lower : upper;
        ClusteringBound start = first == null
                ? ClusteringBound.start(true, prefix)
                : ClusteringBound.start(first.inclusive(), append(prefix, first.value()));
        ClusteringBound end = last == null
                ? ClusteringBound.end(true, prefix)
                : ClusteringBound.end(last.inclusive(), append(prefix, last.value()));
        return new Slice(start, end);
    }

    static byte[][] append(byte[][] prefix, byte[] value) {
        byte[][] out = Arrays.copyOf(prefix, prefix.length + 1);
        out[prefix.length] = value;
        return out;
    }

    /** The clusterings in both slice sets, normalized (sorted, disjoint, none empty). */
    static List<Slice> intersect(List<Slice> a, List<Slice> b, ClusteringComparator cmp) {
        List<Slice> out = new ArrayList<>();
        for (Slice x : a) {
            for (Slice y : b) {
                ClusteringBound start = cmp.compareBounds(x.start(), y.start()) >= 0 ? x.start() : y.start();
                ClusteringBound end = cmp.compareBounds(x.end(), y.end()) <= 0 ? x.end() : y.end();
                Slice s = new Slice(start, end);
                if (!s.isEmpty(cmp)) {
                    out.add(s);
                }
            }
        }
        return normalize(out, cmp);
    }

    static List<Slice> normalize(List<Slice> slices, ClusteringComparator cmp) {
        return new io.sibyl.storage.read.ClusteringFilter(slices, false, null).normalizedSlices(cmp);
    }

    /** The part of {@code slices} a page that stopped at {@code last} still has to read. */
    static List<Slice> after(List<Slice> slices, Clustering last, boolean reversed, ClusteringComparator cmp) {
        Slice rest = reversed
                ? new Slice(ClusteringBound.BOTTOM, ClusteringBound.exclusiveEndOf(last))
                : new Slice(ClusteringBound.exclusiveStartOf(last), ClusteringBound.TOP);
        return intersect(slices, List.of(rest), cmp);
    }
}
