package io.sibyl.storage.memtable;

import io.sibyl.storage.data.Clustering;
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
import io.sibyl.storage.serialization.DataOutputBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One partition in a memtable. Rows are {@link PackedRow}s (their bytes in the memtable's slab regions) in a
 * concurrent sorted map, merged one at a time with compare-and-set, so a write never copies the partition
 * (time-series partitions hold thousands of rows) and writers of different rows never wait for each other.
 * A table without clustering columns has one row per partition: it sits in a field, with no map at all.
 * The partition-level parts (partition deletion, range tombstones, static row) change rarely and sit in
 * one immutable header swapped by CAS.
 *
 * <p>Isolation is per row: a reader may see some rows of a concurrent multi-row update and not others.
 * Everything stored only grows in the reconcile order, so concurrent merges commute and reads never see
 * a value go back in time. Shadowed data is kept until read or flush merges remove it.
 */
final class MemtablePartition {

    private record Header(DeletionTime partitionDeletion, RangeTombstoneList rangeTombstones, Row staticRow) {
    }

    /**
     * What every partition of one memtable shares: its slab allocator and column numbering, and the empty
     * header every partition starts from. One per memtable instead of per partition: a memtable of 1 KB rows
     * holds hundreds of thousands of partitions, and their overhead is what the GC copies.
     */
    static final class Shared {
        private final ClusteringComparator comparator;
        private final Comparator<ClusteringPrefix> rowOrder;
        private final Header empty;
        /** No clustering columns: a partition holds at most the row at {@link Clustering#EMPTY}. */
        private final boolean singleRow;
        final MemtableAllocator allocator = new MemtableAllocator();
        final MemtableColumns columns = new MemtableColumns();
        /** Packed timestamps are relative to this (µs at creation), so a current one takes ~3 bytes, not 8. */
        final long baseTimestamp = System.currentTimeMillis() * 1000;

        Shared(ClusteringComparator comparator, boolean singleRow) {
            this.comparator = comparator;
            this.rowOrder = comparator::comparePrefixes;
            this.singleRow = singleRow;
            this.empty = new Header(DeletionTime.LIVE, RangeTombstoneList.empty(comparator), Row.empty(Clustering.STATIC));
        }

        /** Heap bytes of a partition beyond its rows: index entries, this object, the key, a row map. */
        long partitionOverhead() {
            return singleRow ? PARTITION_OVERHEAD : PARTITION_OVERHEAD + ROW_MAP_OVERHEAD;
        }
    }

    /** The hash index's node, the ring queue's node, the DecoratedKey, the key array's header, this object. */
    static final long PARTITION_OVERHEAD = 128;
    /** A row map: the skip list, its head index and base node. */
    static final long ROW_MAP_OVERHEAD = 104;
    /** A row's skip-list node and its share of index nodes. */
    static final long ROW_ENTRY_OVERHEAD = 32;
    /** Heap bytes beyond Cell#dataSize that the static row (kept as objects) holds per cell. */
    static final long CELL_OVERHEAD = 40;
    static final long STATIC_ROW_OVERHEAD = 96;
    /** Handles in a row's chain (a whole row and its deltas) before a merge folds them into one. */
    static final int MAX_CHAIN = 4;
    /** A packing buffer grown past this by a huge row is dropped after use rather than kept per thread. */
    private static final int MAX_KEPT_SCRATCH = 64 * 1024;
    private static final ThreadLocal<DataOutputBuffer> SCRATCH = ThreadLocal.withInitial(() -> new DataOutputBuffer(2048));

    private static final VarHandle HEADER;
    private static final VarHandle ONLY_ROW;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEADER = l.findVarHandle(MemtablePartition.class, "header", Header.class);
            ONLY_ROW = l.findVarHandle(MemtablePartition.class, "onlyRow", PackedRow.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DecoratedKey key;
    private final Shared shared;
    @SuppressWarnings("unused") // through HEADER
    private volatile Header header;
    /** The rows by clustering; null when the table has no clustering columns (then {@link #onlyRow}). */
    private final ConcurrentSkipListMap<ClusteringPrefix, PackedRow> rows;
    @SuppressWarnings("unused") // through ONLY_ROW
    private volatile PackedRow onlyRow;

    MemtablePartition(DecoratedKey key, Shared shared) {
        this.key = key;
        this.shared = shared;
        this.header = shared.empty;
        this.rows = shared.singleRow ? null : new ConcurrentSkipListMap<>(shared.rowOrder);
    }

    DecoratedKey key() {
        return key;
    }

    /** The static row stays objects (one per partition, rarely written): its estimated heap footprint. */
    static long heapSize(Row row) {
        return row.isEmpty() ? 0 : row.dataSize() + STATIC_ROW_OVERHEAD + CELL_OVERHEAD * row.cells().size();
    }

    /** Heap bytes of a clustering kept as a row map key: the object, its array of values, each value. */
    private static long clusteringSize(Clustering c) {
        return c.size() == 0 ? 0 : 32 + 20L * c.size() + c.dataSize();
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
            Header old = (Header) HEADER.getVolatile(this);
            Header merged = new Header(DeletionTime.max(old.partitionDeletion, update.partitionDeletion()),
                    old.rangeTombstones.addAll(update.rangeTombstoneList()),
                    Reconciler.merge(old.staticRow, update.staticRow()));
            if (HEADER.compareAndSet(this, old, merged)) {
                return (merged.rangeTombstones.size() - old.rangeTombstones.size()) * 48L
                        + heapSize(merged.staticRow) - heapSize(old.staticRow);
            }
        }
    }

    /**
     * Merges one row and swaps the new version's handle in by CAS, retrying on a lost race. A small update
     * of a row is packed alone as a delta on top of the current version, so updating one column of a wide
     * row does not copy the row; once the chain is {@link #MAX_CHAIN} long or its deltas outweigh the row,
     * the chain and the update fold into a whole row packed anew. Bytes a version no longer uses (and
     * bytes packed for a lost race) stay in their region until the flush, and count.
     */
    private long applyRow(Row row) {
        Clustering clustering = row.clustering();
        if (shared.singleRow && clustering.size() != 0) {
            throw new IllegalArgumentException("row " + clustering + " in a table without clustering columns");
        }
        long allocated = 0;
        while (true) {
            PackedRow old = get(clustering);
            PackedRow packed;
            if (old == null) {
                packed = store(encode(row), null);
            } else {
                DataOutputBuffer delta = encode(row);
                if (old.chainLength() < MAX_CHAIN && old.deltaBytes() + delta.length() < old.baseLength()) {
                    packed = store(delta, old);
                } else {
                    Row current = old.unpack(clustering, shared.columns, shared.baseTimestamp);
                    Row merged = Reconciler.merge(current, row);
                    if (merged.equals(current) && old.older() == null) {
                        return allocated;
                    }
                    packed = store(encode(merged), null);
                }
            }
            allocated += MemtableAllocator.cost(packed.length());
            if (old == null ? putIfAbsent(clustering, packed) : replace(clustering, old, packed)) {
                if (old != null) {
                    // A delta is one more handle; a fold frees the chain's handles (not subtracted: an estimate).
                    return allocated + (packed.older() != null ? PackedRow.HANDLE_SIZE : 0);
                }
                return allocated + PackedRow.HANDLE_SIZE
                        + (shared.singleRow ? 0 : ROW_ENTRY_OVERHEAD + clusteringSize(clustering));
            }
        }
    }

    private PackedRow get(Clustering clustering) {
        return rows == null ? (PackedRow) ONLY_ROW.getVolatile(this) : rows.get(clustering);
    }

    private boolean putIfAbsent(Clustering clustering, PackedRow packed) {
        return rows == null ? ONLY_ROW.compareAndSet(this, null, packed) : rows.putIfAbsent(clustering, packed) == null;
    }

    private boolean replace(Clustering clustering, PackedRow old, PackedRow packed) {
        return rows == null ? ONLY_ROW.compareAndSet(this, old, packed) : rows.replace(clustering, old, packed);
    }

    /** The row's encoding in this thread's scratch buffer, valid until the next encode on this thread. */
    private DataOutputBuffer encode(Row row) {
        DataOutputBuffer out = SCRATCH.get();
        out.reset();
        PackedRow.encode(row, out, shared.columns, shared.baseTimestamp);
        return out;
    }

    private PackedRow store(DataOutputBuffer encoded, PackedRow older) {
        PackedRow packed = shared.allocator.store(encoded.array(), encoded.length(), older);
        if (encoded.array().length > MAX_KEPT_SCRATCH) {
            SCRATCH.remove();
        }
        return packed;
    }

    /** The partition restricted to sorted, non-overlapping slices, rows read lazily in the given order. */
    UnfilteredRowIterator read(List<Slice> slices, boolean reversed) {
        Header h = (Header) HEADER.getVolatile(this);
        Iterator<Row> rowIterator;
        if (rows == null) {
            PackedRow only = (PackedRow) ONLY_ROW.getVolatile(this);
            rowIterator = only != null && selects(slices, Clustering.EMPTY)
                    ? List.of(only.unpack(Clustering.EMPTY, shared.columns, shared.baseTimestamp)).iterator()
                    : Collections.emptyIterator();
        } else {
            List<NavigableMap<ClusteringPrefix, PackedRow>> parts = new ArrayList<>(slices.size());
            for (Slice s : slices) {
                NavigableMap<ClusteringPrefix, PackedRow> sub = s.isAll() ? rows : rows.subMap(s.start(), true, s.end(), true);
                parts.add(reversed ? sub.descendingMap() : sub);
            }
            if (reversed) {
                Collections.reverse(parts);
            }
            rowIterator = new Concat(parts, shared);
        }
        return UnfilteredRowIterator.of(key, h.partitionDeletion, h.rangeTombstones.restrictTo(slices), h.staticRow,
                reversed, rowIterator);
    }

    private boolean selects(List<Slice> slices, Clustering clustering) {
        for (Slice s : slices) {
            if (s.isAll() || s.includes(shared.comparator, clustering)) {
                return true;
            }
        }
        return false;
    }

    /** Iterates several maps' rows one after another, opening each only when reached, unpacking each row. */
    private static final class Concat implements Iterator<Row> {
        private final Iterator<NavigableMap<ClusteringPrefix, PackedRow>> maps;
        private final Shared shared;
        private Iterator<Map.Entry<ClusteringPrefix, PackedRow>> current = Collections.emptyIterator();

        Concat(List<NavigableMap<ClusteringPrefix, PackedRow>> maps, Shared shared) {
            this.maps = maps.iterator();
            this.shared = shared;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!maps.hasNext()) {
                    return false;
                }
                current = maps.next().entrySet().iterator();
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Map.Entry<ClusteringPrefix, PackedRow> e = current.next();
            return e.getValue().unpack((Clustering) e.getKey(), shared.columns, shared.baseTimestamp);
        }
    }
}
