package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.ReadTimeoutException;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.coordinator.TestCluster.Node;
import io.sibyl.actors.coordinator.TestCluster.RecordingHints;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.schema.TableMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.sibyl.actors.coordinator.TestCluster.fast;
import static io.sibyl.actors.consistency.ConsistencyLevel.ALL;
import static io.sibyl.actors.consistency.ConsistencyLevel.ANY;
import static io.sibyl.actors.consistency.ConsistencyLevel.EACH_QUORUM;
import static io.sibyl.actors.consistency.ConsistencyLevel.LOCAL_ONE;
import static io.sibyl.actors.consistency.ConsistencyLevel.LOCAL_QUORUM;
import static io.sibyl.actors.consistency.ConsistencyLevel.ONE;
import static io.sibyl.actors.consistency.ConsistencyLevel.QUORUM;
import static io.sibyl.actors.consistency.ConsistencyLevel.THREE;
import static io.sibyl.actors.consistency.ConsistencyLevel.TWO;
import static io.sibyl.actors.coordinator.TestCluster.NTS;
import static io.sibyl.actors.coordinator.TestCluster.RF3;
import static io.sibyl.actors.coordinator.TestCluster.failure;
import static io.sibyl.actors.coordinator.TestCluster.get;
import static io.sibyl.actors.coordinator.TestCluster.localValue;
import static io.sibyl.actors.coordinator.TestCluster.put;
import static io.sibyl.actors.coordinator.TestCluster.readCommand;
import static io.sibyl.actors.coordinator.TestCluster.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every consistency level against real replica nodes talking Artery TCP on loopback. */
class DistributedCoordinatorTest {

    static final List<ConsistencyLevel> LEVELS = List.of(ANY, ONE, TWO, THREE, QUORUM, LOCAL_QUORUM, EACH_QUORUM, ALL, LOCAL_ONE);
    static final AtomicLong KEYS = new AtomicLong(1);

