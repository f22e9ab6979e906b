package io.sibyl.storage.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.sibyl.storage.testutil.TestTypes.bigint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconcilerTest {

    private static final int NOW = 1_000;

    private static Cell live(long v, long ts) {
        return Cell.live("v", bigint(v), ts);
    }

    private static Cell expiring(long v, long ts, int ttl, int now) {
        return Cell.expiring("v", null, bigint(v), ts, ttl, now);
    }

    private static Cell tombstone(long ts, int now) {
        return Cell.tombstone("v", null, ts, now);
    }

    private static void assertWinner(Cell expected, Cell a, Cell b) {
        assertEquals(expected, Reconciler.reconcile(a, b));
        assertEquals(expected, Reconciler.reconcile(b, a));
    }

    @Test
    void higherTimestampWinsWhateverTheKind() {
        assertWinner(live(1, 11), live(9, 10), live(1, 11));
        assertWinner(live(1, 11), tombstone(10, NOW), live(1, 11));
        assertWinner(tombstone(12, NOW), live(1, 11), tombstone(12, NOW));
    }

    @Test
    void onEqualTimestampsATombstoneBeatsALiveCell() {
        Cell t = tombstone(10, NOW);
        assertWinner(t, live(5, 10), t);
    }

    @Test
    void onEqualTimestampsAnExpiringCellBeatsANonExpiringOneEvenWithASmallerValue() {
        Cell e = expiring(1, 10, 100, NOW);
        assertWinner(e, live(9, 10), e);
    }

    @Test
    void onEqualTimestampsATombstoneBeatsAnExpiringCell() {
        Cell t = tombstone(10, 5);
        assertWinner(t, expiring(1, 10, 100, NOW), t);
    }

    @Test
    void twoExpiringCellsOnEqualTimestampsTheLaterExpiryWins() {
        Cell later = expiring(1, 10, 100, NOW);
        assertWinner(later, expiring(9, 10, 50, NOW), later);
    }

    @Test
    void twoTombstonesOnEqualTimestampsTheLaterDeletionTimeWins() {
        Cell later = tombstone(10, NOW + 1);
        assertWinner(later, tombstone(10, NOW), later);
    }

    @Test
    void otherwiseTheGreaterValueAsUnsignedBytesWins() {
        Cell big = Cell.live("v", new byte[]{(byte) 0x80}, 10); // 128 unsigned, -128 signed
        assertWinner(big, Cell.live("v", new byte[]{0x7f}, 10), big);
        Cell longer = Cell.live("v", new byte[]{1, 0}, 10);
        assertWinner(longer, Cell.live("v", new byte[]{1}, 10), longer);
    }

    @Test
    void cellsDifferingOnlyInTtlStillReconcileTheSameWayInEitherOrder() {
        Cell a = new Cell("v", null, bigint(1), 10, 5, 2_000);
        Cell b = new Cell("v", null, bigint(1), 10, 7, 2_000);
        assertWinner(b, a, b);
    }

    @Test
    void reconcileIsATotalOrderOverMixedCells() {
        List<Cell> cells = List.of(live(1, 10), live(2, 10), live(2, 9), tombstone(10, NOW), tombstone(10, NOW + 5),
                tombstone(9, NOW), expiring(1, 10, 5, NOW), expiring(3, 10, 5, NOW), expiring(1, 10, 9, NOW),
                expiring(1, 11, 1, NOW));
        for (Cell a : cells) {
            for (Cell b : cells) {
                assertSame(Reconciler.reconcile(a, b), Reconciler.reconcile(b, a), a + " vs " + b);
                for (Cell c : cells) {
                    assertSame(Reconciler.reconcile(Reconciler.reconcile(a, b), c),
                            Reconciler.reconcile(a, Reconciler.reconcile(b, c)), a + ", " + b + ", " + c);
                }
            }
        }
    }

    @Test
    void expiredCellsAreNotLiveButStillShadowOlderCells() {
        Cell e = expiring(1, 10, 5, NOW);
        assertTrue(e.isLive(NOW + 4));
        assertFalse(e.isLive(NOW + 5));
        assertWinner(e, live(9, 9), e);
    }

    @Test
    void livenessInfoFollowsCassandrasSupersedes() {
        LivenessInfo plain = LivenessInfo.create(10, 0, NOW);
        LivenessInfo expiring = LivenessInfo.create(10, 60, NOW);
        LivenessInfo newer = LivenessInfo.create(11, 0, NOW);
        assertSame(expiring, Reconciler.reconcile(plain, expiring));
        assertSame(expiring, Reconciler.reconcile(expiring, plain));
        assertSame(newer, Reconciler.reconcile(expiring, newer));
        LivenessInfo laterExpiry = LivenessInfo.create(10, 120, NOW);
        assertSame(laterExpiry, Reconciler.reconcile(expiring, laterExpiry));
    }

    @Test
    void rowMergeDropsWhatTheMergedRowDeletionShadows() {
        Clustering c = Clustering.of(bigint(1));
        Row data = Row.of(c, LivenessInfo.create(5, 0, NOW), DeletionTime.LIVE,
                List.of(Cell.live("a", bigint(1), 5), Cell.live("b", bigint(2), 8)), Map.of());
        Row deletion = Row.of(c, LivenessInfo.EMPTY, new DeletionTime(6, NOW), List.of(), Map.of());
        Row merged = Reconciler.merge(data, deletion);
        assertEquals(new DeletionTime(6, NOW), merged.deletion());
        assertTrue(merged.primaryKeyLivenessInfo().isEmpty(), "the INSERT marker at 5 is deleted at 6");
        assertEquals(List.of(Cell.live("b", bigint(2), 8)), merged.cells());
        assertEquals(merged, Reconciler.merge(deletion, data));
    }

    @Test
    void complexDeletionRemovesOnlyOlderElementsOfItsCollection() {
        Clustering c = Clustering.of(bigint(1));
        Row elements = Row.of(c, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(
                Cell.live("tags", bigint(1), new byte[0], 5),
                Cell.live("tags", bigint(2), new byte[0], 7),
                Cell.live("other", bigint(3), 5)), Map.of());
        Row overwrite = Row.of(c, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(),
                Map.of("tags", new DeletionTime(6, NOW)));
        Row merged = Reconciler.merge(elements, overwrite);
        assertEquals(List.of(Cell.live("other", bigint(3), 5), Cell.live("tags", bigint(2), new byte[0], 7)),
                merged.cells());
        assertEquals(Map.of("tags", new DeletionTime(6, NOW)), merged.complexDeletions());
    }

    @Test
    void purgeKeepsARowDeletionOnlyIfItIsNewerThanTheCoveringDeletion() {
        Clustering c = Clustering.of(bigint(1));
        Row r = Row.of(c, LivenessInfo.EMPTY, new DeletionTime(5, NOW), List.of(Cell.live("a", bigint(1), 9)), Map.of());
        Row underOlder = Reconciler.purge(r, new DeletionTime(4, NOW));
        assertEquals(new DeletionTime(5, NOW), underOlder.deletion());
        Row underNewer = Reconciler.purge(r, new DeletionTime(7, NOW));
        assertTrue(underNewer.deletion().isLive());
        assertEquals(1, underNewer.cells().size());
        assertNull(Reconciler.purge(r, new DeletionTime(9, NOW)));
    }
}
