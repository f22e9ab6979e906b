package io.sibyl.storage.memtable;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.testutil.TestTables;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.sibyl.storage.testutil.TestTypes.bigint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemtableTest {

    private final TableMetadata kv = TestTables.kv();

    private PartitionUpdate write(long pk, long v, long ts) {
        return PartitionUpdate.builder(kv, TestTables.key(pk)).add(Row.of(Clustering.EMPTY, LivenessInfo.EMPTY,
                DeletionTime.LIVE, List.of(Cell.live("v", bigint(v), ts)), Map.of())).build();
    }

    @Test
    void tracksDataSizeAndTimestampBounds() {
        Memtable m = new Memtable(kv);
        assertEquals(Long.MAX_VALUE, m.minTimestamp());
        m.apply(write(1, 1, 50));
        long afterOne = m.liveDataSize();
        assertTrue(afterOne > 0);
        m.apply(write(2, 1, 10));
        m.apply(write(1, 2, 90)); // overwrites in place: size barely changes
        assertEquals(10, m.minTimestamp());
        assertEquals(90, m.maxTimestamp());
        assertEquals(2, m.partitionCount());
        assertTrue(m.liveDataSize() >= 2 * afterOne - 1 && m.liveDataSize() < 3 * afterOne);
    }

    @Test
    void iteratesPartitionsInRingOrderWithinARange() {
        Memtable m = new Memtable(kv);
        for (long pk = 0; pk < 9; pk++) {
            m.apply(write(pk, pk, 1));
        }
        List<DecoratedKey> all = keys(m.iterator(KeyRange.all()));
        assertEquals(9, all.size());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).compareTo(all.get(i)) < 0);
        }
        // token(pk) > -1000 AND token(pk) <= 0: pks with pk mod 3 == 1.
        List<DecoratedKey> some = keys(m.iterator(KeyRange.tokens(-1000, 0)));
        assertEquals(List.of(TestTables.key(1), TestTables.key(4), TestTables.key(7)), some);
    }

    private static List<DecoratedKey> keys(Iterator<UnfilteredRowIterator> it) {
        List<DecoratedKey> out = new ArrayList<>();
        it.forEachRemaining(p -> out.add(p.key()));
        return out;
    }

    @Test
    void concurrentWritersOfNewKeysShareOnePartitionPerKey() throws Exception {
        Memtable m = new Memtable(kv);
        int threads = 4;
        int keys = 2_000;
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long ts = t + 1;
            all.add(new Thread(() -> {
                for (long pk = 0; pk < keys; pk++) {
                    m.apply(write(pk, ts, ts));
                }
            }));
        }
        all.forEach(Thread::start);
        for (Thread t : all) {
            t.join();
        }
        assertEquals(keys, m.partitionCount());
        assertEquals(keys, keys(m.iterator(KeyRange.all())).size(), "the skip list holds every partition once");
        for (long pk = 0; pk < keys; pk += 97) {
            UnfilteredRowIterator p = m.partition(TestTables.key(pk), io.sibyl.storage.read.ClusteringFilter.ALL)
                    .orElseThrow();
            Row row = p.next();
            // Every writer's cell landed in the one partition: the highest timestamp wins.
            assertEquals(threads, row.cell("v").timestamp(), "pk " + pk);
        }
        assertTrue(m.partition(TestTables.key(keys + 1), io.sibyl.storage.read.ClusteringFilter.ALL).isEmpty());
    }

    private PartitionUpdate writeKey(DecoratedKey key, long v) {
        return PartitionUpdate.builder(kv, key).add(Row.of(Clustering.EMPTY, LivenessInfo.EMPTY,
                DeletionTime.LIVE, List.of(Cell.live("v", bigint(v), 1)), Map.of())).build();
    }

    @Test
    void rangeReadsSeeEveryPartitionWrittenBeforeThemWhileWritesGoOn() {
        Memtable m = new Memtable(kv);
        java.util.TreeSet<DecoratedKey> model = new java.util.TreeSet<>();
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 40; i++) {
                // few tokens, so keys that share a token must be ordered by their bytes
                DecoratedKey key = new DecoratedKey(random.nextInt(20) - 10, new byte[] {(byte) random.nextInt(256)});
                m.apply(writeKey(key, i));
                model.add(key);
            }
            assertEquals(List.copyOf(model), keys(m.range(KeyRange.all(), io.sibyl.storage.read.ClusteringFilter.ALL)),
                    "range read after round " + round);
            assertEquals(List.copyOf(model), keys(m.iterator(KeyRange.all())), "flush order after round " + round);
            List<DecoratedKey> someTokens = keys(m.iterator(KeyRange.tokens(-3, 4)));
            assertEquals(model.stream().filter(k -> k.token() > -3 && k.token() <= 4).toList(), someTokens);
        }
    }

    @Test
    void countsSlabBytesUsedAndTheObjectsIndexingThem() {
        Memtable m = new Memtable(kv);
        PartitionUpdate first = write(1, 1, 10);
        m.apply(first);
        long packed = m.slabBytesAllocated();
        assertTrue(packed > 8 && packed < first.dataSize(), "one bigint cell packs into a few bytes: " + packed);
        long expected = MemtablePartition.PARTITION_OVERHEAD + first.key().key().length + packed + PackedRow.HANDLE_SIZE;
        assertEquals(expected, m.liveDataSize());
        // Same partition and row: the merged row is packed anew, the old version's bytes stay until the flush.
        m.apply(write(1, 2, 20));
        assertEquals(2 * packed, m.slabBytesAllocated());
        assertEquals(expected + packed, m.liveDataSize());
        // A write that changes nothing packs nothing.
        m.apply(write(1, 2, 20));
        assertEquals(expected + packed, m.liveDataSize());
        m.apply(write(2, 1, 10)); // a new partition adds its overhead again
        assertEquals(2 * expected + packed, m.liveDataSize());
    }

    private static Row onlyRow(Memtable m, DecoratedKey key) {
        UnfilteredRowIterator p = m.partition(key, io.sibyl.storage.read.ClusteringFilter.ALL).orElseThrow();
        Row row = p.next();
        assertTrue(!p.hasNext(), "one row");
        return row;
    }

    @Test
    void concurrentMergesOfOneRowKeepEveryWritersWinningCells() throws Exception {
        TableMetadata events = TestTables.events();
        Memtable m = new Memtable(events);
        DecoratedKey key = TestTables.key(5);
        Clustering ck = Clustering.of(bigint(1), bigint(2));
        int threads = 4;
        int perThread = 400;
        List<List<Row>> written = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                long ts = 1_000_000L + i * threads + t; // interleaved timestamps: every thread wins some columns
                List<Cell> cells = new ArrayList<>();
                cells.add(Cell.live("v1", bigint(ts), ts));
                cells.add(Cell.live("tags", bigint(t * 10_000L + i), new byte[0], ts)); // a new element per write
                if (i % 50 == 0) {
                    cells.add(Cell.tombstone("tags", bigint(t * 10_000L + i - 25), ts, 100)); // delete an older one
                }
                if (t == 0 && i % 7 == 0) {
                    cells.add(Cell.expiring("v2", null, io.sibyl.storage.testutil.TestTypes.text("t" + i), ts, 3600, 100));
                }
                rows.add(Row.of(ck, t == 1 ? LivenessInfo.create(ts, 0, 100) : LivenessInfo.EMPTY, DeletionTime.LIVE,
                        cells, Map.of()));
            }
            written.add(rows);
        }
        List<Thread> all = new ArrayList<>();
        for (List<Row> rows : written) {
            all.add(new Thread(() -> {
                for (Row r : rows) {
                    m.apply(PartitionUpdate.builder(events, key).add(r).build());
                }
            }));
        }
        all.forEach(Thread::start);
        for (Thread t : all) {
            t.join();
        }
        Row model = Row.empty(ck);
        for (List<Row> rows : written) {
            for (Row r : rows) {
                model = io.sibyl.storage.data.Reconciler.merge(model, r);
            }
        }
        Row stored = onlyRow(m, key);
        assertEquals(model, stored);
        // Every element written; each thread's first deletion names an element never written (a new slot).
        assertEquals(threads * perThread + threads, stored.cells("tags").size());
    }

    @Test
    void aRowLargerThanASlabIsStoredAndReadBackWhole() {
        TableMetadata events = TestTables.events();
        Memtable m = new Memtable(events);
        Clustering ck = Clustering.of(bigint(1), bigint(1));
        String big = "x".repeat(MemtableAllocator.SLAB_SIZE + 17);
        Row row = Row.of(ck, LivenessInfo.create(10, 0, 0), DeletionTime.LIVE, List.of(
                Cell.live("v1", bigint(1), 10), Cell.live("v2", io.sibyl.storage.testutil.TestTypes.text(big), 10)), Map.of());
        PartitionUpdate small = PartitionUpdate.builder(events, TestTables.key(1)).add(Row.of(Clustering.of(bigint(0), bigint(0)),
                LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(Cell.live("v1", bigint(1), 10)), Map.of())).build();
        m.apply(small);
        m.apply(PartitionUpdate.builder(events, TestTables.key(2)).add(row).build());
        m.apply(PartitionUpdate.builder(events, TestTables.key(3)).add(row).build());
        assertEquals(row, onlyRow(m, TestTables.key(2)));
        assertEquals(row, onlyRow(m, TestTables.key(3)));
        assertEquals(small.rows().get(0), onlyRow(m, TestTables.key(1)));
        assertTrue(m.liveDataSize() > 2L * MemtableAllocator.SLAB_SIZE, "the big rows count: " + m.liveDataSize());
    }

    @Test
    void theOneRowOfATableWithoutClusteringIsReadByItsSlice() {
        Memtable m = new Memtable(kv);
        m.apply(write(1, 7, 10));
        Row expected = write(1, 7, 10).rows().get(0);
        io.sibyl.storage.read.ClusteringFilter exact = io.sibyl.storage.read.ClusteringFilter.row(Clustering.EMPTY);
        assertEquals(expected, onlyRow(m, TestTables.key(1)));
        UnfilteredRowIterator p = m.partition(TestTables.key(1), exact).orElseThrow();
        assertEquals(expected, p.next());
        assertTrue(!p.hasNext());
        assertEquals(expected, m.partition(TestTables.key(1), exact.withReversed(true)).orElseThrow().next());
    }

    @Test
    void updatesOfOneColumnOfAWideRowAreDeltasNotCopiesOfTheRow() {
        TableMetadata events = TestTables.events();
        Memtable m = new Memtable(events);
        DecoratedKey key = TestTables.key(9);
        Clustering ck = Clustering.of(bigint(1), bigint(1));
        Row wide = Row.of(ck, LivenessInfo.create(10, 0, 0), DeletionTime.LIVE, List.of(
                Cell.live("v2", io.sibyl.storage.testutil.TestTypes.text("w".repeat(1000)), 10)), Map.of());
        m.apply(PartitionUpdate.builder(events, key).add(wide).build());
        long afterRow = m.slabBytesAllocated();
        Row model = wide;
        int updates = 40;
        for (int i = 0; i < updates; i++) {
            Row update = Row.of(ck, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(Cell.live("v1", bigint(i), 20 + i)), Map.of());
            m.apply(PartitionUpdate.builder(events, key).add(update).build());
            model = io.sibyl.storage.data.Reconciler.merge(model, update);
            assertEquals(model, onlyRow(m, key), "after update " + i);
        }
        long perUpdate = (m.slabBytesAllocated() - afterRow) / updates;
        // A fold every MAX_CHAIN updates re-packs the 1 KB row; the other updates take a few bytes each.
        assertTrue(perUpdate < afterRow / 2, "slab bytes per one-column update: " + perUpdate + ", row " + afterRow);
        assertTrue(perUpdate > afterRow / (2 * MemtablePartition.MAX_CHAIN), "folds happen: " + perUpdate);
        // A full-row overwrite folds at once: the chain never outweighs the row.
        m.apply(PartitionUpdate.builder(events, key).add(Row.of(ck, LivenessInfo.create(99, 0, 0), DeletionTime.LIVE,
                List.of(Cell.live("v2", io.sibyl.storage.testutil.TestTypes.text("z".repeat(1000)), 99)), Map.of())).build());
        assertEquals("z".repeat(1000), new String(onlyRow(m, key).cell("v2").value(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void rejectsUpdatesOfAnotherTable() {
        Memtable m = new Memtable(TestTables.events());
        assertThrows(IllegalArgumentException.class, () -> m.apply(write(1, 1, 1)));
    }
}