    static TestCluster cluster;
    static Node n0;
    static Node n1;
    static Node n2;
    static Node n3;
    static Node n4;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.shared();
        n0 = cluster.nodes.get(0);
        n1 = cluster.nodes.get(1);
        n2 = cluster.nodes.get(2);
        n3 = cluster.nodes.get(3);
        n4 = cluster.nodes.get(4);
    }

    static long newKey() {
        return KEYS.getAndIncrement();
    }

    /** Writes and reads at every level on a 3-node RF=3 ring with {@code down} nodes marked DN. */
    private void simpleStrategyMatrix(Set<Node> down, Map<ConsistencyLevel, Boolean> writeSucceeds) throws Exception {
        List<Node> ring = List.of(n0, n1, n2);
        RecordingHints hints = new RecordingHints(true);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, ring, down), hints, fast());
        // Data every read below should find, written to all three directly.
        long readKey = newKey();
        for (Node n : ring) {
            get(n.replica().apply(put(RF3, readKey, 42, 1)));
        }
        List<Long> unavailableKeys = new ArrayList<>();
        for (ConsistencyLevel cl : LEVELS) {
            long k = newKey();
            Throwable writeError = failure(c.write(List.of(put(RF3, k, k * 10, 5)), cl, WriteType.SIMPLE));
            if (writeSucceeds.get(cl)) {
                assertNull(writeError, cl + " write with " + down.size() + " down");
                for (Node n : ring) {
                    if (!down.contains(n)) {
                        awaitValue(n, RF3, k, k * 10);
                    }
                }
            } else {
                assertInstanceOf(UnavailableException.class, writeError, cl + " write with " + down.size() + " down");
                unavailableKeys.add(k);
            }
            if (cl == ANY) {
                assertInstanceOf(IllegalArgumentException.class, failure(c.read(readCommand(RF3, readKey), cl)));
                continue;
            }
            // A level whose write is unavailable is unavailable for reads too (same replica count).
            var read = c.read(readCommand(RF3, readKey), cl);
            if (writeSucceeds.get(cl)) {
                assertEquals(42L, value(get(read)), cl + " read with " + down.size() + " down");
            } else {
                assertInstanceOf(UnavailableException.class, failure(read), cl + " read with " + down.size() + " down");
            }
        }
        Thread.sleep(100);
        for (long k : unavailableKeys) {
            for (Node n : ring) {
                assertNull(localValue(n, RF3, k), "UNAVAILABLE wrote nothing, anywhere");
            }
        }
        // Every write sent a hint for every down replica (hinted handoff is on).
        Set<NodeId> hinted = new HashSet<>(hints.targets());
        Set<NodeId> expected = new HashSet<>();
        down.forEach(n -> expected.add(n.info().id()));
        assertEquals(expected, hinted);
    }

    private static Map<ConsistencyLevel, Boolean> succeedsWithLive(int live) {
        Map<ConsistencyLevel, Boolean> m = new EnumMap<>(ConsistencyLevel.class);
        Map<ConsistencyLevel, Integer> need = Map.of(ANY, 0, ONE, 1, LOCAL_ONE, 1, TWO, 2, THREE, 3, QUORUM, 2,
                LOCAL_QUORUM, 2, EACH_QUORUM, 2, ALL, 3);
        need.forEach((cl, n) -> m.put(cl, live >= n));
        return m;
    }

    @Test
    void everyLevelWithAllReplicasUp() throws Exception {
        simpleStrategyMatrix(Set.of(), succeedsWithLive(3));
    }

    @Test
    void everyLevelWithOneReplicaDown() throws Exception {
        simpleStrategyMatrix(Set.of(n2), succeedsWithLive(2));
    }

    @Test
    void everyLevelWithTwoReplicasDown() throws Exception {
        simpleStrategyMatrix(Set.of(n1, n2), succeedsWithLive(1));
    }

    /** NTS dc1:3, dc2:2 on five nodes; the coordinator is in dc1. */
    private void ntsCase(Set<Node> down, Set<ConsistencyLevel> available) throws Exception {
        List<Node> ring = List.of(n0, n1, n2, n3, n4);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, ring, down), HintSink.NONE, fast());
        long readKey = newKey();
        for (Node n : ring) {
            get(n.replica().apply(put(NTS, readKey, 7, 1)));
        }
        for (ConsistencyLevel cl : LEVELS) {
            long k = newKey();
            Throwable w = failure(c.write(List.of(put(NTS, k, 1, 5)), cl, WriteType.SIMPLE));
            if (available.contains(cl)) {
                assertNull(w, cl + " write, down " + down.size());
            } else {
                assertInstanceOf(UnavailableException.class, w, cl + " write, down " + down.size());
                for (Node n : ring) {
                    assertNull(localValue(n, NTS, k));
                }
            }
            if (cl != ANY) {
                var r = c.read(readCommand(NTS, readKey), cl);
                if (available.contains(cl)) {
                    assertEquals(7L, value(get(r)), cl + " read, down " + down.size());
                } else {
                    assertInstanceOf(UnavailableException.class, failure(r), cl + " read, down " + down.size());
                }
            }
        }
    }

    @Test
    void localQuorumSurvivesTheLossOfTheOtherDataCenter() throws Exception {
        ntsCase(Set.of(n3, n4), Set.of(ANY, ONE, TWO, THREE, QUORUM, LOCAL_QUORUM, LOCAL_ONE));
    }

    @Test
    void eachQuorumNeedsAQuorumInEveryDataCenter() throws Exception {
        ntsCase(Set.of(n2, n4), Set.of(ANY, ONE, TWO, THREE, QUORUM, LOCAL_QUORUM, LOCAL_ONE));
        ntsCase(Set.of(n1, n2), Set.of(ANY, ONE, TWO, THREE, QUORUM, LOCAL_ONE));
        ntsCase(Set.of(), Set.copyOf(LEVELS));
    }

    @Test
    void aSilentReplicaTimesWritesAndReadsOutWithTheCounts() throws Exception {
        Node mute = cluster.mute;
        RecordingHints hints = new RecordingHints(true);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n0, n1, mute), Set.of()),
                hints, fast());
        long k = newKey();
        Mutation m = put(RF3, k, 5, 5);
        long t0 = System.nanoTime();
        Throwable w = failure(c.write(List.of(m), ALL, WriteType.SIMPLE));
        assertInstanceOf(WriteTimeoutException.class, w);
        WriteTimeoutException wte = (WriteTimeoutException) w;
        assertEquals(2, wte.received());
        assertEquals(3, wte.blockFor());
        assertEquals(WriteType.SIMPLE, wte.writeType());
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(1400).toNanos(), "waited for the timeout");
        assertEquals(List.of(mute.info().id()), hints.targets(), "the silent replica got a hint");
        assertEquals(m, hints.hints.peek().getValue());

        // QUORUM is met by the two that answer.
        get(c.write(List.of(put(RF3, newKey(), 1, 5)), QUORUM, WriteType.SIMPLE));

        Throwable r = failure(c.read(readCommand(RF3, k), ALL));
        assertInstanceOf(ReadTimeoutException.class, r);
        ReadTimeoutException rte = (ReadTimeoutException) r;
        assertEquals(2, rte.received());
        assertEquals(3, rte.blockFor());
        assertTrue(rte.dataPresent(), "the data request went to the closest replica, this node");
        assertEquals(5L, value(get(c.read(readCommand(RF3, k), QUORUM))));
    }

    @Test
    void readRepairFixesStaleReplicas() throws Exception {
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n0, n1, n2), Set.of()),
                HintSink.NONE, fast());
        long k = newKey();
        get(n1.replica().apply(put(RF3, k, 99, 10)));
        assertNull(localValue(n0, RF3, k));
        assertEquals(99L, value(get(c.read(readCommand(RF3, k), ALL))));
        // Blocking read repair: when the read answered, every replica alone has the data.
        for (Node n : List.of(n0, n1, n2)) {
            assertEquals(99L, localValue(n, RF3, k), n.info().id() + " was repaired");
        }
        // A newer value on one replica wins over older values elsewhere.
        get(n2.replica().apply(put(RF3, k, 100, 20)));
        assertEquals(100L, value(get(c.read(readCommand(RF3, k), ALL))));
        assertEquals(100L, localValue(n0, RF3, k));
        assertEquals(100L, localValue(n1, RF3, k));
    }

    @Test
    void anyIsMetByAStoredHintWhenEveryReplicaIsDown() throws Exception {
        // n0 coordinates but owns no tokens (a node always counts itself alive): the ring is n1 and n2,
        // both down, so every replica of every key is down
        Set<Node> allDown = Set.of(n1, n2);
        RecordingHints hints = new RecordingHints(true);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n1, n2), allDown),
                hints, fast());
        long k = newKey();
        get(c.write(List.of(put(RF3, k, 1, 5)), ANY, WriteType.SIMPLE));
        assertEquals(2, hints.targets().size());
        assertInstanceOf(UnavailableException.class, failure(c.write(List.of(put(RF3, k, 1, 5)), ONE, WriteType.SIMPLE)));
        // With no hint stored (outside the hint window), ANY cannot be met.
        DistributedCoordinator noHints = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n1, n2), allDown),
                new RecordingHints(false), fast());
        assertInstanceOf(WriteTimeoutException.class,
                failure(noHints.write(List.of(put(RF3, k, 1, 5)), ANY, WriteType.SIMPLE)));
        for (Node n : List.of(n0, n1, n2)) {
            assertNull(localValue(n, RF3, k));
        }
    }

    @Test
    void theCoordinatorCountsItselfAliveWhateverItsMembershipSays() throws Exception {
        // cut off from the others (or rejoining after being downed), a node still serves ONE on its own keys
        Set<Node> allDown = Set.of(n0, n1, n2);
        RecordingHints hints = new RecordingHints(true);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n0, n1, n2), allDown),
                hints, fast());
        long k = newKey();
        get(c.write(List.of(put(RF3, k, 7, 5)), ONE, WriteType.SIMPLE));
        assertEquals(7L, localValue(n0, RF3, k));
        assertEquals(2, hints.targets().size(), "the others get hints");
        assertEquals(7L, value(get(c.read(readCommand(RF3, k), ONE))));
        assertInstanceOf(UnavailableException.class, failure(c.write(List.of(put(RF3, k, 8, 6)), QUORUM, WriteType.SIMPLE)));
        assertInstanceOf(UnavailableException.class, failure(c.read(readCommand(RF3, k), QUORUM)));
    }

    @Test
    void aSaturatedPeerIsPassedOverWhileTheLevelAllowsElseOverloaded() throws Exception {
        Node mute = cluster.mute;
        CoordinatorSettings one = fast().withMaxInFlightPerPeer(1);
        RecordingHints hints = new RecordingHints(true);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n0, n1, mute), Set.of()),
                hints, one);
        // The first write occupies the silent replica's only slot until its timeout.
        get(c.write(List.of(put(RF3, newKey(), 1, 5)), ONE, WriteType.SIMPLE));
        assertEquals(1, c.replicaClient().limiter().inFlight(mute.info().id()));
        // ONE returned on the first ack; let n1's ack (and its slot) come back too.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (c.replicaClient().limiter().inFlight(n1.info().id()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // ALL needs the saturated replica: refused before anything is sent.
        long k = newKey();
        Throwable e = failure(c.write(List.of(put(RF3, k, 1, 5)), ALL, WriteType.SIMPLE));
        assertInstanceOf(OverloadedException.class, e);
        assertEquals(mute.info().id(), ((OverloadedException) e).peer());
        Thread.sleep(50);
        assertNull(localValue(n0, RF3, k), "an overloaded write sends nothing");
        assertNull(localValue(n1, RF3, k), "an overloaded write sends nothing");
        assertInstanceOf(OverloadedException.class, failure(c.read(readCommand(RF3, k), ALL)));
        // QUORUM can do without it: the write succeeds and the saturated replica gets a hint at once.
        hints.hints.clear();
        get(c.write(List.of(put(RF3, k, 2, 6)), QUORUM, WriteType.SIMPLE));
        assertEquals(List.of(mute.info().id()), hints.targets());
        assertEquals(2L, value(get(c.read(readCommand(RF3, k), QUORUM))));
        Thread.sleep(1600);
        assertEquals(0, c.replicaClient().limiter().inFlight(mute.info().id()), "slots come back at the timeout");
    }

    @Test
    void replicaFailuresAreReportedWithoutWaitingForTheTimeout() throws Exception {
        RecordingHints hints = new RecordingHints(true);
        CoordinatorSettings slow = fast().withWriteRequestTimeout(Duration.ofSeconds(10))
                .withReadRequestTimeout(Duration.ofSeconds(10));
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n0, n1, n2), Set.of()),
                hints, slow);
        long k = newKey();
        long t0 = System.nanoTime();
        // n2 has no store for the table: it answers UNKNOWN_TABLE, so ALL is known lost at once.
        Throwable w = failure(c.write(List.of(put(TestCluster.PARTIAL, k, 3, 5)), ALL, WriteType.SIMPLE));
        assertInstanceOf(WriteTimeoutException.class, w);
        assertEquals(2, ((WriteTimeoutException) w).received());
        assertEquals(List.of(n2.info().id()), hints.targets(), "the refusing replica gets a hint to replay later");
        get(c.write(List.of(put(TestCluster.PARTIAL, k, 3, 5)), QUORUM, WriteType.SIMPLE));
        Throwable r = failure(c.read(readCommand(TestCluster.PARTIAL, k), ALL));
        assertInstanceOf(io.sibyl.actors.consistency.ReadFailureException.class, r);
        var rfe = (io.sibyl.actors.consistency.ReadFailureException) r;
        assertEquals(Set.of(n2.info().id()), rfe.reasons().keySet());
        assertTrue(rfe.reasons().get(n2.info().id()).startsWith("UNKNOWN_TABLE"), rfe.reasons().toString());
        assertEquals(2, rfe.received());
        assertEquals(3, rfe.blockFor());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "nobody waited for a timeout");
    }

    @Test
    void anyNodeCoordinatesManyConcurrentRequests() throws Exception {
        List<Node> ring = List.of(n0, n1, n2);
        DistributedCoordinator writer = TestCluster.coordinator(n1, TestCluster.view(n1, ring, Set.of()), HintSink.NONE, fast()
                .withWriteRequestTimeout(Duration.ofSeconds(10)).withReadRequestTimeout(Duration.ofSeconds(10)));
        DistributedCoordinator reader = TestCluster.coordinator(n2, TestCluster.view(n2, ring, Set.of()), HintSink.NONE, fast()
                .withWriteRequestTimeout(Duration.ofSeconds(10)).withReadRequestTimeout(Duration.ofSeconds(10)));
        List<Long> keys = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long k = newKey();
            keys.add(k);
            writes.add(writer.write(List.of(put(RF3, k, k + 1, 5)), QUORUM, WriteType.SIMPLE).toCompletableFuture());
        }
        get(java.util.concurrent.CompletableFuture.allOf(writes.toArray(new java.util.concurrent.CompletableFuture[0])));
        List<java.util.concurrent.CompletableFuture<io.sibyl.storage.read.ReadResult>> reads = new ArrayList<>();
        for (long k : keys) {
            reads.add(reader.read(readCommand(RF3, k), QUORUM).toCompletableFuture());
        }
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(keys.get(i) + 1, value(get(reads.get(i))));
        }
        assertEquals(0, writer.replicaClient().limiter().inFlight(n0.info().id()));
    }

    /**
     * A bulk write: rows this node alone stores are applied as one group (one future for them all), the
     * others are written on their own, and a row whose replica is down fails alone.
     */
    @Test
    void writeEachGroupsLocalRowsAndFailsOnlyTheRowsThatCannotBeWritten() throws Exception {
        List<Node> ring = List.of(n0, n1, n2);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, ring, Set.of(n2)),
                new RecordingHints(false), fast());
        List<Long> keys = new ArrayList<>();
        List<Mutation> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long k = newKey();
            keys.add(k);
            rows.add(put(TestCluster.BULK, k, k * 7, 9));
        }
        var outcomes = c.writeEach(rows, ONE, WriteType.SIMPLE);
        assertEquals(rows.size(), outcomes.size());
        java.util.concurrent.CompletableFuture<Void> localGroup = null;
        int local = 0;
        int remote = 0;
        int unavailable = 0;
        for (int i = 0; i < keys.size(); i++) {
            long k = keys.get(i);
            Throwable error = failure(outcomes.get(i));
            Node owner = ring.stream().filter(n -> ownerOf(n, ring, k)).findFirst().orElseThrow();
            if (owner == n2) {
                assertInstanceOf(UnavailableException.class, error, "the one replica of " + k + " is down");
                unavailable++;
                continue;
            }
            assertNull(error, "row " + k);
            awaitValue(owner, TestCluster.BULK, k, k * 7);
            if (owner == n0) {
                localGroup = localGroup == null ? outcomes.get(i) : localGroup;
                assertTrue(localGroup == outcomes.get(i), "the rows n0 alone stores share one group write");
                local++;
            } else {
                remote++;
            }
        }
        assertTrue(local > 1 && remote > 0 && unavailable > 0, local + " local, " + remote + " remote, " + unavailable + " down");
        for (int i = 0; i < keys.size(); i++) {
            assertNull(localValue(n2, TestCluster.BULK, keys.get(i)), "nothing reached the down node");
        }
    }

    /**
     * A batch's partitions that this node alone stores are applied as one group: one commit-log append
     * for all of them (a 40-partition batch took 40), every partition written.
     */
    @Test
    void aBatchsLocalPartitionsShareOneCommitLogAppend() throws Exception {
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n0), Set.of()),
                HintSink.NONE, fast());
        List<Long> keys = new ArrayList<>();
        List<Mutation> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long k = newKey();
            keys.add(k);
            rows.add(put(TestCluster.BULK, k, k * 3, 9));
        }
        var log = n0.engine().commitLog();
        long appends = log.appendCount();
        long records = log.recordCount();
        c.write(rows, ONE, WriteType.UNLOGGED_BATCH).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        for (long k : keys) {
            assertEquals(k * 3, localValue(n0, TestCluster.BULK, k), "row " + k);
        }
        assertTrue(log.recordCount() - records >= keys.size(), "one record per partition");
        long grouped = log.appendCount() - appends;
        assertTrue(grouped >= 1 && grouped < 5, grouped + " appends for a batch of " + keys.size() + " local partitions");
    }

    /** Whether {@code n} is the one replica of key {@code k} of an RF 1 keyspace on {@code ring}. */
    private static boolean ownerOf(Node n, List<Node> ring, long k) {
        var view = TestCluster.view(n0, ring, Set.of()).current();
        var replicas = view.ring().replicasFor(new io.sibyl.actors.ring.SimpleStrategy(1), TestCluster.key(k).token());
        return replicas.get(0).id().equals(n.info().id());
    }

    private static void awaitValue(Node n, TableMetadata t, long k, long v) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!Long.valueOf(v).equals(localValue(n, t, k))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(n.info().id() + " never got " + k);
            }
            Thread.sleep(10);
        }
    }

    // ------------------------------------------------------------------ TRUNCATE

    @Test
    void truncateReachesEveryNodeOfTheRing() {
        List<Node> ring = List.of(n0, n1, n2, n3, n4);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, ring, Set.of()), HintSink.NONE, fast());
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long k = newKey();
            keys.add(k);
            for (Node n : ring) {
                get(n.replica().apply(put(TestCluster.TRUNC, k, k, 1)));
            }
        }
        get(c.truncate(TestCluster.TRUNC));
        for (Node n : ring) {
            for (long k : keys) {
                assertNull(localValue(n, TestCluster.TRUNC, k), n.info().id() + " still has " + k);
            }
        }
        // Other tables are untouched.
        long other = newKey();
        get(n1.replica().apply(put(RF3, other, 7, 1)));
        get(c.truncate(TestCluster.TRUNC));
        assertEquals(7L, localValue(n1, RF3, other));
    }

    @Test
    void truncateWithANodeDownIsUnavailableAndTruncatesNothing() {
        List<Node> ring = List.of(n0, n1, n2);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, ring, Set.of(n2)), HintSink.NONE, fast());
        long k = newKey();
        for (Node n : ring) {
            get(n.replica().apply(put(TestCluster.TRUNC, k, 3, 1)));
        }
        Throwable t = failure(c.truncate(TestCluster.TRUNC));
        UnavailableException u = assertInstanceOf(UnavailableException.class, t);
        assertEquals(3, u.required());
        assertEquals(2, u.alive());
        for (Node n : ring) {
            assertEquals(3L, localValue(n, TestCluster.TRUNC, k), "nothing truncated on " + n.info().id());
        }
    }

    @Test
    void truncateTimesOutWhenANodeDoesNotAck() {
        List<Node> ring = List.of(n0, n1, cluster.mute);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, ring, Set.of()), HintSink.NONE,
                fast().withTruncateRequestTimeout(Duration.ofMillis(800)));
        Throwable t = failure(c.truncate(TestCluster.TRUNC));
        WriteTimeoutException w = assertInstanceOf(WriteTimeoutException.class, t);
        assertEquals(WriteType.TRUNCATE, w.writeType());
        assertEquals(3, w.blockFor());
        assertEquals(2, w.received(), "n0 and n1 acked");
    }
}
