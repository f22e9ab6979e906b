package io.sibyl.storage.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One row (or the static row) of a partition, unfiltered: it may carry a row deletion, deleted or
 * expired cells and collection deletions, and may hold data that a newer deletion shadows (the read
 * path removes that). Immutable.
 *
 * @param clustering              the row's clustering ({@link Clustering#STATIC} for the static row)
 * @param primaryKeyLivenessInfo  the INSERT row marker, or {@link LivenessInfo#EMPTY}
 * @param deletion                the row deletion ({@code DELETE ... WHERE <full key>}), or LIVE
 * @param cells                   sorted by {@link Cell#ORDER}, at most one per (column, path)
 * @param complexDeletions        per multi-cell collection column, a deletion of all its elements up to a
 *                                timestamp (written when a collection is overwritten or deleted as a whole)
 */
public record Row(Clustering clustering, LivenessInfo primaryKeyLivenessInfo, DeletionTime deletion,
                  List<Cell> cells, Map<String, DeletionTime> complexDeletions) {

    public Row {
        Objects.requireNonNull(clustering, "clustering");
        Objects.requireNonNull(primaryKeyLivenessInfo, "primaryKeyLivenessInfo");
        Objects.requireNonNull(deletion, "deletion");
        cells = List.copyOf(cells);
        for (int i = 1; i < cells.size(); i++) {
            if (Cell.ORDER.compare(cells.get(i - 1), cells.get(i)) >= 0) {
                throw new IllegalArgumentException("cells must be sorted and unique: " + cells);
            }
        }
        complexDeletions = sortedNonLive(complexDeletions);
    }

    /**
     * The non-live deletions, sorted by column; the shared empty map when there are none (nearly every
     * row: a TreeMap, its wrapper and their views per row were ~150 bytes of each memtable row).
     */
    private static Map<String, DeletionTime> sortedNonLive(Map<String, DeletionTime> given) {
        if (given.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, DeletionTime> cd = new TreeMap<>();
        given.forEach((k, v) -> {
            if (!v.isLive()) {
                cd.put(k, v);
            }
        });
        return cd.isEmpty() ? Map.of() : Collections.unmodifiableMap(cd);
    }

    public static Row empty(Clustering clustering) {
        return new Row(clustering, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(), Map.of());
    }

    /** A row from cells in any order; cells for the same (column, path) are reconciled. */
    public static Row of(Clustering clustering, LivenessInfo liveness, DeletionTime deletion, List<Cell> cells,
                         Map<String, DeletionTime> complexDeletions) {
        List<Cell> sorted = new ArrayList<>(cells);
        sorted.sort(Cell.ORDER);
        List<Cell> unique = new ArrayList<>(sorted.size());
        for (Cell c : sorted) {
            int last = unique.size() - 1;
            if (last >= 0 && unique.get(last).sameSlot(c)) {
                unique.set(last, Reconciler.reconcile(unique.get(last), c));
            } else {
                unique.add(c);
            }
        }
        return new Row(clustering, liveness, deletion, unique, complexDeletions);
    }

    public boolean isStatic() {
        return clustering.isStatic();
    }

    /** Nothing at all: no marker, no deletion, no cells. */
    public boolean isEmpty() {
        return primaryKeyLivenessInfo.isEmpty() && deletion.isLive() && cells.isEmpty() && complexDeletions.isEmpty();
    }

    /** The row exists at {@code nowInSec}: its marker or some cell is live (Cassandra's hasLiveData). */
    public boolean hasLiveData(int nowInSec) {
        if (primaryKeyLivenessInfo.isLive(nowInSec)) {
            return true;
        }
        for (Cell c : cells) {
            if (c.isLive(nowInSec)) {
                return true;
            }
        }
        return false;
    }

    /** The cell of a simple column, or null. */
    public Cell cell(String column) {
        for (Cell c : cells) {
            if (c.column().equals(column) && c.path() == null) {
                return c;
            }
        }
        return null;
    }

    /** All cells of one column (the elements of a collection), in path byte order. */
    public List<Cell> cells(String column) {
        List<Cell> out = new ArrayList<>();
        for (Cell c : cells) {
            if (c.column().equals(column)) {
                out.add(c);
            }
        }
        return out;
    }

    public long maxTimestamp() {
        // Indexed loops, and no iterator over the (nearly always empty) deletions: on every write's path,
        // iterators the JIT did not scalar-replace were a measurable share of the garbage per request.
        long max = Math.max(primaryKeyLivenessInfo.timestamp(), deletion.markedForDeleteAt());
        for (int i = 0, n = cells.size(); i < n; i++) {
            max = Math.max(max, cells.get(i).timestamp());
        }
        if (!complexDeletions.isEmpty()) {
            for (DeletionTime d : complexDeletions.values()) {
                max = Math.max(max, d.markedForDeleteAt());
            }
        }
        return max;
    }

    public long minTimestamp() {
        long min = Long.MAX_VALUE;
        if (!primaryKeyLivenessInfo.isEmpty()) {
            min = primaryKeyLivenessInfo.timestamp();
        }
        if (!deletion.isLive()) {
            min = Math.min(min, deletion.markedForDeleteAt());
        }
        for (int i = 0, n = cells.size(); i < n; i++) {
            min = Math.min(min, cells.get(i).timestamp());
        }
        if (!complexDeletions.isEmpty()) {
            for (DeletionTime d : complexDeletions.values()) {
                min = Math.min(min, d.markedForDeleteAt());
            }
        }
        return min;
    }

    /** An estimate of the bytes this row holds, for memtable flush thresholds. */
    public long dataSize() {
        long size = 32 + clustering.dataSize();
        for (int i = 0, n = cells.size(); i < n; i++) {
            size += cells.get(i).dataSize();
        }
        if (!complexDeletions.isEmpty()) {
            for (String k : complexDeletions.keySet()) {
                size += k.length() + 12;
            }
        }
        return size;
    }
}
