package io.sibyl.storage.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.RangeTombstoneList;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.read.UnfilteredRowIterator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The purge rules' cost side: what the purger looks up, and what it leaves untouched. */
class PurgerTest {

    private static final ClusteringComparator NO_CLUSTERING = new ClusteringComparator(List.of(), List.of());
    private static final int NOW = 2_000_000;
    private static final int GC_BEFORE = NOW - 100;
    private static final DecoratedKey KEY = new DecoratedKey(42, new byte[] {1});

    private final AtomicInteger lookups = new AtomicInteger();

    private Purger purger(long maxPurgeable) {
        return new Purger(NO_CLUSTERING, NOW, GC_BEFORE, key -> {
            lookups.incrementAndGet();
            return maxPurgeable;
        });
    }

    private static UnfilteredRowIterator partition(Row... rows) {
        return UnfilteredRowIterator.of(KEY, DeletionTime.LIVE, RangeTombstoneList.empty(NO_CLUSTERING),
                Row.empty(Clustering.STATIC), false, List.of(rows).iterator());
    }

    private static Row row(Cell... cells) {
        return Row.of(Clustering.EMPTY, LivenessInfo.create(10, Cell.NO_TTL, NOW), DeletionTime.LIVE, List.of(cells), Map.of());
    }

    private static List<Row> rows(UnfilteredRowIterator p) {
        List<Row> out = new ArrayList<>();
        for (Iterator<Row> it = p; it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void liveDataNeedsNoLookupAndIsNotCopied() {
        Row live = row(Cell.live("v", new byte[] {7}, 10), Cell.expiring("w", null, new byte[] {8}, 10, 1000, NOW));
        UnfilteredRowIterator out = purger(Long.MAX_VALUE).purge(partition(live));
        assertSame(live, rows(out).get(0), "a row with nothing to purge is kept as it is");
        assertEquals(0, lookups.get(), "no bloom filter lookups for a partition of live data");
    }

    @Test
    void aTombstoneInsideGcGraceNeedsNoLookup() {
        Row r = row(Cell.tombstone("v", null, 10, GC_BEFORE + 50));
        Purger purger = purger(Long.MAX_VALUE);
        List<Row> out = rows(purger.purge(partition(r)));
        assertEquals(1, out.get(0).cells().size(), "the tombstone is kept");
        assertEquals(0, purger.purgedCount());
        assertEquals(0, lookups.get());
    }

    @Test
    void aTombstonePastGcGraceIsLookedUpOncePerPartition() {
        Row r = row(Cell.tombstone("v", null, 10, GC_BEFORE - 50), Cell.tombstone("w", null, 10, GC_BEFORE - 50),
                Cell.live("x", new byte[] {1}, 10));
        Purger purger = purger(Long.MAX_VALUE);
        List<Row> out = rows(purger.purge(partition(r)));
        assertEquals(List.of("x"), out.get(0).cells().stream().map(Cell::column).toList());
        assertEquals(2, purger.purgedCount());
        assertEquals(1, lookups.get(), "one lookup for the partition, however many tombstones it holds");
    }

    @Test
    void aTombstoneThatMayShadowDataOutsideIsKept() {
        Row r = row(Cell.tombstone("v", null, 10, GC_BEFORE - 50));
        Purger purger = purger(5); // a source outside holds the key from timestamp 5 on
        List<Row> out = rows(purger.purge(partition(r)));
        assertEquals(1, out.get(0).cells().size());
        assertEquals(0, purger.purgedCount());
        assertEquals(1, lookups.get());
    }

    @Test
    void aPartitionOfPurgedTombstonesOnlyVanishes() {
        Row r = Row.of(Clustering.EMPTY, LivenessInfo.EMPTY, DeletionTime.LIVE,
                List.of(Cell.tombstone("v", null, 10, GC_BEFORE - 50)), Map.of());
        assertNull(purger(Long.MAX_VALUE).purge(partition(r)));
    }
}
