package io.sibyl.storage.sstable;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.engine.EventsWorkload;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SSTableReaderTest {

    static final TableMetadata EVENTS = TestTables.events();
    static final TableMetadata KV = TestTables.kv();
    static final SSTableConfig SMALL = new SSTableConfig(512, 64, 0.01, 2);

    @TempDir
    Path dir;

    static SSTableReader flush(Path dir, Memtable m, SSTableConfig config) throws IOException {
        SSTableDirectory d = new SSTableDirectory(dir);
        d.cleanupAndList();
        SSTableWriter w = SSTableWriter.create(d.newDescriptor(), m.metadata(), config, m.partitionCount(),
                m.minTimestamp(), new CommitLogPosition(7, 42), 0);
        m.iterator(KeyRange.all()).forEachRemaining(w::append);
        return w.finish(m.metadata());
    }

    @Provide
    Arbitrary<List<EventsWorkload.OpSpec>> sequences() {
        return EventsWorkload.ops().list().ofMinSize(1).ofMaxSize(60);
    }

    /** Whatever was written, the SSTable answers every read exactly as the memtable it was flushed from. */
    @Property(tries = 60)
    void readsEqualTheFlushedMemtable(@ForAll("sequences") List<EventsWorkload.OpSpec> ops, @ForAll long seed) throws IOException {
        Path d = Files.createTempDirectory("sstable-prop");
        try {
            EventsWorkload w = new EventsWorkload();
            Memtable m = new Memtable(w.table);
            w.writes(ops).forEach(x -> m.apply(x.update()));
            // Only empty range deletions (e.g. ck > 2 AND ck < 2) leave nothing to flush: no SSTable to compare.
            net.jqwik.api.Assume.that(m.partitionCount() > 0);
            SSTableReader sst = flush(d, m, SMALL);
            sst.keyCache(KeyCache.create(1 << 20, Runnable::run)); // later reads of a key hit, sliced and reversed alike
            Random rnd = new Random(seed);
            for (int i = 0; i < 40; i++) {
                ClusteringFilter filter = randomFilter(rnd);
                int now = w.now() + rnd.nextInt(4);
                DataLimits limits = rnd.nextBoolean() ? DataLimits.NONE : DataLimits.rows(1 + rnd.nextInt(4));
                for (long p = 0; p < 5; p++) {
                    long pk = p;
                    var read = new SinglePartitionReadCommand(w.table, TestTables.key(pk), filter, now, limits);
                    assertSame(read.execute(List.of(m)), read.execute(List.of(sst)), () -> "pk " + pk + " " + filter);
                }
                KeyRange range = switch (rnd.nextInt(3)) {
                    case 0 -> KeyRange.all();
                    case 1 -> KeyRange.tokens(-1000, 0);
                    default -> KeyRange.fromKey(TestTables.key(rnd.nextInt(4)), rnd.nextBoolean(), Long.MIN_VALUE);
                };
                var scan = new PartitionRangeReadCommand(w.table, range, filter, now, limits);
                assertSame(scan.execute(List.of(m)), scan.execute(List.of(sst)), () -> "scan " + range + " " + filter);
            }
            assertEquals(m.partitionCount(), sst.stats().partitionCount());
            assertEquals(new CommitLogPosition(7, 42), sst.stats().commitLogUpperBound());
            sst.markObsolete();
        } finally {
            try (var s = Files.list(d)) {
                s.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(d);
        }
    }

    static void assertSame(ReadResult expected, ReadResult actual, java.util.function.Supplier<String> what) {
        assertEquals(expected.partitions(), actual.partitions(), what);
        assertArrayEquals(expected.digest(), actual.digest());
        assertEquals(expected.limitReached(), actual.limitReached());
    }

    static ClusteringFilter randomFilter(Random rnd) {
        if (rnd.nextInt(4) == 0) {
            return ClusteringFilter.ALL.withReversed(rnd.nextBoolean());
        }
        List<Slice> slices = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            long a = rnd.nextInt(4);
            ClusteringBound start = rnd.nextBoolean() ? ClusteringBound.BOTTOM : ClusteringBound.start(rnd.nextBoolean(), TestTypes.bigint(a));
            ClusteringBound end = rnd.nextBoolean() ? ClusteringBound.TOP
                    : ClusteringBound.end(rnd.nextBoolean(), TestTypes.bigint(a + rnd.nextInt(3)), TestTypes.bigint(rnd.nextInt(4)));
            slices.add(new Slice(start, end));
        }
        return ClusteringFilter.slices(slices, rnd.nextBoolean());
    }

    static Memtable widePartition(int ck1s, int ck2s) {
        Memtable m = new Memtable(EVENTS);
        for (int a = 0; a < ck1s; a++) {
            PartitionUpdate.Builder b = PartitionUpdate.builder(EVENTS, TestTables.key(1));
            for (int c = 0; c < ck2s; c++) {
                b.add(Row.of(Clustering.of(TestTypes.bigint(a), TestTypes.bigint(c)), LivenessInfo.create(10, 0, 100),
                        DeletionTime.LIVE, List.of(Cell.live("v1", TestTypes.bigint(a * 100L + c), 10)), Map.of()));
            }
            m.apply(b.build());
        }
        return m;
    }

    @Test
    void slicesOfAWidePartitionReadOnlyTheBlocksTheyNeed() throws IOException {
        Memtable m = widePartition(2000, 5);
        SSTableReader sst = flush(dir, m, new SSTableConfig(4096, 1024, 0.01, 128));
        int totalChunks = sst.dataFile().info().chunkCount();
        assertTrue(totalChunks > 20, "chunks: " + totalChunks);
        for (boolean reversed : new boolean[]{false, true}) {
            Slice slice = new Slice(ClusteringBound.start(true, TestTypes.bigint(1000)), ClusteringBound.end(true, TestTypes.bigint(1003)));
            var read = new SinglePartitionReadCommand(EVENTS, TestTables.key(1), ClusteringFilter.slices(List.of(slice), reversed),
                    100, DataLimits.NONE);
            long before = sst.chunksRead();
            ReadResult r = read.execute(List.of(sst));
            long touched = sst.chunksRead() - before;
            assertEquals(20, r.partitions().get(0).rows().size());
            assertTrue(touched <= 4, "a 20-row slice decompressed " + touched + " of " + totalChunks + " chunks");
            assertEquals(read.execute(List.of(m)).partitions(), r.partitions());
            // LIMIT on a reversed full read only touches the tail
            var tail = new SinglePartitionReadCommand(EVENTS, TestTables.key(1), ClusteringFilter.ALL.withReversed(reversed),
                    100, DataLimits.rows(3));
            before = sst.chunksRead();
            ReadResult t = tail.execute(List.of(sst));
            assertTrue(sst.chunksRead() - before <= 4, "limit 3 touched " + (sst.chunksRead() - before));
            assertEquals(tail.execute(List.of(m)).partitions(), t.partitions());
        }
    }

    @Test
    void pointLookupsFindEveryKeyAndNoAbsentOne() throws IOException {
        Memtable m = new Memtable(KV);
        for (long k = 0; k < 2000; k += 2) {
            m.apply(TestMutations.kvUpdate(KV, k, k * 3, 5));
        }
        SSTableReader sst = flush(dir, m, new SSTableConfig(1024, 1024, 0.01, 16));
        for (long k = 0; k < 2000; k++) {
            var r = sst.partition(TestMutations.murmurKey(k), ClusteringFilter.ALL);
            assertEquals(k % 2 == 0, r.isPresent(), "key " + k);
            if (r.isPresent()) {
                Row row = r.get().next();
                assertEquals(k * 3, TestTypes.bigint(row.cell("v").value()));
            }
        }
        assertEquals(1000, sst.bloomTruePositives());
        assertTrue(sst.bloomFalsePositives() < 40, "false positives " + sst.bloomFalsePositives());
    }

    /**
     * A scan's partitions share the chunk they lie in: read one after the other, each chunk is decompressed
     * once (not once per partition); opened all at once before any row is read, every row is still right.
     */
    @Test
    void aScanDecompressesEachChunkOnceForAllItsPartitions() throws IOException {
        Memtable m = new Memtable(KV);
        for (long k = 0; k < 2000; k++) {
            m.apply(TestMutations.kvUpdate(KV, k, k * 5, 5));
        }
        SSTableReader sst = flush(dir, m, new SSTableConfig(1024, 1024, 0.01, 16));
        int chunks = sst.dataFile().info().chunkCount();
        assertTrue(chunks > 20, "chunks: " + chunks);
        long before = sst.chunksRead();
        var scan = sst.range(KeyRange.all(), ClusteringFilter.ALL);
        var expected = m.iterator(KeyRange.all());
        int partitions = 0;
        while (scan.hasNext()) {
            assertSamePartition(expected.next(), scan.next());
            partitions++;
        }
        assertFalse(expected.hasNext());
        assertEquals(2000, partitions);
        assertEquals(chunks, sst.chunksRead() - before, "each chunk decompressed once by a scan of 2000 partitions");

        List<io.sibyl.storage.read.UnfilteredRowIterator> opened = new ArrayList<>();
        sst.range(KeyRange.all(), ClusteringFilter.ALL).forEachRemaining(opened::add);
        expected = m.iterator(KeyRange.all());
        for (var p : opened) {
            assertSamePartition(expected.next(), p);
        }
    }

    private static void assertSamePartition(io.sibyl.storage.read.UnfilteredRowIterator want,
                                            io.sibyl.storage.read.UnfilteredRowIterator got) {
        assertEquals(want.key(), got.key());
        List<Row> a = new ArrayList<>();
        want.forEachRemaining(a::add);
        List<Row> b = new ArrayList<>();
        got.forEachRemaining(b::add);
        assertEquals(a, b, "rows of " + want.key());
    }

    @Test
    void rangeScansFollowTokenOrderAndBounds() throws IOException {
        Memtable m = new Memtable(KV);
        for (long k = 0; k < 500; k++) {
            m.apply(TestMutations.kvUpdate(KV, k, k, 5));
        }
        SSTableReader sst = flush(dir, m, new SSTableConfig(1024, 1024, 0.01, 8));
        Random rnd = new Random(3);
        for (int i = 0; i < 50; i++) {
            long a = rnd.nextLong();
            long b = rnd.nextLong();
            KeyRange range = KeyRange.tokens(Math.min(a, b), Math.max(a, b));
            var scan = new PartitionRangeReadCommand(KV, range, ClusteringFilter.ALL, 10, DataLimits.NONE);
            assertSame(scan.execute(List.of(m)), scan.execute(List.of(sst)), range::toString);
        }
        var all = PartitionRangeReadCommand.all(KV, 10).execute(List.of(sst));
        assertEquals(500, all.partitions().size());
    }

    @Test
    void aFlippedByteFailsOnlyTheReadsOfItsChunkNamingTheFile() throws IOException {
        Memtable m = new Memtable(KV);
        for (long k = 0; k < 3000; k++) {
            m.apply(TestMutations.kvUpdate(KV, k, k, 5));
        }
        SSTableReader sst = flush(dir, m, new SSTableConfig(1024, 1024, 0.01, 128));
        CompressionInfo info = sst.dataFile().info();
        int victim = info.chunkCount() / 2;
        Path data = sst.descriptor().path(Component.DATA);
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            long at = info.chunkOffsets()[victim] + 5;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
        int failed = 0;
        for (long k = 0; k < 3000; k++) {
            var read = SinglePartitionReadCommand.fullPartition(KV, TestMutations.murmurKey(k), 10);
            try {
                assertEquals(1, read.execute(List.of(sst)).partitions().size());
            } catch (CorruptSSTableException e) {
                failed++;
                assertEquals(data, e.file());
                assertTrue(e.getMessage().contains(data.toString()) && e.getMessage().contains("chunk " + victim), e.getMessage());
            }
        }
        assertTrue(failed > 0 && failed < 100, failed + " reads failed");
        assertEquals(failed, sst.corruptChunkReads());
    }

    @Test
    void damagedSmallComponentsAreFoundAtOpen() throws IOException {
        Memtable m = new Memtable(KV);
        m.apply(TestMutations.kvUpdate(KV, 1, 1, 5));
        SSTableReader sst = flush(dir, m, SSTableConfig.DEFAULT);
        sst.close();
        Path stats = sst.descriptor().path(Component.STATISTICS);
        byte[] b = Files.readAllBytes(stats);
        b[10] ^= 1;
        Files.write(stats, b);
        CorruptSSTableException e = assertThrows(CorruptSSTableException.class, () -> SSTableReader.open(sst.descriptor(), KV));
        assertEquals(stats, e.file());
    }

    @Test
    void obsoleteSSTablesAreDeletedWhenTheLastReadEnds() throws IOException {
        Memtable m = new Memtable(KV);
        m.apply(TestMutations.kvUpdate(KV, 1, 1, 5));
        SSTableReader sst = flush(dir, m, SSTableConfig.DEFAULT);
        assertTrue(sst.tryRef());
        sst.markObsolete();
        assertTrue(Files.exists(sst.descriptor().path(Component.DATA)), "still in use");
        sst.unref();
        assertFalse(Files.exists(sst.descriptor().path(Component.DATA)));
        assertFalse(Files.exists(sst.descriptor().path(Component.TOC)));
        assertFalse(sst.tryRef());
    }
}
