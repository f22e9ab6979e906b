package io.sibyl.storage.sstable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cassandra's chunk cache ({@code file_cache_size}): decompressed, verified data chunks of the SSTables that
 * point reads touch, so a read of a hot partition neither reads nor decompresses its chunk again (whole-chunk
 * LZ4 decompression was 58% of a flushed point read's CPU, docs/performance.md). On-heap here (Cassandra's is
 * off-heap), bounded by the chunks' bytes plus their overhead; only point reads of narrow partitions use it
 * (scans and compactions would flush it). Keyed like {@link KeyCache} by the open reader's never-reused id, and
 * an SSTable's chunks are swept away when its reader is released.
 */
public final class ChunkCache {

    public static final ChunkCache DISABLED = new ChunkCache(0, Runnable::run);

    /** Caffeine's node, the hash table's node and slot, the key record and the array header. */
    static final int ENTRY_OVERHEAD = 120;

    private final long capacity;
    private final Cache<Key, byte[]> cache; // null when disabled
    private final Executor sweeper;
    private final Set<Long> released = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sweepQueued = new AtomicBoolean();

    record Key(long sstable, int chunk) {
    }

    private ChunkCache(long capacityBytes, Executor sweeper) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("file_cache_size must not be negative: " + capacityBytes);
        }
        this.capacity = capacityBytes;
        this.sweeper = sweeper;
        this.cache = capacityBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher((Key k, byte[] v) -> ENTRY_OVERHEAD + v.length)
                .executor(Runnable::run) // maintenance on the reading thread, amortized: no wake-up of a pool thread per burst of misses
                .recordStats()
                .build();
    }

    public static ChunkCache create(long capacityBytes) {
        return capacityBytes == 0 ? DISABLED : new ChunkCache(capacityBytes, ForkJoinPool.commonPool());
    }

    static ChunkCache create(long capacityBytes, Executor executor) {
        return new ChunkCache(capacityBytes, executor);
    }

    public boolean isEnabled() {
        return cache != null;
    }

    /** The cached chunk (never to be modified), or null. */
    byte[] get(long sstable, int chunk) {
        return cache == null ? null : cache.getIfPresent(new Key(sstable, chunk));
    }

    void put(long sstable, int chunk, byte[] bytes) {
        if (cache != null) {
            cache.put(new Key(sstable, chunk), bytes);
        }
    }

    /** Reader {@code sstable} is released: its chunks go in a sweep shared with other releases meanwhile. */
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

    void cleanUp() {
        if (cache != null) {
            cache.cleanUp();
        }
    }

    public long capacity() {
        return capacity;
    }

    /** Same fields as the key cache's: capacity, estimated bytes held, entries, hits and misses. */
    public KeyCache.Stats stats() {
        if (cache == null) {
            return new KeyCache.Stats(0, 0, 0, 0, 0);
        }
        var s = cache.stats();
        long weighted = cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new KeyCache.Stats(capacity, weighted, cache.estimatedSize(), s.hitCount(), s.missCount());
    }
}
