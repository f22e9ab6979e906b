package io.sibyl.storage.memtable;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-memory, sorted, concurrently writable part of one table: partitions in ring order in a
 * skip list, each holding its rows in its own concurrent sorted map. Writes to different partitions
 * never contend; writes to one partition contend per row. A flush turns it, in order, into an SSTable.
 *
 * <p>Switching: once {@link #markSwitched()} is called (the table has a new current memtable),
 * {@link #tryApply} refuses new writes and {@link #awaitPendingWrites()} waits for those already in
 * progress, so a flush sees every write that this memtable accepted.
 */
public final class Memtable implements PartitionSource {

    private final TableMetadata metadata;
    private final ConcurrentSkipListMap<DecoratedKey, MemtablePartition> partitions = new ConcurrentSkipListMap<>();
    /**
     * The same partitions by key, for the lookups that need no order: a write to a known partition and a
     * point read cost a hash probe instead of a skip-list descent (~20 cache misses in a large memtable),
     * and a write of a new partition descends the skip list once (insert) instead of twice (get, then insert).
     * A partition enters the index first; flushes and range reads see it once the writing thread has
     * put it in the skip list too, which happens before its write is acknowledged.
     */
    private final ConcurrentHashMap<DecoratedKey, MemtablePartition> index = new ConcurrentHashMap<>();
    private final AtomicLong liveDataSize = new AtomicLong();
    private final AtomicLong minTimestamp = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTimestamp = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder operations = new LongAdder();
    private final AtomicInteger pendingWrites = new AtomicInteger();
    private volatile boolean switched;
    private volatile long switchedAtNanos;
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private final MemtablePartition.Shared shared;

    public Memtable(TableMetadata metadata) {
        this.metadata = metadata;
        this.shared = new MemtablePartition.Shared(metadata.clusteringComparator());
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
                partitions.put(update.key(), fresh);
                created = MemtablePartition.PARTITION_OVERHEAD + update.key().key().length;
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

    public void markSwitched() {
        switchedAtNanos = System.nanoTime();
        switched = true;
    }

    /** {@link System#nanoTime()} when {@link #markSwitched()} was called (0 before). */
    public long switchedAtNanos() {
        return switchedAtNanos;
    }

    /** True for the first caller only: lets exactly one write ask for this memtable's flush. */
    public boolean claimFlushRequest() {
        return !flushRequested.get() && flushRequested.compareAndSet(false, true);
    }

    public boolean isSwitched() {
        return switched;
    }

    /** After {@link #markSwitched()}: waits until no write is still being applied. */
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
        NavigableMap<DecoratedKey, MemtablePartition> sub = range.end() == null
                ? partitions.tailMap(range.start(), range.startInclusive())
                : partitions.subMap(range.start(), range.startInclusive(), range.end(), range.endInclusive());
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

    /** Every partition in the range, whole and unfiltered, in ring order: what a flush writes. */
    public Iterator<UnfilteredRowIterator> iterator(KeyRange range) {
        return range(range, ClusteringFilter.ALL);
    }

    private List<Slice> slices(ClusteringFilter filter) {
        return filter.selectsFullPartition() ? filter.slices() : filter.normalizedSlices(metadata.clusteringComparator());
    }

    /**
     * Estimated heap bytes held (data plus the objects holding it), for the flush threshold against
     * memtable_heap_space.
     */
    public long liveDataSize() {
        return liveDataSize.get();
    }

    /** The smallest write timestamp applied, {@link Long#MAX_VALUE} when empty. */
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
