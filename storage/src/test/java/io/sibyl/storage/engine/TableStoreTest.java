package io.sibyl.storage.engine;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.FilteredPartition;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.UnknownTableException;
import io.sibyl.storage.testutil.TestEngine;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sibyl.storage.testutil.TestTypes.bigint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scenario tests of the write and read path through a TableStore, one Cassandra rule each. */
class TableStoreTest {

    private static final int NOW = 1_000;
    private final TableMetadata events = TestTables.events();
    private final TableStore store = TestEngine.freshTable(events);
    @TempDir
    Path dir;
    private final DecoratedKey pk = TestTables.key(1);

    private static Clustering ck(long a, long b) {
        return Clustering.of(bigint(a), bigint(b));
    }

    private PartitionUpdate.Builder update() {
        return PartitionUpdate.builder(events, pk);
    }

    private void insert(long a, long b, long v1, long ts) {
        store.apply(update().add(Row.of(ck(a, b), LivenessInfo.create(ts, 0, NOW), DeletionTime.LIVE,
                List.of(Cell.live("v1", bigint(v1), ts)), Map.of())).build());
    }

    private void set(Clustering c, Cell... cells) {
        store.apply(update().add(Row.of(c, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(cells), Map.of())).build());
    }

    private List<Row> rows(ClusteringFilter filter, int now) {
        return rows(store.read(new SinglePartitionReadCommand(events, pk, filter, now, DataLimits.NONE)));
    }

    private static List<Row> rows(ReadResult r) {
        List<FilteredPartition> f = r.filtered();
        return f.isEmpty() ? List.of() : f.get(0).rows();
    }

