package io.sibyl.storage.memtable;

import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.ClusteringPrefix;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.RangeTombstoneList;
import io.sibyl.storage.data.Reconciler;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.UnfilteredRowIterator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One partition in a memtable. Rows live in a concurrent sorted map and are merged one at a time
 * with compare-and-set, so a write never copies the partition (time-series partitions hold thousands
 * of rows) and writers of different rows never wait for each other. The partition-level parts (partition
 * deletion, range tombstones, static row) change rarely and sit in one immutable header swapped by CAS.
 *
 * <p>Isolation is per row: a reader may see some rows of a concurrent multi-row update and not others.
 * Everything stored only grows in the reconcile order, so concurrent merges commute and reads never see
 * a value go back in time. Shadowed data is kept until read or flush merges remove it.
 */
final class MemtablePartition {

    private record Header(DeletionTime partitionDeletion, RangeTombstoneList rangeTombstones, Row staticRow) {
    }

    private final DecoratedKey key;
    private final ClusteringComparator comparator;
    private final AtomicReference<Header> header;
    private final ConcurrentSkipListMap<ClusteringPrefix, Row> rows;

    MemtablePartition(DecoratedKey key, ClusteringComparator comparator) {
        this.key = key;
        this.comparator = comparator;
        this.header = new AtomicReference<>(new Header(DeletionTime.LIVE, RangeTombstoneList.empty(comparator),
                Row.empty(io.sibyl.storage.data.Clustering.STATIC)));
        this.rows = new ConcurrentSkipListMap<>(comparator::comparePrefixes);
    }

    DecoratedKey key() {
        return key;
    }

    /** Merges an update into this partition; returns the change in data size (bytes, estimated). */
    long apply(PartitionUpdate update) {
        long delta = 0;
        if (!update.partitionDeletion().isLive() || !update.rangeTombstoneList().isEmpty()
                || !update.staticRow().isEmpty()) {
            delta += applyHeader(update);
        }
        for (Row row : update.rows()) {
            delta += applyRow(row);
        }
        return delta;
    }

    private long applyHeader(PartitionUpdate update) {
        while (true) {
            Header old = header.get();
            Header merged = new Header(DeletionTime.max(old.partitionDeletion, update.partitionDeletion()),
                    old.rangeTombstones.addAll(update.rangeTombstoneList()),
                    Reconciler.merge(old.staticRow, update.staticRow()));
            if (header.compareAndSet(old, merged)) {
                return (merged.rangeTombstones.size() - old.rangeTombstones.size()) * 48L
                        + merged.staticRow.dataSize() - old.staticRow.dataSize();
            }
        }
    }

    private long applyRow(Row row) {
        while (true) {
            Row old = rows.get(row.clustering());
            if (old == null) {
                if (rows.putIfAbsent(row.clustering(), row) == null) {
                    return row.dataSize();
                }
            } else {
                Row merged = Reconciler.merge(old, row);
                if (merged.equals(old) || rows.replace(row.clustering(), old, merged)) {
                    return merged.dataSize() - old.dataSize();
                }
            }
        }
    }

    /** The partition restricted to sorted, non-overlapping slices, rows read lazily in the given order. */
    UnfilteredRowIterator read(List<Slice> slices, boolean reversed) {
        Header h = header.get();
        List<NavigableMap<ClusteringPrefix, Row>> parts = new ArrayList<>(slices.size());
        for (Slice s : slices) {
            NavigableMap<ClusteringPrefix, Row> sub = s.isAll() ? rows : rows.subMap(s.start(), true, s.end(), true);
            parts.add(reversed ? sub.descendingMap() : sub);
        }
        if (reversed) {
            Collections.reverse(parts);
        }
        return UnfilteredRowIterator.of(key, h.partitionDeletion, h.rangeTombstones.restrictTo(slices), h.staticRow,
                reversed, new Concat(parts));
    }

    /** Iterates several maps' values one after another, opening each only when reached. */
    private static final class Concat implements Iterator<Row> {
        private final Iterator<NavigableMap<ClusteringPrefix, Row>> maps;
        private Iterator<Row> current = Collections.emptyIterator();

        Concat(List<NavigableMap<ClusteringPrefix, Row>> maps) {
            this.maps = maps.iterator();
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!maps.hasNext()) {
                    return false;
                }
                current = maps.next().values().iterator();
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }
}
