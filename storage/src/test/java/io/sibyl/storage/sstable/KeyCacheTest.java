package io.sibyl.storage.sstable;

import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCacheTest {

    @TempDir
    Path dir;

    private SSTableReader kvSSTable(int keys) throws IOException {
        Memtable m = new Memtable(SSTableReaderTest.KV);
        for (long k = 0; k < keys; k++) {
            m.apply(TestMutations.kvUpdate(SSTableReaderTest.KV, k, k * 3, 5));
        }
        return SSTableReaderTest.flush(dir, m, new SSTableConfig(1024, 1024, 0.01, 16));
    }

    private static long value(SSTableReader sst, long k) {
        var p = sst.partition(TestMutations.murmurKey(k), ClusteringFilter.ALL).orElseThrow(() -> new AssertionError("key " + k));
        Row row = p.next();
        return TestTypes.bigint(row.cell("v").value());
    }

    @Test
    void aSecondReadOfAKeyIsAHitAndSkipsTheIndex() throws IOException {
        SSTableReader sst = kvSSTable(500);
        KeyCache cache = KeyCache.create(1 << 20, Runnable::run);
        sst.keyCache(cache);
        assertEquals(21, value(sst, 7));
        assertEquals(new KeyCache.Stats(1 << 20, cache.stats().size(), 1, 0, 1), cache.stats());
        assertEquals(21, value(sst, 7));
        assertEquals(1, cache.stats().hits());
        assertEquals(1, cache.stats().misses());
        assertTrue(sst.partition(TestMutations.murmurKey(100_000), ClusteringFilter.ALL).isEmpty());
        assertEquals(1, cache.stats().entries(), "an absent key is not cached");

        // With the index file gone, only the cached key can still be read: a hit never touches the index.
        try (RandomAccessFile f = new RandomAccessFile(sst.descriptor().path(Component.INDEX).toFile(), "rw")) {
            f.setLength(0);
        }
        assertEquals(21, value(sst, 7));
        assertThrows(CorruptSSTableException.class, () -> value(sst, 8));
        assertEquals(2, cache.stats().hits());
        sst.markObsolete();
    }

    @Test
    void releasingAnSSTableDropsItsEntriesAndAReopenedOneNeverSeesThem() throws IOException {
        SSTableReader sst = kvSSTable(200);
        KeyCache cache = KeyCache.create(1 << 20, Runnable::run);
        sst.keyCache(cache);
        for (long k = 0; k < 50; k++) {
            assertEquals(k * 3, value(sst, k));
        }
        assertEquals(50, cache.entriesOf(sst.id()));
        Descriptor d = sst.descriptor();
        sst.close(); // closed, files kept: a restart or the same generation opened again
        assertEquals(0, cache.entriesOf(sst.id()));
        assertEquals(0, cache.stats().entries());

        SSTableReader again = SSTableReader.open(d, SSTableReaderTest.KV);
        again.keyCache(cache);
        assertNotEquals(sst.id(), again.id());
        long hits = cache.stats().hits();
        assertEquals(0, value(again, 0));
        assertEquals(hits, cache.stats().hits(), "a new reader starts cold");

        // An obsolete SSTable still read by someone keeps its entries (and adds none) until the last read releases it.
        assertTrue(again.tryRef());
        again.markObsolete();
        assertEquals(1, cache.entriesOf(again.id()));
        assertEquals(3, value(again, 1));
        assertEquals(0, value(again, 0));
        assertEquals(hits + 1, cache.stats().hits());
        assertEquals(1, cache.entriesOf(again.id()));
        again.unref();
        assertEquals(0, cache.entriesOf(again.id()));
    }

    @Test
    void theCacheStaysWithinItsBytes() throws IOException {
        SSTableReader sst = kvSSTable(2000);
        long capacity = 40 << 10;
        KeyCache cache = KeyCache.create(capacity, Runnable::run);
        sst.keyCache(cache);
        for (long k = 0; k < 2000; k++) {
            assertEquals(k * 3, value(sst, k));
        }
        cache.cleanUp();
        KeyCache.Stats s = cache.stats();
        assertTrue(s.size() <= capacity, "holds " + s.size() + " of " + capacity);
        int perEntry = KeyCache.ENTRY_OVERHEAD + 24; // 8-byte keys
        assertTrue(s.entries() <= capacity / perEntry && s.entries() >= capacity / perEntry / 2,
                s.entries() + " entries of ~" + perEntry + " bytes in " + capacity);
        assertEquals(s.entries() * perEntry, s.size());
        sst.markObsolete();
    }

    @Test
    void widePartitionsWeighTheirRowIndexAndHugeOnesAreNotCached() throws IOException {
        Memtable m = SSTableReaderTest.widePartition(40, 5); // 200 rows
        SSTableReader sst = SSTableReaderTest.flush(dir, m, new SSTableConfig(4096, 64, 0.01, 128));
        KeyCache cache = KeyCache.create(1 << 20, Runnable::run);
        sst.keyCache(cache);
        DecoratedKey key = io.sibyl.storage.testutil.TestTables.key(1);
        assertTrue(sst.partition(key, ClusteringFilter.ALL).isPresent());
        assertEquals(1, cache.stats().entries());
        long wide = cache.stats().size();
        // row index blocks of two 2-column clusterings each: far more than a narrow entry
        assertTrue(wide > 10 * (KeyCache.ENTRY_OVERHEAD + 24), "wide entry weighs " + wide);
        sst.markObsolete();

        Memtable huge = SSTableReaderTest.widePartition(2000, 5);
        SSTableReader big = SSTableReaderTest.flush(dir, huge, new SSTableConfig(4096, 64, 0.01, 128));
        KeyCache other = KeyCache.create(100 << 20, Runnable::run);
        big.keyCache(other);
        assertTrue(big.partition(key, ClusteringFilter.ALL).isPresent());
        assertEquals(0, other.stats().entries(), "an entry above " + KeyCache.MAX_ENTRY_BYTES + " bytes is not cached");
        big.markObsolete();
    }

    @Test
    void weightsCountKeyBytesAndClusterings() {
        IndexEntry narrow = new IndexEntry(TestMutations.murmurKey(1), 0, List.of());
        assertEquals(KeyCache.ENTRY_OVERHEAD + 24, KeyCache.weigh(narrow));
        IndexEntry longKey = new IndexEntry(new DecoratedKey(1, new byte[100]), 0, List.of());
        assertEquals(KeyCache.ENTRY_OVERHEAD + 120, KeyCache.weigh(longKey));
        Clustering c = Clustering.of(TestTypes.bigint(1));
        IndexEntry wide = new IndexEntry(TestMutations.murmurKey(1), 0, List.of(new IndexEntry.Block(c, c, 0, 10)));
        // ArrayList + array, the block, and two clusterings of one 8-byte value each
        assertEquals(KeyCache.ENTRY_OVERHEAD + 24 + 24 + 24 + 40 + 2 * (24 + 24 + 24), KeyCache.weigh(wide));
    }

    @Test
    void disabledCacheHoldsNothing() throws IOException {
        SSTableReader sst = kvSSTable(10);
        KeyCache off = KeyCache.create(0);
        assertTrue(off == KeyCache.DISABLED && !off.isEnabled());
        sst.keyCache(off);
        assertEquals(9, value(sst, 3));
        assertEquals(9, value(sst, 3));
        assertEquals(new KeyCache.Stats(0, 0, 0, 0, 0), off.stats());
        sst.markObsolete();
    }

    /** Readers race on a skewed key set in a cache small enough to evict all the time: every answer stays right. */
    @Test
    void concurrentReadsWithEvictionReturnTheRightRows() throws Exception {
        SSTableReader sst = kvSSTable(2000);
        KeyCache cache = KeyCache.create(16 << 10, Runnable::run);
        sst.keyCache(cache);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 5000; i++) {
                        long k = rnd.nextInt(4) == 0 ? rnd.nextInt(2000) : rnd.nextInt(20); // 75% on 20 hot keys
                        assertEquals(k * 3, value(sst, k));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        cache.cleanUp();
        KeyCache.Stats s = cache.stats();
        assertEquals(20_000, s.requests());
        assertTrue(s.hitRate() > 0.5, "hit rate " + s.hitRate());
        assertTrue(s.size() <= 16 << 10);
        sst.markObsolete();
        assertEquals(0, cache.stats().entries());
    }
}
