package io.sibyl.storage.data;

import io.sibyl.storage.types.CqlType;

import java.util.Comparator;
import java.util.List;

/**
 * The clustering order of one table: each clustering column compared by its type, reversed for
 * DESC columns. Orders clusterings, bounds against clusterings, and bounds against each other.
 * The static clustering sorts before every other clustering.
 */
public final class ClusteringComparator implements Comparator<Clustering> {

    private final List<CqlType> types;
    private final boolean[] reversed;

    public ClusteringComparator(List<CqlType> types, List<Boolean> reversed) {
        if (types.size() != reversed.size()) {
            throw new IllegalArgumentException("one reversed flag per clustering column");
        }
        this.types = List.copyOf(types);
        this.reversed = new boolean[reversed.size()];
        for (int i = 0; i < this.reversed.length; i++) {
            this.reversed[i] = reversed.get(i);
        }
    }

    public int size() {
        return types.size();
    }

    public List<CqlType> types() {
        return types;
    }

    public boolean isReversed(int i) {
        return reversed[i];
    }

    /** Compares the values of clustering column {@code i} in clustering order. */
    public int compareComponent(int i, byte[] a, byte[] b) {
        int c = types.get(i).compare(a, b);
        return reversed[i] ? -c : c;
    }

    @Override
    public int compare(Clustering a, Clustering b) {
        if (a.isStatic() || b.isStatic()) {
            return Boolean.compare(b.isStatic(), a.isStatic());
        }
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compareComponent(i, a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Never 0: a bound sits strictly before or after every clustering. */
    public int compare(ClusteringBound bound, Clustering c) {
        if (c.isStatic()) {
            return 1;
        }
        int n = Math.min(bound.size(), c.size());
        for (int i = 0; i < n; i++) {
            int r = compareComponent(i, bound.get(i), c.get(i));
            if (r != 0) {
                return r;
            }
        }
        return bound.weight();
    }

    public int compare(Clustering c, ClusteringBound bound) {
        return -compare(bound, c);
    }

    /**
     * Orders bounds. Two starts (or two ends) compare 0 only when identical; a start and an end compare
     * 0 when they touch with no clustering between them (e.g. exclusive end p and inclusive start p).
     */
    public int compareBounds(ClusteringBound a, ClusteringBound b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int r = compareComponent(i, a.get(i), b.get(i));
            if (r != 0) {
                return r;
            }
        }
        if (a.size() == b.size()) {
            return Integer.compare(a.weight(), b.weight());
        }
        return a.size() < b.size() ? a.weight() : -b.weight();
    }

    /** Orders clusterings and bounds together (a bound never equals a clustering). */
    public int comparePrefixes(ClusteringPrefix a, ClusteringPrefix b) {
        if (a instanceof Clustering ca) {
            return b instanceof Clustering cb ? compare(ca, cb) : compare(ca, (ClusteringBound) b);
        }
        ClusteringBound ba = (ClusteringBound) a;
        return b instanceof Clustering cb ? compare(ba, cb) : compareBounds(ba, (ClusteringBound) b);
    }

    /** Validates that a clustering has one value per clustering column. */
    public void validate(Clustering c) {
        if (!c.isStatic() && c.size() != types.size()) {
            throw new IllegalArgumentException("clustering " + c + " has " + c.size() + " values, table has "
                    + types.size() + " clustering columns");
        }
    }
}
