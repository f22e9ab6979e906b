package io.sibyl.storage.compaction;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.RangeTombstone;
import io.sibyl.storage.data.RangeTombstoneList;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.read.UnfilteredRowIterator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Compaction's tombstone and TTL rules, applied to one merged partition (Cassandra's PurgeFunction).
 *
 * <p>A deletion (partition, range, row, collection or cell tombstone) is purged only when both hold:
 * <ol>
 *   <li>its local deletion time is before {@code gcBefore} (now − gc_grace_seconds), so every replica had
 *       gc_grace to receive it through repair, and</li>
 *   <li>its timestamp is below the partition's <em>max purgeable timestamp</em>: the oldest write any
 *       source outside this compaction (an overlapping SSTable whose key range and bloom filter admit the
 *       key, or a memtable) may hold. Otherwise that source may hold data the tombstone still shadows,
 *       and dropping the tombstone would bring deleted data back.</li>
 * </ol>
 * An expired TTL cell is turned into a tombstone (written at its write second, so gc_grace counts from
 * there) and then follows the same rule; an expired row marker is dropped under the same rule. The
 * conversion is done only below the max purgeable timestamp: with an equal-timestamp cell outside the
 * compaction, a tombstone would reconcile differently from the expiring cell it replaced.
 */
final class Purger {

    private final ClusteringComparator comparator;
    private final int nowInSec;
    private final int gcBefore;
    private final ToLongFunction<DecoratedKey> maxPurgeableTimestamp;
    private long purged;
    /** The partition being purged; its max purgeable timestamp is looked up only once something may be purged. */
    private DecoratedKey key;
    private long maxPurgeable;
    private boolean maxPurgeableKnown;

    /**
     * @param maxPurgeableTimestamp per key: the smallest timestamp outside the compaction that may hold it
     *                              (Long.MAX_VALUE when nothing outside does)
     */
    Purger(ClusteringComparator comparator, int nowInSec, int gcBefore, ToLongFunction<DecoratedKey> maxPurgeableTimestamp) {
        this.comparator = comparator;
        this.nowInSec = nowInSec;
        this.gcBefore = gcBefore;
        this.maxPurgeableTimestamp = maxPurgeableTimestamp;
    }

    /** Tombstones and expired cells purged so far. */
    long purgedCount() {
        return purged;
    }

    /** The partition with everything purgeable removed (rows materialized), or null if nothing remains. */
    UnfilteredRowIterator purge(UnfilteredRowIterator p) {
        key = p.key();
        maxPurgeableKnown = false;
        DeletionTime pd = purge(p.partitionDeletion());
        List<RangeTombstone> kept = new ArrayList<>();
        for (RangeTombstone rt : p.rangeTombstones().ranges()) {
            if (!purgeable(rt.deletion())) {
                kept.add(rt);
            } else {
                purged++;
            }
        }
        RangeTombstoneList rts = kept.size() == p.rangeTombstones().size() ? p.rangeTombstones()
                : RangeTombstoneList.of(comparator, kept);
        Row staticRow = purge(p.staticRow());
        List<Row> rows = new ArrayList<>();
        while (p.hasNext()) {
            Row r = purge(p.next());
            if (r != null) {
                rows.add(r);
            }
        }
        if (pd.isLive() && rts.isEmpty() && staticRow == null && rows.isEmpty()) {
            return null;
        }
        return UnfilteredRowIterator.of(p.key(), pd, rts, staticRow == null ? Row.empty(p.staticRow().clustering())
                : staticRow, false, rows.iterator());
    }

    /**
     * The max purgeable timestamp of the current partition. Looking it up checks the bloom filter of every
     * SSTable outside the compaction, so it is done only for a partition that holds something old enough
     * to purge (as Cassandra does): most partitions of an insert-only table never need it.
     */
    private long maxPurgeable() {
        if (!maxPurgeableKnown) {
            maxPurgeable = maxPurgeableTimestamp.applyAsLong(key);
            maxPurgeableKnown = true;
        }
        return maxPurgeable;
    }

    private boolean purgeable(DeletionTime d) {
        return d.localDeletionTime() < gcBefore && d.markedForDeleteAt() < maxPurgeable();
    }

    private DeletionTime purge(DeletionTime d) {
        if (!d.isLive() && purgeable(d)) {
            purged++;
            return DeletionTime.LIVE;
        }
        return d;
    }

    private Row purge(Row row) {
        if (row.isEmpty()) {
            return null;
        }
        if (!mayPurge(row)) {
            return row;
        }
        LivenessInfo liveness = row.primaryKeyLivenessInfo();
        if (liveness.isExpiring() && !liveness.isLive(nowInSec)
                && liveness.localExpirationTime() - liveness.ttl() < gcBefore && liveness.timestamp() < maxPurgeable()) {
            liveness = LivenessInfo.EMPTY;
            purged++;
        }
        DeletionTime deletion = purge(row.deletion());
        Map<String, DeletionTime> complex = new HashMap<>();
        row.complexDeletions().forEach((k, v) -> {
            DeletionTime kept = purge(v);
            if (!kept.isLive()) {
                complex.put(k, kept);
            }
        });
        List<Cell> cells = new ArrayList<>(row.cells().size());
        for (Cell c : row.cells()) {
            Cell kept = purge(c);
            if (kept != null) {
                cells.add(kept);
            }
        }
        Row out = new Row(row.clustering(), liveness, deletion, cells, complex);
        return out.isEmpty() ? null : out;
    }

    /**
     * Whether the row holds anything this purger may change: a deletion, a tombstone or an expired TTL.
     * A row of live data only (the common case) is kept as it is, without a copy.
     */
    private boolean mayPurge(Row row) {
        if (!row.deletion().isLive() || !row.complexDeletions().isEmpty()) {
            return true;
        }
        LivenessInfo liveness = row.primaryKeyLivenessInfo();
        if (liveness.isExpiring() && !liveness.isLive(nowInSec)) {
            return true;
        }
        for (Cell c : row.cells()) {
            if (mayPurge(c)) {
                return true;
            }
        }
        return false;
    }

    /** A tombstone past gc grace, or an expired TTL cell (which would turn into a tombstone). */
    private boolean mayPurge(Cell c) {
        return c.isTombstone() ? c.localDeletionTime() < gcBefore : c.isExpiring() && !c.isLive(nowInSec);
    }

    private Cell purge(Cell c) {
        if (!mayPurge(c) || c.timestamp() >= maxPurgeable()) {
            return c;
        }
        Cell cell = c;
        if (cell.isExpiring() && !cell.isLive(nowInSec)) {
            cell = Cell.tombstone(c.column(), c.path(), c.timestamp(), c.localDeletionTime() - c.ttl());
        }
        if (cell.isTombstone() && cell.localDeletionTime() < gcBefore) {
            purged++;
            return null;
        }
        return cell;
    }
}
