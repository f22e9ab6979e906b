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
import java.util.concurrent.ConcurrentSkipListMap;
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
    private final AtomicLong liveDataSize = new AtomicLong();
    private final AtomicLong minTimestamp = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTimestamp = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder operations = new LongAdder();
    private final AtomicInteger pendingWrites = new AtomicInteger();
    private volatile boolean switched;

    public Memtable(TableMetadata metadata) {
        this.metadata = metadata;
    }

    public TableMetadata metadata() {
        return metadata;
    }

    /** Applies an update (thread-safe); returns the change in live data size. */
    public long apply(PartitionUpdate update) {
        if (!update.tableId().equals(metadata.id())) {
            throw new IllegalArgumentException("update for table " + update.metadata() + " applied to memtable of "
                    + metadata);
        }
        if (update.isEmpty()) {
            return 0;
        }
        MemtablePartition p = partitions.get(update.key());
        if (p == null) {
            MemtablePartition fresh = new MemtablePartition(update.key(), metadata.clusteringComparator());
            p = partitions.putIfAbsent(update.key(), fresh);
            if (p == null) {
                p = fresh;
            }
        }
        long delta = p.apply(update);
        liveDataSize.addAndGet(delta);
        minTimestamp.accumulateAndGet(update.minTimestamp(), Math::min);
        maxTimestamp.accumulateAndGet(update.maxTimestamp(), Math::max);
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
        switched = true;
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
        MemtablePartition p = partitions.get(key);
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

    /** Estimated bytes of data held, for the flush threshold. */
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
        return partitions.size();
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }
}
