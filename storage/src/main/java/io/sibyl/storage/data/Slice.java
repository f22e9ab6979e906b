package io.sibyl.storage.data;

/**
 * A range of clusterings between two bounds, in the table's clustering order (so for a DESC
 * clustering column the start bound holds the larger value). Either bound may be a prefix.
 */
public record Slice(ClusteringBound start, ClusteringBound end) {

    public static final Slice ALL = new Slice(ClusteringBound.BOTTOM, ClusteringBound.TOP);

    public Slice {
        if (!start.isStart() || !end.isEnd()) {
            throw new IllegalArgumentException("a slice needs a start bound then an end bound: " + start + ", " + end);
        }
    }

    /** The slice selecting exactly one row. */
    public static Slice of(Clustering c) {
        return new Slice(ClusteringBound.inclusiveStartOf(c), ClusteringBound.inclusiveEndOf(c));
    }

    /** All rows whose clustering starts with {@code prefix} (e.g. {@code ck1 = 5}). */
    public static Slice prefix(byte[]... prefix) {
        return new Slice(ClusteringBound.start(true, prefix), ClusteringBound.end(true, prefix));
    }

    public boolean isAll() {
        return start.isUnbounded() && end.isUnbounded();
    }

    public boolean includes(ClusteringComparator cmp, Clustering c) {
        return cmp.compare(start, c) < 0 && cmp.compare(end, c) > 0;
    }

    /** True if no clustering can fall inside (start at or after end). */
    public boolean isEmpty(ClusteringComparator cmp) {
        return cmp.compareBounds(start, end) >= 0;
    }

    /** True if some clustering could lie in both slices. */
    public boolean intersects(ClusteringComparator cmp, Slice other) {
        return cmp.compareBounds(start, other.end) < 0 && cmp.compareBounds(other.start, end) < 0;
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }
}
