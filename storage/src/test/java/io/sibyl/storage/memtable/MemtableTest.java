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
    void countsHeapOverheadOfPartitionsRowsAndCells() {
        Memtable m = new Memtable(kv);
        PartitionUpdate first = write(1, 1, 10);
        Row row = first.rows().get(0);
        m.apply(first);
        long expected = MemtablePartition.PARTITION_OVERHEAD + first.key().key().length + row.dataSize()
                + MemtablePartition.ROW_OVERHEAD + MemtablePartition.CELL_OVERHEAD;
        assertEquals(expected, m.liveDataSize());
        assertTrue(m.liveDataSize() > 2 * first.dataSize(), "a small row's objects outweigh its data");
        m.apply(write(1, 2, 20)); // same partition and row, same sizes: an overwrite adds nothing
        assertEquals(expected, m.liveDataSize());
        m.apply(write(2, 1, 10)); // a new partition adds its overhead again
        assertEquals(2 * expected, m.liveDataSize());
    }

    @Test
    void rejectsUpdatesOfAnotherTable() {
        Memtable m = new Memtable(TestTables.events());
        assertThrows(IllegalArgumentException.class, () -> m.apply(write(1, 1, 1)));
    }
}
