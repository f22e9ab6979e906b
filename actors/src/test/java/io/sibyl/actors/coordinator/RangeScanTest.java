package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.coordinator.TestCluster.Node;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.ring.ReplicaProximity;
import io.sibyl.actors.ring.SimpleStrategy;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.FilteredPartition;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.schema.TableMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static io.sibyl.actors.coordinator.TestCluster.RF1;
import static io.sibyl.actors.coordinator.TestCluster.SCAN;
import static io.sibyl.actors.coordinator.TestCluster.failure;
import static io.sibyl.actors.coordinator.TestCluster.get;
import static io.sibyl.actors.coordinator.TestCluster.key;
import static io.sibyl.actors.coordinator.TestCluster.localValue;
import static io.sibyl.actors.coordinator.TestCluster.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token-range scans across the ring, at consistency levels, with limits and paging. */
class RangeScanTest {

    static final int KEYS = 60;
    static TestCluster cluster;
    static Node n0;
    static Node n1;
    static Node n2;
    static List<DecoratedKey> inTokenOrder;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.shared();
        n0 = cluster.nodes.get(0);
        n1 = cluster.nodes.get(1);
        n2 = cluster.nodes.get(2);
        DistributedCoordinator c = coordinator(Set.of());
        List<io.sibyl.storage.data.Mutation> writes = new ArrayList<>();
        List<DecoratedKey> keys = new ArrayList<>();
        for (long k = 1000; k < 1000 + KEYS; k++) {
            writes.add(put(RF1, k, k, 5));
            writes.add(put(SCAN, k, k, 5));
            keys.add(key(k));
        }
        get(c.write(writes, ConsistencyLevel.ALL, WriteType.SIMPLE));
        keys.sort(Comparator.naturalOrder());
        inTokenOrder = List.copyOf(keys);
    }

    static DistributedCoordinator coordinator(Set<Node> down) {
        RingViewHolder view = TestCluster.view(n0, List.of(n0, n1, n2), down);
        return TestCluster.coordinator(n0, view, HintSink.NONE, TestCluster.fast());
    }

    static PartitionRangeReadCommand scan(TableMetadata t, KeyRange range, int limit) {
        return new PartitionRangeReadCommand(t, range, ClusteringFilter.ALL, (int) (System.currentTimeMillis() / 1000),
                limit == Integer.MAX_VALUE ? DataLimits.NONE : DataLimits.rows(limit));
    }

    static List<DecoratedKey> keys(ReadResult r) {
        return r.filtered().stream().map(FilteredPartition::key).toList();
    }

    @Test
    void aFullScanWalksEveryRangeOnceInTokenOrder() {
        // RF=1: every range lives on one node, so the scan must visit all three nodes' ranges.
        var groups = RangeScan.plan(TestCluster.view(n0, List.of(n0, n1, n2), Set.of()).current(), new SimpleStrategy(1),
                "dc1", KeyRange.all(), ConsistencyLevel.ONE, new ReplicaProximity(n0.info().id(), "dc1"));
        assertTrue(groups.size() > 3, "ranges of different replicas stay separate: " + groups.size());
        ReadResult r = get(coordinator(Set.of()).scan(scan(RF1, KeyRange.all(), Integer.MAX_VALUE), ConsistencyLevel.ONE));
        assertEquals(inTokenOrder, keys(r));
        assertFalse(r.limitReached());
    }

    @Test
    void consecutiveRangesKeepTheirContactsSoTheyMergeIntoOneRequest() {
        // RF = node count: every range has the same replicas, so a QUORUM scan from a coordinator that
        // is not a replica is one request to two of them, whichever two the random order starts with.
        for (int i = 0; i < 20; i++) {
            var groups = RangeScan.plan(TestCluster.view(n0, List.of(n1, n2, cluster.mute), Set.of()).current(),
                    new SimpleStrategy(3), "dc1", KeyRange.all(), ConsistencyLevel.QUORUM,
                    new ReplicaProximity(n0.info().id(), "dc1"));
            assertEquals(1, groups.size(), "one request for the whole ring: " + groups.size());
        }
    }

    @Test
    void limitsStopTheScanAndPagingResumesAfterTheLastKey() {
        DistributedCoordinator c = coordinator(Set.of());
        List<DecoratedKey> seen = new ArrayList<>();
        KeyRange range = KeyRange.all();
        int pages = 0;
        while (true) {
            ReadResult page = get(c.scan(scan(RF1, range, 7), ConsistencyLevel.ONE));
            pages++;
            seen.addAll(keys(page));
            if (!page.limitReached()) {
                break;
            }
            assertEquals(7, keys(page).size());
            DecoratedKey last = seen.get(seen.size() - 1);
            range = new KeyRange(last, false, null, false);
        }
        assertEquals(inTokenOrder, seen);
        assertEquals(KEYS / 7 + 1, pages);
    }

    @Test
    void aPageEndingOnTheLastKeyIsFollowedByAnEmptyLastPage() {
        // The pager asks again after a full page; the next page must be empty and say so, or it loops.
        DistributedCoordinator c = coordinator(Set.of());
        ReadResult full = get(c.scan(scan(RF1, KeyRange.all(), KEYS), ConsistencyLevel.ONE));
        assertEquals(inTokenOrder, keys(full));
        ReadResult after = get(c.scan(scan(RF1, new KeyRange(inTokenOrder.get(KEYS - 1), false, null, false), KEYS),
                ConsistencyLevel.ONE));
        assertEquals(List.of(), keys(after));
        assertFalse(after.limitReached(), "an empty page ends the scan");
    }

    @Test
    void tokenRangesReturnExactlyTheirKeys() {
        java.util.Random random = new java.util.Random(42);
        DistributedCoordinator c = coordinator(Set.of());
        for (int i = 0; i < 30; i++) {
            long a = random.nextLong();
            long b = i % 3 == 0 ? inTokenOrder.get(random.nextInt(KEYS)).token() : random.nextLong();
            long lo = Math.min(a, b);
            long hi = Math.max(a, b);
            if (lo == hi) {
                continue;
            }
            ReadResult r = get(c.scan(scan(SCAN, KeyRange.tokens(lo, hi), Integer.MAX_VALUE), ConsistencyLevel.QUORUM));
            List<DecoratedKey> expected = inTokenOrder.stream().filter(k -> k.token() > lo && k.token() <= hi).toList();
            assertEquals(expected, keys(r), "(" + lo + ", " + hi + "]");
        }
    }

    @Test
    void quorumScansSurviveOneNodeDownAndOneAnswersUnavailable() {
        ReadResult r = get(coordinator(Set.of(n2)).scan(scan(SCAN, KeyRange.all(), Integer.MAX_VALUE), ConsistencyLevel.QUORUM));
        assertEquals(inTokenOrder, keys(r));
        assertInstanceOf(UnavailableException.class,
                failure(coordinator(Set.of(n2)).scan(scan(SCAN, KeyRange.all(), 10), ConsistencyLevel.ALL)));
        assertInstanceOf(UnavailableException.class,
                failure(coordinator(Set.of(n1)).scan(scan(RF1, KeyRange.all(), 10), ConsistencyLevel.ONE)),
                "RF=1 ranges on a down node cannot be read");
    }

    @Test
    void scansAtAllRepairWhatTheyRead() {
        long k = 5000;
        // In the RF3 table: the SCAN table must hold only the keys the other tests expect.
        get(n2.replica().apply(put(TestCluster.RF3, k, 77, 9)));
        ReadResult r = get(coordinator(Set.of()).scan(scan(TestCluster.RF3, KeyRange.tokens(key(k).token() - 1,
                key(k).token()), Integer.MAX_VALUE), ConsistencyLevel.ALL));
        assertEquals(List.of(key(k)), keys(r));
        assertEquals(77L, localValue(n0, TestCluster.RF3, k));
        assertEquals(77L, localValue(n1, TestCluster.RF3, k));
    }

    @Test
    void intersectKeepsTheTighterBoundOnEachSide() {
        DecoratedKey a = new DecoratedKey(10, new byte[]{1});
        DecoratedKey b = new DecoratedKey(20, new byte[]{1});
        KeyRange r = RangeScan.intersect(new KeyRange(a, false, null, false), KeyRange.tokens(5, 20));
        assertEquals(a, r.start());
        assertFalse(r.startInclusive());
        assertEquals(DecoratedKey.minKeyForToken(21), r.end());
        KeyRange s = RangeScan.intersect(new KeyRange(a, true, b, true), new KeyRange(a, false, b, true));
        assertFalse(s.startInclusive());
        assertTrue(s.endInclusive());
        assertTrue(RangeScan.intersect(KeyRange.tokens(0, 5), KeyRange.tokens(5, 9)).isEmpty());
    }
}
