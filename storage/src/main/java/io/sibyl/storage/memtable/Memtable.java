package io.sibyl.storage.memtable;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-memory, concurrently writable part of one table: partitions by key in a hash index, each
 * holding its rows in its own concurrent sorted map. Writes to different partitions never contend;
 * writes to one partition contend per row. A flush turns it, in ring order, into an SSTable.
 *
 * <p>Rows are stored packed: each row's bytes in slab regions the memtable owns ({@link MemtableAllocator}),
 * one small handle per row ({@link PackedRow}); they become Row and Cell objects only while read or flushed.
 * A young GC copies every live object, and a memtable of rows as objects was ~35 objects per 1 KB row
 * (docs/adr/041-memtable-packed-rows-in-slabs.md).
 *
 * <p>Ring order is established lazily. A write of a new partition only puts it in the hash index and
 * an unsorted queue: inserting it into a skip list of hundreds of thousands of partitions at write time
 * (~20 cache-missing key comparisons) was 14% of an ingest's server CPU. A flush sorts a snapshot of
 * the index once (an array sort, cache-friendly), and a range read first moves the queued partitions
 * into the skip list it reads from, so it sees every partition written before it started.
 *
 * <p>Switching: once {@link #markSwitched} is called (the table has a new current memtable),
 * {@link #tryApply} refuses new writes and {@link #awaitPendingWrites()} waits for those already in
 * progress, so a flush sees every write that this memtable accepted.
 */
public final class Memtable implements PartitionSource {

    private final TableMetadata metadata;
    /** Every partition by key: writes, point reads, flushes. */
    private final ConcurrentHashMap<DecoratedKey, MemtablePartition> index = new ConcurrentHashMap<>();
    /** New partitions not yet in {@link #sorted}; a write adds its new partition here before it is acknowledged. */
    private final ConcurrentLinkedQueue<MemtablePartition> unsorted = new ConcurrentLinkedQueue<>();
    /** The partitions in ring order, for range reads, filled from {@link #unsorted} when one starts. */
    private final ConcurrentSkipListMap<DecoratedKey, MemtablePartition> sorted = new ConcurrentSkipListMap<>();
    private final Object sortLock = new Object();
    private final AtomicLong liveDataSize = new AtomicLong();
    private final AtomicLong minTimestamp = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTimestamp = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder operations = new LongAdder();
    private final AtomicInteger pendingWrites = new AtomicInteger();
    private volatile boolean switched;
    private volatile long switchedAtNanos;
    private volatile CommitLogPosition commitLogUpperBound = CommitLogPosition.NONE;
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private final MemtablePartition.Shared shared;

    public Memtable(TableMetadata metadata) {
        this.metadata = metadata;
        this.shared = new MemtablePartition.Shared(metadata.clusteringComparator(), metadata.clusteringColumns().isEmpty());
    }

    public TableMetadata metadata() {
        return metadata;
    }

    /** Applies an update (thread-safe); returns the change in estimated heap bytes. */
    public long apply(PartitionUpdate update) {
        if (!update.tableId().equals(metadata.id())) {
            throw new IllegalArgumentException("update for table " + update.metadata() + " applied to memtable of "
                    + metadata);
        }
        if (update.isEmpty()) {
            return 0;
        }
        long created = 0;
        MemtablePartition p = index.get(update.key());
        if (p == null) {
            MemtablePartition fresh = new MemtablePartition(update.key(), shared);
            p = index.putIfAbsent(update.key(), fresh);
            if (p == null) {
                p = fresh;
                unsorted.add(fresh);
                created = shared.partitionOverhead() + update.key().key().length;
            }
        }
        long delta = p.apply(update) + created;
        liveDataSize.addAndGet(delta);
        // Read before writing: the bounds rarely move, and a CAS on every write bounces the cache line between cores.
        long min = update.minTimestamp();
        if (min < minTimestamp.get()) {
            minTimestamp.accumulateAndGet(min, Math::min);
        }
        long max = update.maxTimestamp();
        if (max > maxTimestamp.get()) {
            maxTimestamp.accumulateAndGet(max, Math::max);
        }
        operations.increment();
        return delta;
    }

    /** Applies unless this memtable has been switched out; false means: apply to the new current one. */
    public boolean tryApply(PartitionUpdate update) {
        pendingWrites.incrementAndGet();
        try {
            // Checked after announcing the write, so markSwitched + awaitPendingWrites cannot miss it.
            if (switched) {
                return false;
            }
            apply(update);
            return true;
        } finally {
            pendingWrites.decrementAndGet();
        }
    }

    /**
     * The table switched in a new current memtable; every record of this table in the commit log before
     * {@code commitLogUpperBound} belongs to a write applied to this memtable or an older one (NONE when
     * the memtable is being discarded, not flushed).
     */
    public void markSwitched(CommitLogPosition commitLogUpperBound) {
        this.commitLogUpperBound = commitLogUpperBound;
        switchedAtNanos = System.nanoTime();
        switched = true;
    }

    /** {@link System#nanoTime()} when {@link #markSwitched} was called (0 before). */
    public long switchedAtNanos() {
        return switchedAtNanos;
    }

    /** The commit-log position its flushed SSTable covers up to (NONE before the switch). */
    public CommitLogPosition commitLogUpperBound() {
        return commitLogUpperBound;
    }

    /** True for the first caller only: lets exactly one write ask for this memtable's flush. */
    public boolean claimFlushRequest() {
        return !flushRequested.get() && flushRequested.compareAndSet(false, true);
    }

    public boolean isSwitched() {
        return switched;
    }

    /** After {@link #markSwitched}: waits until no write is still being applied. */
    public void awaitPendingWrites() {
        while (pendingWrites.get() > 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public Optional<UnfilteredRowIterator> partition(DecoratedKey key, ClusteringFilter filter) {
        MemtablePartition p = index.get(key);
        if (p == null) {
            return Optional.empty();
        }
        return Optional.of(p.read(slices(filter), filter.reversed()));
    }

    @Override
    public Iterator<UnfilteredRowIterator> range(KeyRange range, ClusteringFilter filter) {
        if (range.isEmpty()) {
            return Collections.emptyIterator();
        }
        NavigableMap<DecoratedKey, MemtablePartition> all = sorted();
        NavigableMap<DecoratedKey, MemtablePartition> sub = range.end() == null
                ? all.tailMap(range.start(), range.startInclusive())
                : all.subMap(range.start(), range.startInclusive(), range.end(), range.endInclusive());
        List<Slice> slices = slices(filter);
        Iterator<MemtablePartition> it = sub.values().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public UnfilteredRowIterator next() {
                return it.next().read(slices, filter.reversed());
            }
        };
    }

    /** The ring-ordered skip list with every partition queued so far moved into it. */
    private NavigableMap<DecoratedKey, MemtablePartition> sorted() {
        if (!unsorted.isEmpty()) {
            synchronized (sortLock) {
                for (MemtablePartition p; (p = unsorted.poll()) != null; ) {
                    sorted.put(p.key(), p);
                }
            }
        }
        return sorted;
    }

    /** Every partition in the range, whole and unfiltered, in ring order: what a flush writes. */
    public Iterator<UnfilteredRowIterator> iterator(KeyRange range) {
        if (!range.equals(KeyRange.all())) {
            return range(range, ClusteringFilter.ALL);
        }
        // The whole memtable (a flush): sort a snapshot of the index once rather than fill the skip list.
        MemtablePartition[] ps = index.values().toArray(new MemtablePartition[0]);
        RingEntry[] entries = new RingEntry[ps.length];
        for (int i = 0; i < ps.length; i++) {
            entries[i] = new RingEntry(ps[i].key().token(), ps[i]);
        }
        Arrays.sort(entries, RingEntry.ORDER);
        List<Slice> slices = slices(ClusteringFilter.ALL);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < entries.length;
            }

            @Override
            public UnfilteredRowIterator next() {
                if (next >= entries.length) {
                    throw new NoSuchElementException();
                }
                RingEntry e = entries[next];
                entries[next++] = null; // flushed: let the GC have it as the flush goes
                return e.partition().read(slices, false);
            }
        };
    }

    /**
     * A partition and its token side by side: sorting these (allocated together, so close in memory)
     * compares tokens without a pointer chase per comparison; equal tokens fall back to the key bytes.
     */
    private record RingEntry(long token, MemtablePartition partition) {
        static final Comparator<RingEntry> ORDER = (a, b) -> a.token != b.token ? Long.compare(a.token, b.token)
                : a.partition.key().compareTo(b.partition.key());
    }

    private List<Slice> slices(ClusteringFilter filter) {
        return filter.selectsFullPartition() ? filter.slices() : filter.normalizedSlices(metadata.clusteringComparator());
    }

    /**
     * Estimated heap bytes held, for the flush threshold against memtable_heap_space: the slab bytes its rows
     * took (superseded row versions included, as they stay until the flush) plus the objects that index them.
     */
    public long liveDataSize() {
        return liveDataSize.get();
    }

    /** The smallest write timestamp applied, {@link Long#MAX_VALUE} when empty. */
    /** Bytes its rows took in slab regions and arrays of their own, superseded versions included. */
    long slabBytesAllocated() {
        return shared.allocator.allocatedBytes();
    }

    /** Bytes of slab regions opened (the part of them rows use is in {@link #liveDataSize()}). */
    public long slabRegionBytes() {
        return shared.allocator.regionBytes();
    }

    public long minTimestamp() {
        return minTimestamp.get();
    }

    /** The largest write timestamp applied, {@link Long#MIN_VALUE} when empty. */
    public long maxTimestamp() {
        return maxTimestamp.get();
    }

    public long operationCount() {
        return operations.sum();
    }

    public int partitionCount() {
        return index.size(); // the skip list would count by walking every partition
    }

    public boolean isEmpty() {
        return index.isEmpty();
    }
}
