package io.sibyl.storage.data;

import io.sibyl.storage.testutil.TestTables;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.sibyl.storage.testutil.TestTypes.bigint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangeTombstoneListTest {

    // events: ck1 ASC, ck2 DESC
    private final ClusteringComparator cmp = TestTables.events().clusteringComparator();

    private static Clustering ck(long a, long b) {
        return Clustering.of(bigint(a), bigint(b));
    }

    private static DeletionTime at(long ts) {
        return new DeletionTime(ts, 100);
    }

    @Test
    void prefixSliceDeletesOnlyTheRowsUnderThePrefixAndBound() {
        // ck1 = 5 AND ck2 > 3, with ck2 DESC: from the top of ck1=5 down to (5, 3) exclusive.
        Slice s = new Slice(ClusteringBound.start(true, bigint(5)), ClusteringBound.end(false, bigint(5), bigint(3)));
        RangeTombstoneList l = RangeTombstoneList.empty(cmp).add(new RangeTombstone(s, at(7)));
        assertEquals(at(7), l.deletionFor(ck(5, 4)));
        assertEquals(at(7), l.deletionFor(ck(5, 100)));
        assertTrue(l.deletionFor(ck(5, 3)).isLive());
        assertTrue(l.deletionFor(ck(5, -1)).isLive());
        assertTrue(l.deletionFor(ck(4, 9)).isLive());
        assertTrue(l.deletionFor(ck(6, 9)).isLive());
    }

    @Test
    void overlappingRangesSplitIntoDisjointPiecesWithTheLatestDeletion() {
        Slice wide = new Slice(ClusteringBound.start(true, bigint(1)), ClusteringBound.end(true, bigint(5)));
        Slice inner = new Slice(ClusteringBound.start(false, bigint(2)), ClusteringBound.end(false, bigint(4)));
        RangeTombstoneList l = RangeTombstoneList.empty(cmp).add(new RangeTombstone(wide, at(3)))
                .add(new RangeTombstone(inner, at(9)));
        assertEquals(3, l.size());
        assertEquals(at(3), l.deletionFor(ck(2, 0)));
        assertEquals(at(9), l.deletionFor(ck(3, 0)));
        assertEquals(at(3), l.deletionFor(ck(4, 7)));
        // An older inner range changes nothing.
        RangeTombstoneList same = RangeTombstoneList.empty(cmp).add(new RangeTombstone(wide, at(3)))
                .add(new RangeTombstone(inner, at(2)));
        assertEquals(RangeTombstoneList.empty(cmp).add(new RangeTombstone(wide, at(3))), same);
    }

    @Provide
    Arbitrary<List<RangeTombstone>> tombstones() {
        Arbitrary<ClusteringBound> start = bound(true);
        Arbitrary<ClusteringBound> end = bound(false);
        return Combinators.combine(start, end, Arbitraries.integers().between(1, 5))
                .as((s, e, ts) -> new RangeTombstone(new Slice(s, e), at(ts))).list().ofMaxSize(8);
    }

    private Arbitrary<ClusteringBound> bound(boolean isStart) {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3), Arbitraries.of(true, false)).as((len, a, b, incl) -> {
            byte[][] prefix = len == 0 ? new byte[0][] : len == 1 ? new byte[][]{bigint(a)} : new byte[][]{bigint(a), bigint(b)};
            return isStart ? ClusteringBound.start(incl, prefix) : ClusteringBound.end(incl, prefix);
        });
    }

    @Property(tries = 500)
    void canonicalAndEqualToTheBruteForceMaximum(@ForAll("tombstones") List<RangeTombstone> rts, @ForAll long seed) {
        RangeTombstoneList l = RangeTombstoneList.of(cmp, rts);
        List<RangeTombstone> shuffled = new ArrayList<>(rts);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(l, RangeTombstoneList.of(cmp, shuffled), "order of adds must not matter");
        for (int i = 1; i < l.size(); i++) {
            assertTrue(cmp.compareBounds(l.ranges().get(i - 1).slice().end(), l.ranges().get(i).slice().start()) <= 0,
                    "ranges must be disjoint and sorted: " + l);
        }
        for (long a = -1; a <= 4; a++) {
            for (long b = -1; b <= 4; b++) {
                Clustering c = ck(a, b);
                DeletionTime expected = DeletionTime.LIVE;
                for (RangeTombstone rt : rts) {
                    if (rt.slice().includes(cmp, c)) {
                        expected = DeletionTime.max(expected, rt.deletion());
                    }
                }
                assertEquals(expected, l.deletionFor(c), "at " + c + " in " + l + " from " + rts);
            }
        }
    }
}
