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
import java.util.Comparator;
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

    /**
     * What every partition of one table starts from. Immutable, so one per memtable instead of a header,
     * an empty static row, an empty tombstone list and a comparator object per partition: a memtable
     * of 1 KB rows holds hundreds of thousands of partitions, and their overhead is what the GC copies.
     */
    static final class Shared {
        private final Comparator<ClusteringPrefix> rowOrder;
        private final Header empty;

        Shared(ClusteringComparator comparator) {
            this.rowOrder = comparator::comparePrefixes;
            this.empty = new Header(DeletionTime.LIVE, RangeTombstoneList.empty(comparator),
                    Row.empty(io.sibyl.storage.data.Clustering.STATIC));
        }
    }

    private final DecoratedKey key;
    private final AtomicReference<Header> header;
    private final ConcurrentSkipListMap<ClusteringPrefix, Row> rows;

    MemtablePartition(DecoratedKey key, Shared shared) {
        this.key = key;
        this.header = new AtomicReference<>(shared.empty);
        this.rows = new ConcurrentSkipListMap<>(shared.rowOrder);
    }

    DecoratedKey key() {
        return key;
    }

    /** Heap bytes of a partition beyond its rows: this object, its row map, index entries, the key. */
    static final long PARTITION_OVERHEAD = 360;
    /** Heap bytes of a row beyond its cells' data: the row, its cell list, marker and map node. */
    static final long ROW_OVERHEAD = 96;
    /** Heap bytes of a cell beyond what {@link io.sibyl.storage.data.Cell#dataSize()} counts (object and array headers). */
    static final long CELL_OVERHEAD = 40;

    /**
     * A row's estimated heap footprint. Data sizes alone undercount a memtable's heap ~2x for 1 KB rows
     * of ten columns (more for small rows), and memtable_heap_space is a heap budget: counted by data
     * size, memtables filled a 640 MiB heap to 600 MiB and the node spent as much CPU in the GC as in requests.
     */
    static long heapSize(Row row) {
        return row.isEmpty() ? 0 : row.dataSize() + ROW_OVERHEAD + CELL_OVERHEAD * row.cells().size();
    }

    /** Merges an update into this partition; returns the change in estimated heap bytes. */
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
                        + heapSize(merged.staticRow) - heapSize(old.staticRow);
            }
        }
    }

    private long applyRow(Row row) {
        while (true) {
            Row old = rows.get(row.clustering());
            if (old == null) {
                if (rows.putIfAbsent(row.clustering(), row) == null) {
                    return heapSize(row);
                }
            } else {
                Row merged = Reconciler.merge(old, row);
                if (merged.equals(old) || rows.replace(row.clustering(), old, merged)) {
                    return heapSize(merged) - heapSize(old);
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