    private static List<String> clusterings(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(bigint(r.clustering().get(0)) + ":" + bigint(r.clustering().get(1)));
        }
        return out;
    }

    private static Long v1(Row r) {
        Cell c = r.cell("v1");
        return c == null ? null : bigint(c.value());
    }

    @Test
    void rowsComeBackInClusteringOrderWithADescColumnAndReversedOnRequest() {
        insert(1, 1, 0, 1);
        insert(1, 2, 0, 1);
        insert(0, 5, 0, 1);
        insert(2, 0, 0, 1);
        assertEquals(List.of("0:5", "1:2", "1:1", "2:0"), clusterings(rows(ClusteringFilter.ALL, NOW)));
        assertEquals(List.of("2:0", "1:1", "1:2", "0:5"), clusterings(rows(ClusteringFilter.ALL.withReversed(true), NOW)));
    }

    @Test
    void usingTimestampDecidesNotArrivalOrder() {
        insert(1, 1, 20, 200);
        insert(1, 1, 10, 100); // arrives later, written earlier
        assertEquals(20L, v1(rows(ClusteringFilter.ALL, NOW).get(0)));
    }

    @Test
    void cellTombstoneRemovesTheValueButAnInsertedRowStays() {
        insert(1, 1, 7, 1);
        set(ck(1, 1), Cell.tombstone("v1", null, 2, NOW));
        List<Row> rows = rows(ClusteringFilter.ALL, NOW);
        assertEquals(1, rows.size(), "the INSERT row marker keeps the row alive");
        assertNull(v1(rows.get(0)));
    }

    @Test
    void anUpdatedRowVanishesWhenItsOnlyCellIsDeleted() {
        set(ck(1, 1), Cell.live("v1", bigint(7), 1));
        set(ck(1, 1), Cell.tombstone("v1", null, 2, NOW));
        assertEquals(List.of(), rows(ClusteringFilter.ALL, NOW));
    }

    @Test
    void rowDeletionShadowsOlderDataOnlyAndTheUnfilteredResultKeepsTheTombstone() {
        insert(1, 1, 7, 5);
        store.apply(update().add(Row.of(ck(1, 1), LivenessInfo.EMPTY, new DeletionTime(5, NOW), List.of(), Map.of())).build());
        ReadResult r = store.read(SinglePartitionReadCommand.fullPartition(events, pk, NOW));
        assertEquals(List.of(), r.filtered());
        assertEquals(1, r.partitions().get(0).rows().size());
        assertEquals(new DeletionTime(5, NOW), r.partitions().get(0).rows().get(0).deletion());
        assertTrue(r.partitions().get(0).rows().get(0).cells().isEmpty(), "shadowed cells are removed");
        assertEquals(1, r.stats().tombstonesScanned());
        set(ck(1, 1), Cell.live("v1", bigint(8), 6));
        assertEquals(8L, v1(rows(ClusteringFilter.ALL, NOW).get(0)));
    }

    @Test
    void rangeDeletionWithAPrefixSlice() {
        for (long b = 0; b < 6; b++) {
            insert(5, b, b, 1);
            insert(6, b, b, 1);
        }
        // DELETE ... WHERE ck1 = 5 AND ck2 > 3 (ck2 is DESC, so the slice starts at the top of ck1 = 5).
        store.apply(update().addRangeTombstone(new Slice(ClusteringBound.start(true, bigint(5)),
                ClusteringBound.end(false, bigint(5), bigint(3))), new DeletionTime(2, NOW)).build());
        assertEquals(List.of("5:3", "5:2", "5:1", "5:0", "6:5", "6:4", "6:3", "6:2", "6:1", "6:0"),
                clusterings(rows(ClusteringFilter.ALL, NOW)));
        // A slice read inside the deleted range finds nothing; the unfiltered result still carries the tombstone.
        ReadResult r = store.read(new SinglePartitionReadCommand(events, pk, ClusteringFilter.slice(Slice.prefix(bigint(5))),
                NOW, DataLimits.NONE));
        assertEquals(1, r.partitions().get(0).rangeTombstones().size());
        assertEquals(4, rows(r).size());
    }

    @Test
    void partitionDeletionShadowsOlderDataIncludingStaticAndLaterWritesReappear() {
        insert(1, 1, 1, 3);
        set(Clustering.STATIC, Cell.live("s", bigint(9), 3));
        store.apply(PartitionUpdate.partitionDeletion(events, pk, new DeletionTime(3, NOW)));
        assertEquals(List.of(), store.read(SinglePartitionReadCommand.fullPartition(events, pk, NOW)).filtered());
        insert(2, 2, 2, 4);
        assertEquals(List.of("2:2"), clusterings(rows(ClusteringFilter.ALL, NOW)));
    }

    @Test
    void ttlCellsAndRowMarkersExpire() {
        store.apply(update().add(Row.of(ck(1, 1), LivenessInfo.create(1, 10, NOW), DeletionTime.LIVE,
                List.of(Cell.expiring("v1", null, bigint(1), 1, 10, NOW)), Map.of())).build());
        set(ck(1, 1), Cell.expiring("v2", null, TestTypes.text("x"), 1, 20, NOW));
        assertEquals(1, rows(ClusteringFilter.ALL, NOW + 9).size());
        List<Row> at10 = rows(ClusteringFilter.ALL, NOW + 10);
        assertEquals(1, at10.size(), "v2 still lives");
        assertNull(at10.get(0).cell("v1"));
        assertEquals(List.of(), rows(ClusteringFilter.ALL, NOW + 20));
        ReadResult expired = store.read(SinglePartitionReadCommand.fullPartition(events, pk, NOW + 20));
        assertEquals(2, expired.stats().tombstonesScanned(), "expired cells count as tombstones");
    }

    @Test
    void aPartitionWithOnlyAStaticRowReturnsOneRowForFullPartitionReadsOnly() {
        set(Clustering.STATIC, Cell.live("s", bigint(9), 1));
        List<FilteredPartition> full = store.read(SinglePartitionReadCommand.fullPartition(events, pk, NOW)).filtered();
        assertEquals(1, full.size());
        assertTrue(full.get(0).isStaticOnly());
        assertEquals(9L, bigint(full.get(0).staticRow().cell("s").value()));
        assertEquals(List.of(), store.read(new SinglePartitionReadCommand(events, pk,
                ClusteringFilter.slice(Slice.prefix(bigint(1))), NOW, DataLimits.NONE)).filtered());
        insert(1, 1, 1, 1);
        FilteredPartition withRows = store.read(SinglePartitionReadCommand.fullPartition(events, pk, NOW)).filtered().get(0);
        assertFalse(withRows.isStaticOnly());
        assertEquals(1, withRows.rows().size());
        assertEquals(9L, bigint(withRows.staticRow().cell("s").value()));
    }

    @Test
    void setElementsAreAddedRemovedAndOverwritten() {
        Clustering c = ck(1, 1);
        set(c, Cell.live("tags", bigint(1), new byte[0], 1), Cell.live("tags", bigint(2), new byte[0], 1));
        set(c, Cell.live("tags", bigint(3), new byte[0], 2));
        set(c, Cell.tombstone("tags", bigint(1), 3, NOW));
        assertEquals(Set.of(2L, 3L), TestTypes.longs(paths(rows(ClusteringFilter.ALL, NOW).get(0))));
        // SET tags = {7} at 10: a collection deletion at 9, then the new element.
        store.apply(update().add(Row.of(c, LivenessInfo.EMPTY, DeletionTime.LIVE,
                List.of(Cell.live("tags", bigint(7), new byte[0], 10)), Map.of("tags", new DeletionTime(9, NOW)))).build());
        assertEquals(Set.of(7L), TestTypes.longs(paths(rows(ClusteringFilter.ALL, NOW).get(0))));
    }

    private static List<byte[]> paths(Row r) {
        return r.cells("tags").stream().map(Cell::path).toList();
    }

    @Test
    void droppedColumnsHideOldCellsAndAReAddedColumnShowsOnlyNewerOnes() {
        insert(1, 1, 7, 5);
        TableMetadata dropped = events.withColumnDropped("v1", 10);
        store.updateMetadata(dropped);
        SinglePartitionReadCommand read = SinglePartitionReadCommand.fullPartition(dropped, pk, NOW);
        Row r = rows(store.read(read)).get(0);
        assertNull(r.cell("v1"));
        TableMetadata readded = dropped.withColumnAdded(ColumnMetadata.regular("v1", TestTypes.BIGINT));
        store.updateMetadata(readded);
        set(ck(2, 2), Cell.live("v1", bigint(8), 11));
        List<Row> rows = rows(store.read(SinglePartitionReadCommand.fullPartition(readded, pk, NOW)));
        assertNull(rows.get(0).cell("v1"), "written before the drop");
        assertEquals(8L, v1(rows.get(1)));
    }

    @Test
    void selectedColumnsTrimCellsButRowExistenceUsesAllColumns() {
        set(ck(1, 1), Cell.live("v2", TestTypes.text("x"), 1));
        List<Row> rows = rows(ClusteringFilter.ALL.withColumns(Set.of("v1")), NOW);
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).cells().isEmpty());
    }

    @Test
    void limitsCountLiveRowsOnlyAndStopEarly() {
        for (long a = 0; a < 10; a++) {
            insert(a, 0, a, 1);
        }
        for (long a = 0; a < 10; a += 2) {
            store.apply(update().add(Row.of(ck(a, 0), LivenessInfo.EMPTY, new DeletionTime(1, NOW), List.of(), Map.of())).build());
        }
        ReadResult r = store.read(new SinglePartitionReadCommand(events, pk, ClusteringFilter.ALL, NOW, DataLimits.rows(2)));
        assertEquals(List.of("1:0", "3:0"), clusterings(rows(r)));
        assertTrue(r.limitReached());
        assertEquals(4, r.stats().rowsScanned(), "two deleted rows and two live ones, nothing after the limit");
        ReadResult rev = store.read(new SinglePartitionReadCommand(events, pk, ClusteringFilter.ALL.withReversed(true), NOW,
                DataLimits.rows(2)));
        assertEquals(List.of("9:0", "7:0"), clusterings(rows(rev)));
    }

    @Test
    void digestsAgreeOnEqualDataAndDifferOtherwise() {
        insert(1, 1, 1, 1);
        StorageEngine otherEngine = TestEngine.open(dir);
        TableStore other = otherEngine.createTable(events);
        other.apply(update().add(Row.of(ck(1, 1), LivenessInfo.create(1, 0, NOW), DeletionTime.LIVE,
                List.of(Cell.live("v1", bigint(1), 1)), Map.of())).build());
        SinglePartitionReadCommand read = SinglePartitionReadCommand.fullPartition(events, pk, NOW);
        assertArrayEquals(store.read(read).digest(), other.read(read).digest());
        other.apply(update().add(Row.of(ck(1, 1), LivenessInfo.EMPTY, DeletionTime.LIVE,
                List.of(Cell.tombstone("v2", null, 1, NOW)), Map.of())).build());
        assertFalse(Arrays.equals(store.read(read).digest(), other.read(read).digest()), "a tombstone changes the digest");
        otherEngine.close();
    }

    @Test
    void switchedMemtablesStayReadableUntilFlushedAndTruncateDropsAll() throws Exception {
        insert(1, 1, 1, 1);
        Memtable old = store.switchMemtable();
        assertTrue(old.isSwitched());
        assertEquals(List.of(old), store.flushingMemtables());
        insert(2, 2, 2, 2);
        assertEquals(2, rows(ClusteringFilter.ALL, NOW).size());
        assertFalse(old.tryApply(update().build()));
        store.flush().toCompletableFuture().get(); // commits the switched memtable first, then the current one
        assertEquals(List.of(), store.flushingMemtables());
        assertEquals(2, store.sstables().size());
        assertEquals(List.of("1:1", "2:2"), clusterings(rows(ClusteringFilter.ALL, NOW)));
        store.truncate();
        assertEquals(List.of(), rows(ClusteringFilter.ALL, NOW));
        assertEquals(List.of(), store.sstables());
    }

    @Test
    void tablesWithoutClusteringColumnsHoldOneRowPerPartition() {
        TableMetadata kv = TestTables.kv();
        TableStore t = TestEngine.freshTable(kv);
        DecoratedKey k = TestTables.key(4);
        t.apply(PartitionUpdate.builder(kv, k).add(Row.of(Clustering.EMPTY, LivenessInfo.create(1, 0, NOW),
                DeletionTime.LIVE, List.of(Cell.live("v", bigint(1), 1)), Map.of())).build());
        t.apply(PartitionUpdate.builder(kv, k).add(Row.of(Clustering.EMPTY, LivenessInfo.EMPTY,
                DeletionTime.LIVE, List.of(Cell.live("v", bigint(2), 2)), Map.of())).build());
        List<FilteredPartition> f = t.read(SinglePartitionReadCommand.fullPartition(kv, k, NOW)).filtered();
        assertEquals(1, f.get(0).rows().size());
        assertEquals(2L, bigint(f.get(0).rows().get(0).cell("v").value()));
    }

    @Test
    void engineAppliesMutationsAcrossTablesAndRejectsUnknownTablesWhole() {
        StorageEngine engine = TestEngine.open(dir);
        TableMetadata kv = TestTables.kv();
        engine.createTable(events);
        PartitionUpdate toEvents = update().add(Row.of(ck(1, 1), LivenessInfo.create(1, 0, NOW), DeletionTime.LIVE,
                List.of(), Map.of())).build();
        PartitionUpdate toKv = PartitionUpdate.builder(kv, pk).add(Row.of(Clustering.EMPTY, LivenessInfo.create(1, 0, NOW),
                DeletionTime.LIVE, List.of(), Map.of())).build();
        Mutation both = new Mutation("ks", pk, List.of(toEvents, toKv));
        assertThrows(UnknownTableException.class, () -> engine.apply(both));
        assertEquals(List.of(), engine.table(events.id()).read(SinglePartitionReadCommand.fullPartition(events, pk, NOW))
                .filtered(), "nothing applied when one table is unknown");
        engine.createTable(kv);
        engine.apply(both);
        assertEquals(1, engine.table(kv.id()).read(SinglePartitionReadCommand.fullPartition(kv, pk, NOW)).filtered().size());
        assertEquals(1, engine.table(events.id()).read(SinglePartitionReadCommand.fullPartition(events, pk, NOW))
                .filtered().size());
        assertTrue(engine.dropTable(kv.id()));
        assertThrows(UnknownTableException.class, () -> engine.table(kv.id()));
        engine.close();
    }
}
