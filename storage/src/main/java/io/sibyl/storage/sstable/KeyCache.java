package io.sibyl.storage.sstable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cassandra's key cache: for partition keys read recently, where the partition starts and ends in one
 * SSTable's data (its index entry, row index blocks included), so a point read of a hot key skips the
 * summary search and the index-file read. One cache per node ({@code key_cache_size}), bounded by an
 * estimate of the heap bytes each entry holds; Caffeine (W-TinyLFU) admits and evicts, lock-free on reads.
 *
 * <p>Entries are keyed by the {@link SSTableReader#id() id of the open reader}, unique per opened reader and
 * never reused, so a position found for one SSTable can never be used for another, even one with the same
 * generation. An SSTable's entries are swept away when its reader is released (compacted away, truncated,
 * dropped or closed); that sweep only frees memory, since no read can ask for a released reader's id.
 */
public final class KeyCache {

    /** The cache of a node with {@code key_cache_size = 0}: never holds anything. */
    public static final KeyCache DISABLED = new KeyCache(0, Runnable::run);

    /**
     * Entries estimated above this are not cached: a wide partition with thousands of row index blocks would
     * evict thousands of narrow ones (Cassandra likewise keeps only small column indexes in its key cache).
     */
    static final int MAX_ENTRY_BYTES = 64 << 10;

    private final long capacity;
    private final Cache<Key, Position> cache; // null when disabled
    private final Executor sweeper;
    private final Set<Long> released = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sweepQueued = new AtomicBoolean();

    /** A key of one SSTable: the reader's id and the partition key (the entry's own decoded key, exactly sized). */
    record Key(long sstable, DecoratedKey key) {
    }

    /** What the index lookup yielded: the entry, and where the partition ends in the data (-1 if unknown). */
    record Position(IndexEntry entry, long end) {
    }

    private KeyCache(long capacityBytes, Executor sweeper) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("key_cache_size must not be negative: " + capacityBytes);
        }
        this.capacity = capacityBytes;
        this.sweeper = sweeper;
        this.cache = capacityBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher((Key k, Position p) -> weigh(p.entry()))
                .executor(Runnable::run) // maintenance on the reading thread, amortized: no wake-up of a pool thread per burst of misses
                .recordStats()
                .build();
    }

    /** A cache of at most {@code capacityBytes} estimated heap bytes (0: {@link #DISABLED}). */
    public static KeyCache create(long capacityBytes) {
        return capacityBytes == 0 ? DISABLED : new KeyCache(capacityBytes, ForkJoinPool.commonPool());
    }

    /** As {@link #create(long)}, with the release sweeps run by {@code executor} (tests). */
    static KeyCache create(long capacityBytes, Executor executor) {
        return new KeyCache(capacityBytes, executor);
    }

    public boolean isEnabled() {
        return cache != null;
    }

    /** The cached position of {@code key} in SSTable {@code sstable}, or null (a miss when enabled). */
    Position get(long sstable, DecoratedKey key) {
        return cache == null ? null : cache.getIfPresent(new Key(sstable, key));
    }

    void put(long sstable, IndexEntry entry, long end) {
        if (cache != null && weigh(entry) <= MAX_ENTRY_BYTES) {
            cache.put(new Key(sstable, entry.key()), new Position(entry, end));
        }
    }

    /**
     * Reader {@code sstable} is released: its entries go in a sweep on the executor (a sweep walks the whole
     * cache, so several releases, e.g. a compaction's inputs, share one; the releasing thread may be a read's).
     */
    void invalidate(long sstable) {
        if (cache == null) {
            return;
        }
        released.add(sstable);
        if (sweepQueued.compareAndSet(false, true)) {
            sweeper.execute(this::sweep);
        }
    }

    private void sweep() {
        sweepQueued.set(false);
        Set<Long> ids = Set.copyOf(released);
        cache.asMap().keySet().removeIf(k -> ids.contains(k.sstable()));
        released.removeAll(ids);
    }

    /** Entries held for reader {@code sstable} (tests: a walk of the whole cache). */
    long entriesOf(long sstable) {
        return cache == null ? 0 : cache.asMap().keySet().stream().filter(k -> k.sstable() == sstable).count();
    }

    /** Runs pending evictions now (tests). */
    void cleanUp() {
        if (cache != null) {
            cache.cleanUp();
        }
    }

    public long capacity() {
        return capacity;
    }

    public Stats stats() {
        if (cache == null) {
            return new Stats(0, 0, 0, 0, 0);
        }
        var s = cache.stats();
        long weighted = cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new Stats(capacity, weighted, cache.estimatedSize(), s.hitCount(), s.missCount());
    }

    /**
     * @param capacity bytes the cache may hold ({@code key_cache_size})
     * @param size     estimated bytes it holds now
     * @param entries  entries it holds now (approximate)
     * @param hits     point-read lookups answered from the cache since start
     * @param misses   point-read lookups (bloom filter passed) that had to search the index
     */
    public record Stats(long capacity, long size, long entries, long hits, long misses) {
        public long requests() {
            return hits + misses;
        }

        /** Hits per request, NaN before the first request (as nodetool info shows it). */
        public double hitRate() {
            return requests() == 0 ? Double.NaN : (double) hits / requests();
        }
    }

    // Heap bytes with compressed oops (12-byte headers, 4-byte references, 8-byte alignment). The fixed part was
    // calibrated by filling a cache with 200 000 narrow entries (8-byte keys) and measuring the heap after GC:
    // 206 bytes per entry, of which 24 are the key's byte[] (docs/adr/044-key-cache.md). It covers Caffeine's
    // node, the hash table's node and slot, the frequency sketch, our Key and Position records, the IndexEntry
    // and the DecoratedKey.
    static final int ENTRY_OVERHEAD = 184;

    /** Estimated heap bytes one cached entry holds: fixed overhead, key bytes and any row index blocks. */
    static int weigh(IndexEntry e) {
        long size = ENTRY_OVERHEAD + array(e.key().key().length);
        if (e.isWide()) {
            size += 24 + align(16 + 4L * e.blocks().size()); // ArrayList and its array
            for (IndexEntry.Block b : e.blocks()) {
                size += 40 + clustering(b.first()) + clustering(b.last()); // Block record: 2 refs, 2 longs
            }
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    private static long clustering(Clustering c) {
        long size = 24 + align(16 + 4L * c.size()); // Clustering object and its byte[][]
        for (int i = 0; i < c.size(); i++) {
            size += array(c.get(i).length);
        }
        return size;
    }

    private static long array(int bytes) {
        return align(16 + (long) bytes);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
