package io.sibyl.storage.sstable;

import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkCacheTest {

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
        return TestTypes.bigint(p.next().cell("v").value());
    }

    @Test
    void aHotPartitionsChunkIsReadAndDecompressedOnce() throws IOException {
        SSTableReader sst = kvSSTable(500);
        ChunkCache cache = ChunkCache.create(1 << 20, Runnable::run);
        sst.chunkCache(cache);
        assertEquals(21, value(sst, 7));
        long read = sst.chunksRead();
        assertEquals(1, read);
        assertEquals(21, value(sst, 7));
        assertEquals(21, value(sst, 7));
        assertEquals(read, sst.chunksRead(), "hits decompress nothing");
        assertEquals(2, cache.stats().hits());
        assertEquals(1, cache.stats().entries());
        long size = cache.stats().size(); // the chunk's bytes (at most 1 KiB here) and the entry's overhead
        assertTrue(size > ChunkCache.ENTRY_OVERHEAD + 512 && size <= ChunkCache.ENTRY_OVERHEAD + 1024, "weighs " + size);

        // With the data file zeroed, only the cached chunk is still readable: a hit never touches the file.
        long length;
        try (RandomAccessFile f = new RandomAccessFile(sst.descriptor().path(Component.DATA).toFile(), "rw")) {
            length = f.length();
            f.seek(0);
            f.write(new byte[(int) length]);
        }
        assertEquals(21, value(sst, 7));
        int other = 0;
        for (long k = 0; k < 500 && other == 0; k++) {
            long key = k;
            try {
                value(sst, key);
            } catch (CorruptSSTableException e) {
                other++; // a key in another chunk: its CRC fails
            }
        }
        assertEquals(1, other);
        sst.markObsolete();
        assertEquals(0, cache.stats().entries(), "released with its reader");
    }

    @Test
    void theCacheStaysWithinItsBytesAndAnswersRight() throws IOException {
        SSTableReader sst = kvSSTable(5000);
        long capacity = 8 << 10; // a few 1 KiB chunks
        ChunkCache cache = ChunkCache.create(capacity, Runnable::run);
        sst.chunkCache(cache);
        for (int round = 0; round < 3; round++) {
            for (long k = 0; k < 5000; k += 7) {
                assertEquals(k * 3, value(sst, k));
            }
        }
        cache.cleanUp();
        assertTrue(cache.stats().size() <= capacity, cache.stats().toString());
        assertTrue(cache.stats().entries() > 0);
        sst.markObsolete();
    }

    @Test
    void disabledHoldsNothing() throws IOException {
        SSTableReader sst = kvSSTable(10);
        sst.chunkCache(ChunkCache.create(0));
        assertEquals(9, value(sst, 3));
        assertEquals(9, value(sst, 3));
        assertEquals(2, sst.chunksRead());
        assertThrows(IllegalArgumentException.class, () -> ChunkCache.create(-1, Runnable::run));
        sst.markObsolete();
    }
}
