package io.sibyl.storage.sstable;

import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.testutil.TestMutations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a key-cache hit saves, in thread CPU time per point read of one flushed SSTable (load-independent, unlike
 * a paired node run on a shared machine): 100 000 narrow partitions at the default chunk and summary sizes, reads
 * of a 5 000-key hot set that fits the cache: no cache, the key cache, the key and chunk caches, alternately. The figure is in docs/performance.md.
 */
// soak: a measurement, not a check; the caches' correctness is KeyCacheTest's, ChunkCacheTest's and CompactionModelTest's
@Tag("soak")
class KeyCacheCostTest {

    @TempDir
    Path dir;

    @Test
    void cpuPerPointReadWithAndWithoutTheCache() throws Exception {
        Memtable m = new Memtable(SSTableReaderTest.KV);
        for (long k = 0; k < 100_000; k++) {
            m.apply(TestMutations.kvUpdate(SSTableReaderTest.KV, k, k, 5));
        }
        SSTableReader sst = SSTableReaderTest.flush(dir, m, new SSTableConfig(64 << 10, 16 << 10, 0.01, 128));
        KeyCache cache = KeyCache.create(32 << 20);
        ChunkCache chunks = ChunkCache.create(32 << 20);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] off = new double[4];
        double[] on = new double[4];
        double[] both = new double[4];
        for (int round = 0; round < 4; round++) {
            for (int mode = 0; mode < 3; mode++) {
                boolean cached = mode > 0;
                sst.keyCache(cached ? cache : KeyCache.DISABLED);
                sst.chunkCache(mode == 2 ? chunks : ChunkCache.DISABLED);
                Random rnd = new Random(round);
                int n = 200_000;
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    var read = new SinglePartitionReadCommand(SSTableReaderTest.KV, TestMutations.murmurKey(rnd.nextInt(5000)),
                            ClusteringFilter.ALL, 10, DataLimits.NONE);
                    assertTrue(!read.execute(List.of(sst)).partitions().isEmpty());
                }
                double nsPerRead = (mx.getCurrentThreadCpuTime() - t0) / (double) n;
                (mode == 0 ? off : mode == 1 ? on : both)[round] = nsPerRead;
            }
        }
        System.out.printf("KEYCACHE-COST off ns/read %s; key cache %s; key + chunk cache %s; key stats %s; chunk stats %s%n",
                java.util.Arrays.toString(off), java.util.Arrays.toString(on), java.util.Arrays.toString(both),
                cache.stats(), chunks.stats());
        sst.markObsolete();
    }
}
