package io.sibyl.actors.repair;

import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.coordinator.TestCluster;
import io.sibyl.actors.coordinator.TestCluster.Node;
import io.sibyl.actors.messaging.ReplicaClient;
import io.sibyl.actors.replica.ReplicaActors;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.repair.TokenSubrange;
import io.sibyl.storage.schema.TableMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static io.sibyl.actors.coordinator.TestCluster.get;
import static io.sibyl.actors.coordinator.TestCluster.key;
import static io.sibyl.actors.coordinator.TestCluster.localValue;
import static io.sibyl.actors.coordinator.TestCluster.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repair sessions between real replica nodes (Artery on loopback) of the in-JVM TestCluster, RF=3 on 3 nodes. */
class RepairServiceTest {

    static TestCluster cluster;
    static Node n0;
    static Node n1;
    static Node n2;
    static List<Node> ring;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.shared();
        n0 = cluster.nodes.get(0);
        n1 = cluster.nodes.get(1);
        n2 = cluster.nodes.get(2);
        ring = List.of(n0, n1, n2);
    }

    static RepairService service(Node self, Set<Node> down, RepairSettings settings) {
        RingViewHolder view = TestCluster.view(self, ring, down);
        ReplicaClient client = new ReplicaClient(self.system(), view,
                ReplicaActors.poolSize(self.system().settings().config()), 1000);
        return new RepairService(view, TestCluster.SCHEMA_STORE, self.replica(), client, settings);
    }

    static RepairStatus run(RepairService service, RepairOptions options) throws InterruptedException {
        String id = service.start(options);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            RepairStatus s = service.status(id).orElseThrow();
            if (s.state() != RepairState.RUNNING) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("repair still running: " + s);
            }
            Thread.sleep(20);
        }
    }

    static void write(Node n, Mutation m) {
        get(n.replica().apply(m));
    }

    static Mutation delete(TableMetadata t, long k, long timestamp) {
        return Mutation.of(PartitionUpdate.partitionDeletion(t, key(k), new DeletionTime(timestamp, 1_700_000_000)));
    }

    static byte[] root(Node n, TableMetadata t) {
        return n.replica().merkleTree(t.id(), new TokenSubrange(0, 0), 10, (int) (System.currentTimeMillis() / 1000)).root();
    }

    @Test
    void replicasThatDifferConvergeAndTombstonesWin() throws Exception {
        TableMetadata t = TestCluster.REPAIR;
        List<Long> missedByN2 = new ArrayList<>();
        List<Long> onlyOnN2 = new ArrayList<>();
        List<Long> deleteMissedByN2 = new ArrayList<>();
        List<Long> newerThanDelete = new ArrayList<>();
        for (long k = 1; k <= 400; k++) {
            switch ((int) (k % 4)) {
                case 0 -> {
                    missedByN2.add(k);
                    write(n0, put(t, k, k, 10));
                    write(n1, put(t, k, k, 10));
                }
                case 1 -> {
                    onlyOnN2.add(k);
                    write(n2, put(t, k, k, 10));
                }
                case 2 -> {
                    // Everywhere at ts 5, deleted at ts 20 on n0 and n1 only: the delete must reach n2.
                    deleteMissedByN2.add(k);
                    for (Node n : ring) {
                        write(n, put(t, k, k, 5));
                    }
                    write(n0, delete(t, k, 20));
                    write(n1, delete(t, k, 20));
                }
                default -> {
                    // Deleted at ts 20 on n0, rewritten at ts 30 on n2: the newer write wins.
                    newerThanDelete.add(k);
                    write(n0, delete(t, k, 20));
                    write(n2, put(t, k, k * 100, 30));
                }
            }
        }
        // Part of it flushed: trees and streams must see memtables and SSTables alike.
        get(n1.engine().flush(t.id()));
        assertFalse(Arrays.equals(root(n0, t), root(n2, t)));

        try (RepairService s = service(n0, Set.of(), RepairSettings.defaults())) {
            RepairStatus st = run(s, RepairOptions.of("rf3", "repair"));
            assertEquals(RepairState.SUCCEEDED, st.state(), st.error());
            assertEquals(List.of("repair"), st.tables());
            assertTrue(st.rangesTotal() > 0);
            assertEquals(st.rangesTotal(), st.rangesDone());
            assertTrue(st.mismatchedLeaves() > 0);
            assertTrue(st.partitionsStreamed() >= 300, "streamed " + st.partitionsStreamed());

            for (Node n : ring) {
                for (long k : missedByN2) {
                    assertEquals(k, localValue(n, t, k), n.info().id() + " key " + k);
                }
                for (long k : onlyOnN2) {
                    assertEquals(k, localValue(n, t, k), n.info().id() + " key " + k);
                }
                for (long k : deleteMissedByN2) {
                    assertNull(localValue(n, t, k), n.info().id() + " resurrected " + k);
                }
                for (long k : newerThanDelete) {
                    assertEquals(k * 100, localValue(n, t, k), n.info().id() + " key " + k);
                }
            }
            assertArrayEquals(root(n0, t), root(n1, t));
            assertArrayEquals(root(n0, t), root(n2, t));

            // Nothing left to do: a second session finds no difference.
            RepairStatus again = run(s, RepairOptions.of("rf3", "repair"));
            assertEquals(RepairState.SUCCEEDED, again.state(), again.error());
            assertEquals(0, again.mismatchedLeaves());
            assertEquals(0, again.partitionsStreamed());
        }
    }

    @Test
    void subrangeRepairOnlyTouchesItsTokens() throws Exception {
        TableMetadata t = TestCluster.REPAIR_SUB;
        List<Long> keys = new ArrayList<>();
        for (long k = 1; k <= 200; k++) {
            keys.add(k);
            write(n0, put(t, k, k, 10));
        }
        long start = Long.MIN_VALUE / 2;
        long end = Long.MAX_VALUE / 4;
        // Tiny batches: the merged partitions reach each replica in many ApplyBatch messages.
        try (RepairService s = service(n1, Set.of(), RepairSettings.defaults().withBatchBytes(64))) {
            RepairStatus st = run(s, RepairOptions.of("rf3", "repair_sub").within(start, end));
            assertEquals(RepairState.SUCCEEDED, st.state(), st.error());
        }
        int inside = 0;
        for (long k : keys) {
            long token = key(k).token();
            boolean in = token > start && token <= end;
            inside += in ? 1 : 0;
            for (Node n : List.of(n1, n2)) {
                assertEquals(in ? Long.valueOf(k) : null, localValue(n, t, k), n.info().id() + " key " + k + " in=" + in);
            }
        }
        assertTrue(inside > 20 && inside < 180, "both sides tested: " + inside);
    }

    @Test
    void primaryRangeRepairOnlyTouchesTheNodesPrimaryRanges() throws Exception {
        TableMetadata t = TestCluster.REPAIR_PR;
        List<Long> keys = new ArrayList<>();
        for (long k = 1; k <= 200; k++) {
            keys.add(k);
            write(n0, put(t, k, k, 10));
        }
        RingViewHolder view = TestCluster.view(n1, ring, Set.of());
        try (RepairService s = service(n1, Set.of(), RepairSettings.defaults().withMerkleTreeDepth(4))) {
            RepairStatus st = run(s, RepairOptions.of("rf3", "repair_pr").primaryOnly());
            assertEquals(RepairState.SUCCEEDED, st.state(), st.error());
            assertTrue(st.rangesTotal() >= view.current().ring().primaryRangesFor(n1.info().id()).size());
        }
        int primary = 0;
        for (long k : keys) {
            boolean mine = view.current().ring().primaryReplica(key(k).token()).id().equals(n1.info().id());
            primary += mine ? 1 : 0;
            assertEquals(mine ? Long.valueOf(k) : null, localValue(n2, t, k), "n2 key " + k + " primary on n1=" + mine);
            assertEquals(mine ? Long.valueOf(k) : null, localValue(n1, t, k), "n1 key " + k + " primary on n1=" + mine);
        }
        assertTrue(primary > 10 && primary < 190, "both sides tested: " + primary);
    }

    @Test
    void aReplicaWithoutTheTableFailsTheSessionWithItsReason() throws Exception {
        // rf3.partial exists only on n0 and n1.
        try (RepairService s = service(n0, Set.of(), RepairSettings.defaults())) {
            RepairStatus st = run(s, RepairOptions.of("rf3", "partial"));
            assertEquals(RepairState.FAILED, st.state());
            assertTrue(st.error().contains("n2") && st.error().contains("UNKNOWN_TABLE"), st.error());
        }
    }

    @Test
    void aReplicaDownFailsTheSession() throws Exception {
        try (RepairService s = service(n0, Set.of(n2), RepairSettings.defaults())) {
            RepairStatus st = run(s, RepairOptions.of("rf3", "repair"));
            assertEquals(RepairState.FAILED, st.state());
            assertTrue(st.error().contains("n2") && st.error().contains("down"), st.error());
        }
    }

    @Test
    void rangesAreCutToTheSubrangeAndNeverWrap() {
        List<io.sibyl.actors.ring.TokenRange> owned = List.of(new io.sibyl.actors.ring.TokenRange(100, -100),
                new io.sibyl.actors.ring.TokenRange(-100, 100));
        assertEquals(List.of(new TokenSubrange(100, Long.MAX_VALUE), new TokenSubrange(Long.MIN_VALUE, -100),
                new TokenSubrange(-100, 100)), RepairRanges.pieces(owned, java.util.Optional.empty()));
        assertEquals(List.of(new TokenSubrange(100, 500), new TokenSubrange(-50, 100)),
                RepairRanges.pieces(owned, java.util.Optional.of(new TokenSubrange(-50, 500))));
        // A wrapping subrange (1000, -1000] meets both pieces of the wrapping ring range only.
        assertEquals(List.of(new TokenSubrange(1000, Long.MAX_VALUE), new TokenSubrange(Long.MIN_VALUE, -1000)),
                RepairRanges.pieces(owned, java.util.Optional.of(new TokenSubrange(1000, -1000))));
        assertEquals(List.of(new TokenSubrange(-50, 50)),
                RepairRanges.pieces(owned, java.util.Optional.of(new TokenSubrange(-50, 50))));
        assertEquals(0, RepairRanges.depth(new TokenSubrange(0, 1), 1000, 12));
        assertEquals(12, RepairRanges.depth(new TokenSubrange(0, 0), 1 << 20, 12));
        assertEquals(7, RepairRanges.depth(new TokenSubrange(0, 0), 100, 12));
    }
}
