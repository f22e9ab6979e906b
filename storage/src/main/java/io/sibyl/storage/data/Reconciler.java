package io.sibyl.storage.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cassandra's last-write-wins rules, in one place. Every replica, memtable and compaction must pick
 * the same winner for the same inputs whatever order they arrive in, or replicas would never agree
 * and read repair would loop; so every rule here is a total order (commutative and associative).
 */
public final class Reconciler {

    private Reconciler() {
    }

    /**
     * The winner of two cells for the same (column, path), mirroring Cassandra's Cells.reconcile
     * (after CASSANDRA-14592):
     * <ol>
     *   <li>the higher timestamp wins;</li>
     *   <li>on equal timestamps, a cell with a deletion time (tombstone or expiring) beats a plain live
     *       cell — an expiring cell will become a tombstone, and the answer must not depend on the
     *       clock at the moment of reconciling;</li>
     *   <li>between a tombstone and an expiring cell, the tombstone wins;</li>
     *   <li>between two tombstones or two expiring cells, the later local deletion time wins;</li>
     *   <li>otherwise the greater value (unsigned bytes) wins.</li>
     * </ol>
     * Cassandra stops there (returning the left cell on a full tie); we add the larger ttl as a last
     * tie-break so that reconcile is order-independent even for cells that differ only in ttl.
     */
    public static Cell reconcile(Cell a, Cell b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp() ? a : b;
        }
        boolean aHasDeletionTime = a.localDeletionTime() != Cell.NO_DELETION_TIME;
        boolean bHasDeletionTime = b.localDeletionTime() != Cell.NO_DELETION_TIME;
        if (aHasDeletionTime || bHasDeletionTime) {
            if (aHasDeletionTime != bHasDeletionTime) {
                return aHasDeletionTime ? a : b;
            }
            boolean aTombstone = !a.isExpiring();
            boolean bTombstone = !b.isExpiring();
            if (aTombstone != bTombstone) {
                return aTombstone ? a : b;
            }
            if (a.localDeletionTime() != b.localDeletionTime()) {
                return a.localDeletionTime() > b.localDeletionTime() ? a : b;
            }
        }
        int c = compareValues(a.value(), b.value());
        if (c != 0) {
            return c > 0 ? a : b;
        }
        return a.ttl() >= b.ttl() ? a : b;
    }

    private static int compareValues(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a == null ? new byte[0] : a, b == null ? new byte[0] : b);
    }

    /**
     * The winner of two row markers, as Cassandra's LivenessInfo.supersedes: higher timestamp; then an
     * expiring marker over a non-expiring one; then the later expiration (and, our addition, the
     * larger ttl) so the choice is order-independent.
     */
    public static LivenessInfo reconcile(LivenessInfo a, LivenessInfo b) {
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp() ? a : b;
        }
        if (a.isExpiring() != b.isExpiring()) {
            return a.isExpiring() ? a : b;
        }
        if (a.localExpirationTime() != b.localExpirationTime()) {
            return a.localExpirationTime() > b.localExpirationTime() ? a : b;
        }
        return a.ttl() >= b.ttl() ? a : b;
    }

    /**
     * Merges two versions of the same row: the newer marker, the later deletion, per-collection the
     * later complex deletion, per (column, path) the winning cell; data the merged row's own deletions
     * shadow is dropped at once (it can never come back, as deletions only grow).
     */
    public static Row merge(Row a, Row b) {
        if (!a.clustering().equals(b.clustering())) {
            throw new IllegalArgumentException("cannot merge rows " + a.clustering() + " and " + b.clustering());
        }
        LivenessInfo liveness = reconcile(a.primaryKeyLivenessInfo(), b.primaryKeyLivenessInfo());
        DeletionTime deletion = DeletionTime.max(a.deletion(), b.deletion());
        Map<String, DeletionTime> complex = new HashMap<>(a.complexDeletions());
        b.complexDeletions().forEach((k, v) -> complex.merge(k, v, DeletionTime::max));
        List<Cell> ac = a.cells();
        List<Cell> bc = b.cells();
        List<Cell> cells = new ArrayList<>(ac.size() + bc.size());
        int i = 0;
        int j = 0;
        while (i < ac.size() || j < bc.size()) {
            int c = i == ac.size() ? 1 : j == bc.size() ? -1 : Cell.ORDER.compare(ac.get(i), bc.get(j));
            if (c < 0) {
                cells.add(ac.get(i++));
            } else if (c > 0) {
                cells.add(bc.get(j++));
            } else {
                cells.add(reconcile(ac.get(i++), bc.get(j++)));
            }
        }
        Row merged = new Row(a.clustering(), liveness, deletion, cells, complex);
        return purgeOwnDeletions(merged);
    }

    private static Row purgeOwnDeletions(Row row) {
        if (row.deletion().isLive() && row.complexDeletions().isEmpty()) {
            return row;
        }
        Row purged = purge(row, DeletionTime.LIVE);
        return purged == null ? Row.empty(row.clustering()) : purged;
    }

    /**
     * Removes from {@code row} everything deleted by {@code covering} (the partition deletion and/or a
     * range tombstone over the row) or by the row's own deletions. The row deletion itself is kept only
     * if it supersedes {@code covering}; collection deletions likewise. Returns null if nothing remains.
     */
    public static Row purge(Row row, DeletionTime covering) {
        DeletionTime rowDeletion = row.deletion().supersedes(covering) ? row.deletion() : DeletionTime.LIVE;
        DeletionTime active = DeletionTime.max(covering, row.deletion());
        LivenessInfo liveness = row.primaryKeyLivenessInfo();
        if (!liveness.isEmpty() && active.deletes(liveness.timestamp())) {
            liveness = LivenessInfo.EMPTY;
        }
        Map<String, DeletionTime> complex = new HashMap<>();
        row.complexDeletions().forEach((k, v) -> {
            if (v.supersedes(active)) {
                complex.put(k, v);
            }
        });
        List<Cell> cells = new ArrayList<>(row.cells().size());
        for (Cell c : row.cells()) {
            if (active.deletes(c.timestamp())) {
                continue;
            }
            DeletionTime cd = c.path() == null ? null : complex.get(c.column());
            if (cd != null && cd.deletes(c.timestamp())) {
                continue;
            }
            cells.add(c);
        }
        Row out = new Row(row.clustering(), liveness, rowDeletion, cells, complex);
        return out.isEmpty() ? null : out;
    }
}
