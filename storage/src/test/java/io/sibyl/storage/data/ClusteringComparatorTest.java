package io.sibyl.storage.data;

import io.sibyl.storage.testutil.TestTables;
import org.junit.jupiter.api.Test;

import static io.sibyl.storage.testutil.TestTypes.bigint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusteringComparatorTest {

    private final ClusteringComparator cmp = TestTables.events().clusteringComparator(); // ck1 ASC, ck2 DESC

    @Test
    void descColumnsSortBackwards() {
        assertTrue(cmp.compare(Clustering.of(bigint(1), bigint(9)), Clustering.of(bigint(1), bigint(2))) < 0);
        assertTrue(cmp.compare(Clustering.of(bigint(1), bigint(2)), Clustering.of(bigint(2), bigint(9))) < 0);
        assertTrue(cmp.compare(Clustering.STATIC, Clustering.of(bigint(-5), bigint(0))) < 0);
    }

    @Test
    void prefixBoundsSitBeforeOrAfterEveryClusteringWithThePrefix() {
        Clustering c = Clustering.of(bigint(5), bigint(3));
        assertTrue(cmp.compare(ClusteringBound.start(true, bigint(5)), c) < 0);
        assertTrue(cmp.compare(ClusteringBound.start(false, bigint(5)), c) > 0);
        assertTrue(cmp.compare(ClusteringBound.end(true, bigint(5)), c) > 0);
        assertTrue(cmp.compare(ClusteringBound.end(false, bigint(5)), c) < 0);
        assertTrue(cmp.compare(ClusteringBound.BOTTOM, c) < 0);
        assertTrue(cmp.compare(ClusteringBound.TOP, c) > 0);
    }

    @Test
    void touchingBoundsCompareEqualAndEmptySlicesAreDetected() {
        ClusteringBound exclEnd = ClusteringBound.end(false, bigint(5));
        assertEquals(0, cmp.compareBounds(exclEnd, exclEnd.complement()));
        assertTrue(Slice.prefix(bigint(5)).intersects(cmp, Slice.of(Clustering.of(bigint(5), bigint(1)))));
        assertTrue(new Slice(ClusteringBound.start(true, bigint(5)), ClusteringBound.end(false, bigint(5))).isEmpty(cmp));
        assertFalse(Slice.prefix(bigint(5)).isEmpty(cmp));
    }
}
