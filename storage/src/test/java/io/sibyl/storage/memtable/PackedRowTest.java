package io.sibyl.storage.memtable;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.serialization.DataOutputBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.sibyl.storage.testutil.TestTypes.bigint;
import static io.sibyl.storage.testutil.TestTypes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackedRowTest {

    private static final long BASE = 1_700_000_000_000_000L;
    private final MemtableColumns columns = new MemtableColumns();
    private final MemtableAllocator allocator = new MemtableAllocator();

    private Row roundTrip(Row row) {
        DataOutputBuffer out = new DataOutputBuffer();
        PackedRow.encode(row, out, columns, BASE);
        PackedRow packed = allocator.store(out.array(), out.length(), null);
        assertEquals(out.length(), packed.length());
        return packed.decode(row.clustering(), columns, BASE);
    }

    @Test
    void everyCellKindRoundTrips() {
        int now = 1_700_000_000;
        Row row = Row.of(Clustering.of(bigint(1), bigint(2)), LivenessInfo.create(BASE + 5, 0, now),
                DeletionTime.LIVE, List.of(
                        Cell.live("a", bigint(42), BASE + 1),                                   // live
                        Cell.expiring("b", null, text("expires"), BASE - 7_000_000, 3600, now), // expiring, before base
                        Cell.tombstone("c", null, BASE + 3, now),                               // tombstone
                        Cell.live("d", bigint(7), bigint(70), BASE + 4),                        // collection element
                        Cell.live("d", bigint(8), new byte[0], BASE + 4),                        // empty value
                        Cell.expiring("d", bigint(9), bigint(90), BASE + 4, 60, now),           // expiring element
                        Cell.tombstone("d", bigint(10), BASE + 4, now),                         // element tombstone
                        Cell.live("e", bigint(1), Long.MIN_VALUE + 1),                          // extreme timestamps
                        Cell.live("f", bigint(1), Long.MAX_VALUE)),
                Map.of("d", new DeletionTime(BASE + 2, now), "g", new DeletionTime(BASE - 1, now - 5)));
        assertEquals(row, roundTrip(row));
    }

    @Test
    void rowMarkersAndDeletionsRoundTrip() {
        int now = 1_700_000_000;
        Clustering c = Clustering.of(bigint(3));
        List<Row> rows = List.of(
                Row.empty(c),
                new Row(c, LivenessInfo.create(BASE, 0, now), DeletionTime.LIVE, List.of(), Map.of()),
                new Row(c, LivenessInfo.create(BASE, 86_400, now), DeletionTime.LIVE, List.of(), Map.of()),
                new Row(c, LivenessInfo.EMPTY, new DeletionTime(BASE + 9, now), List.of(), Map.of()),
                new Row(Clustering.EMPTY, LivenessInfo.create(BASE - 1, 0, now), new DeletionTime(BASE - 2, now),
                        List.of(Cell.live("v", text("x".repeat(300)), BASE)), Map.of()));
        for (Row r : rows) {
            assertEquals(r, roundTrip(r));
        }
    }

    @Test
    void decodedCellsShareTheFirstInstanceOfEachColumnName() {
        String v = "v";
        Row row = new Row(Clustering.EMPTY, LivenessInfo.EMPTY, DeletionTime.LIVE,
                List.of(Cell.live(v, bigint(1), BASE)), Map.of());
        Row again = roundTrip(row);
        assertSame(v, again.cells().get(0).column());
        // A different String instance with the same name gets the same number.
        Row other = new Row(Clustering.EMPTY, LivenessInfo.EMPTY, DeletionTime.LIVE,
                List.of(Cell.live(new String("v"), bigint(2), BASE)), Map.of());
        assertSame(v, roundTrip(other).cells().get(0).column());
        assertEquals(1, columns.size());
    }

    @Test
    void aRowTakesItsEncodedSizeAndNothingMore() {
        Row row = new Row(Clustering.EMPTY, LivenessInfo.create(BASE, 0, 0), DeletionTime.LIVE,
                List.of(Cell.live("v", text("y".repeat(100)), BASE)), Map.of());
        roundTrip(row);
        long once = allocator.allocatedBytes();
        // flags, marker timestamp, cell: flags, column, timestamp, length, 100 bytes
        assertTrue(once >= 100 && once <= 110, "packed size " + once);
        roundTrip(row);
        assertEquals(2 * once, allocator.allocatedBytes());
    }
}
