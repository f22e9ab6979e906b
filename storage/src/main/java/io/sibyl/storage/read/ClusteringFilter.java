package io.sibyl.storage.read;

import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.Slice;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which rows of a partition a read wants: slices in clustering order, whether to return them in
 * reverse order ({@code ORDER BY} against the clustering order), and optionally which non-key columns to
 * return (null: all). Row existence is always judged on all columns, as in CQL; the column
 * selection only trims what the filtered view returns.
 */
public record ClusteringFilter(List<Slice> slices, boolean reversed, Set<String> columns) {

    public static final ClusteringFilter ALL = new ClusteringFilter(List.of(Slice.ALL), false, null);

    public ClusteringFilter {
        slices = List.copyOf(slices);
        columns = columns == null ? null : Set.copyOf(columns);
    }

    public static ClusteringFilter slices(List<Slice> slices, boolean reversed) {
        return new ClusteringFilter(slices, reversed, null);
    }

    public static ClusteringFilter slice(Slice slice) {
        return new ClusteringFilter(List.of(slice), false, null);
    }

    public static ClusteringFilter row(Clustering clustering) {
        return slice(Slice.of(clustering));
    }

    public ClusteringFilter withReversed(boolean reversed) {
        return new ClusteringFilter(slices, reversed, columns);
    }

    public ClusteringFilter withColumns(Set<String> columns) {
        return new ClusteringFilter(slices, reversed, columns);
    }

    /**
     * No restriction on clustering: the whole partition (then a static-only partition yields a row).
     * Judged on the query as written, as Cassandra does: slices that happen to cover everything still
     * restrict. Sources normalize slices themselves ({@link #normalizedSlices}).
     */
    public boolean selectsFullPartition() {
        return slices.size() == 1 && slices.get(0).isAll();
    }

    public boolean selects(String column) {
        return columns == null || columns.contains(column);
    }

    /** The slices sorted, empty ones dropped, overlapping or touching ones joined. */
    public List<Slice> normalizedSlices(ClusteringComparator cmp) {
        List<Slice> sorted = new ArrayList<>();
        for (Slice s : slices) {
            if (!s.isEmpty(cmp)) {
                sorted.add(s);
            }
        }
        sorted.sort((a, b) -> cmp.compareBounds(a.start(), b.start()));
        List<Slice> out = new ArrayList<>(sorted.size());
        for (Slice s : sorted) {
            int last = out.size() - 1;
            if (last >= 0 && cmp.compareBounds(out.get(last).end(), s.start()) >= 0) {
                Slice prev = out.get(last);
                out.set(last, new Slice(prev.start(),
                        cmp.compareBounds(prev.end(), s.end()) >= 0 ? prev.end() : s.end()));
            } else {
                out.add(s);
            }
        }
        return out;
    }
}
