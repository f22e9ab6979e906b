package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.coordinator.TestCluster.Node;
import io.sibyl.actors.coordinator.TestCluster.RecordingHints;
import io.sibyl.actors.paxos.Ballot;
import io.sibyl.actors.paxos.BallotGenerator;
import io.sibyl.actors.paxos.PaxosState;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.storage.data.PartitionUpdate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.sibyl.actors.coordinator.TestCluster.RF3;
import static io.sibyl.actors.coordinator.TestCluster.failure;
import static io.sibyl.actors.coordinator.TestCluster.get;
import static io.sibyl.actors.coordinator.TestCluster.key;
import static io.sibyl.actors.coordinator.TestCluster.localValue;
import static io.sibyl.actors.coordinator.TestCluster.put;
import static io.sibyl.actors.coordinator.TestCluster.readCommand;
import static io.sibyl.actors.coordinator.TestCluster.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lightweight transactions from three coordinators on a three-node RF=3 ring, over Artery on loopback. */
class PaxosCoordinatorTest {

    static final AtomicLong KEYS = new AtomicLong(7_000_000);
    static TestCluster cluster;
    static Node n0;
    static Node n1;
    static Node n2;
    static List<DistributedCoordinator> coordinators;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.shared();
        n0 = cluster.nodes.get(0);
        n1 = cluster.nodes.get(1);
        n2 = cluster.nodes.get(2);
        coordinators = new ArrayList<>();
        for (Node n : List.of(n0, n1, n2)) {
            coordinators.add(coordinator(n, Set.of()));
        }
    }

    static DistributedCoordinator coordinator(Node self, Set<Node> down) {
        RingViewHolder view = TestCluster.view(self, List.of(n0, n1, n2), down);
        CoordinatorSettings settings = CoordinatorSettings.defaults().withWriteRequestTimeout(Duration.ofMillis(2000))
                .withReadRequestTimeout(Duration.ofMillis(2000)).withCasContentionTimeout(Duration.ofSeconds(5));
        return TestCluster.coordinator(self, view, new RecordingHints(true), settings);
    }

    static PartitionUpdate putUpdate(long k, long v) {
        return put(RF3, k, v, 1).updates().get(0);
    }

    /** "UPDATE SET v = expected + 1 IF v = expected" (null: IF NOT EXISTS). */
    static CasDecision ifValue(long k, Long expected, long next) {
        return current -> java.util.Objects.equals(value(current), expected) ? putUpdate(k, next) : null;
    }

    static Long serialRead(Coordinator c, long k) {
        return value(get(c.cas(readCommand(RF3, k), CasDecision.READ_ONLY, ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM)).current());
    }

    /** The outcomes of many concurrent compare-and-set increments. */
    static final class Outcomes {
        final ConcurrentLinkedQueue<Long> appliedOld = new ConcurrentLinkedQueue<>();
        final AtomicInteger notApplied = new AtomicInteger();
        final AtomicInteger unknown = new AtomicInteger();
    }

    // One client: read the value serially, then CAS it to value + 1; `ops` times, one after the other.
    static CompletableFuture<Void> incrementer(Coordinator c, long k, int ops, Outcomes out) {
        if (ops == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return c.cas(readCommand(RF3, k), CasDecision.READ_ONLY, ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM)
                .thenCompose(r -> {
                    Long seen = value(r.current());
                    long old = seen == null ? 0 : seen;
                    return c.cas(readCommand(RF3, k), ifValue(k, seen, old + 1), ConsistencyLevel.SERIAL,
                            ConsistencyLevel.QUORUM).handle((res, e) -> {
                                if (e != null) {
                                    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                                    assertInstanceOf(WriteTimeoutException.class, cause);
                                    out.unknown.incrementAndGet();
                                } else if (res.applied()) {
                                    out.appliedOld.add(old);
                                } else {
                                    out.notApplied.incrementAndGet();
                                }
                                return null;
                            });
                })
                .thenCompose(x -> incrementer(c, k, ops - 1, out)).toCompletableFuture();
    }

    @Test
    void concurrentIncrementsFromThreeCoordinatorsNeverLoseOrDuplicateAnUpdate() throws Exception {
        long k = KEYS.getAndIncrement();
        Outcomes out = new Outcomes();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (DistributedCoordinator c : coordinators) {
            for (int i = 0; i < 2; i++) {
                clients.add(incrementer(c, k, 12, out));
            }
        }
        CompletableFuture.allOf(clients.toArray(new CompletableFuture[0])).get(120, java.util.concurrent.TimeUnit.SECONDS);
        List<Long> olds = new ArrayList<>(out.appliedOld);
        assertEquals(olds.size(), new HashSet<>(olds).size(), "two applied CASes saw the same old value: " + olds);
        long fin = serialRead(coordinators.get(0), k);
        int applied = olds.size();
        assertTrue(applied > 0);
        // An answer of unknown outcome (WRITE_TIMEOUT CAS) may or may not have applied.
        assertTrue(fin >= applied && fin <= applied + out.unknown.get(),
                "final " + fin + ", applied " + applied + ", unknown " + out.unknown.get());
        if (out.unknown.get() == 0) {
            assertEquals(applied, fin);
        }
        assertEquals(72, applied + out.notApplied.get() + out.unknown.get());
        System.out.println("paxos increments: applied " + applied + ", not applied " + out.notApplied.get()
                + ", unknown " + out.unknown.get());
        // Each replica ends with the committed value (commit at QUORUM reaches all live replicas).
        Thread.sleep(300);
        for (Node n : List.of(n0, n1, n2)) {
            assertEquals(fin, localValue(n, RF3, k));
        }
    }

    @Test
    void insertIfNotExistsRacesHaveExactlyOneWinnerPerKey() throws Exception {
        int keys = 10;
        long first = KEYS.getAndAdd(keys);
        List<CompletableFuture<CasResult>> all = new ArrayList<>();
        List<Long> winnerOf = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            for (int c = 0; c < 3; c++) {
                all.add(coordinators.get(c).cas(readCommand(RF3, first + i), ifValue(first + i, null, c),
                        ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM).toCompletableFuture());
            }
        }
        for (int i = 0; i < keys; i++) {
            int applied = 0;
            int unknown = 0;
            Long winner = null;
            for (int c = 0; c < 3; c++) {
                Throwable t = failure(all.get(i * 3 + c));
                if (t != null) {
                    assertInstanceOf(WriteTimeoutException.class, t);
                    unknown++;
                } else if (get(all.get(i * 3 + c)).applied()) {
                    applied++;
                    winner = (long) c;
                } else {
                    assertNotNull(value(get(all.get(i * 3 + c)).current()), "not applied shows the existing row");
                }
            }
            Long fin = serialRead(coordinators.get(i % 3), first + i);
            assertTrue(applied <= 1, "key " + i + ": " + applied + " winners");
            if (unknown == 0) {
                assertEquals(1, applied);
                assertEquals(winner, fin);
            }
            assertNotNull(fin);
            winnerOf.add(fin);
        }
        assertEquals(keys, winnerOf.size());
    }

    @Test
    void worksWithOneReplicaDownAndIsUnavailableWithTwo() {
        long k = KEYS.getAndIncrement();
        DistributedCoordinator oneDown = coordinator(n0, Set.of(n2));
        CasResult r = get(oneDown.cas(readCommand(RF3, k), ifValue(k, null, 5), ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM));
        assertTrue(r.applied());
        assertEquals(5L, serialRead(oneDown, k));
        CasResult again = get(oneDown.cas(readCommand(RF3, k), ifValue(k, null, 6), ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM));
        assertEquals(false, again.applied());
        assertEquals(5L, value(again.current()));

        long k2 = KEYS.getAndIncrement();
        DistributedCoordinator twoDown = coordinator(n0, Set.of(n1, n2));
        Throwable t = failure(twoDown.cas(readCommand(RF3, k2), ifValue(k2, null, 1), ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM));
        UnavailableException u = assertInstanceOf(UnavailableException.class, t);
        assertEquals(ConsistencyLevel.SERIAL, u.consistency());
        assertEquals(2, u.required());
        assertEquals(1, u.alive());
        for (Node n : List.of(n0, n1, n2)) {
            assertNull(localValue(n, RF3, k2));
            assertEquals(PaxosState.EMPTY, n.replica().paxos().state(RF3, key(k2)), "nothing was even prepared");
        }
    }

    @Test
    void aSerialReadCompletesAnAcceptedButUncommittedProposal() throws Exception {
        long k = KEYS.getAndIncrement();
        // A coordinator that got its proposal accepted by two replicas and died before committing.
        Ballot b = new BallotGenerator("dead").next();
        Proposal p = Proposal.of(b, putUpdate(k, 99));
        for (Node n : List.of(n0, n1)) {
            assertTrue(n.replica().paxos().prepare(RF3, key(k), b).toCompletableFuture().get().promised());
            assertTrue(n.replica().paxos().propose(p).toCompletableFuture().get());
        }
        assertNull(localValue(n2, RF3, k));
        assertEquals(99L, serialRead(coordinators.get(2), k), "any quorum sees the accepted value and commits it");
        PaxosState s = n0.replica().paxos().state(RF3, key(k));
        assertNull(s.accepted());
        assertNotNull(s.mostRecentCommit());
        // The next transaction builds on it.
        assertTrue(get(coordinators.get(1).cas(readCommand(RF3, k), ifValue(k, 99L, 100), ConsistencyLevel.SERIAL,
                ConsistencyLevel.QUORUM)).applied());
        assertEquals(100L, serialRead(coordinators.get(0), k));
    }

    @Test
    void levelsAreChecked() {
        long k = KEYS.getAndIncrement();
        assertInstanceOf(IllegalArgumentException.class, failure(coordinators.get(0).cas(readCommand(RF3, k),
                CasDecision.READ_ONLY, ConsistencyLevel.QUORUM, ConsistencyLevel.QUORUM)));
        assertInstanceOf(IllegalArgumentException.class, failure(coordinators.get(0).cas(readCommand(RF3, k),
                CasDecision.READ_ONLY, ConsistencyLevel.SERIAL, ConsistencyLevel.SERIAL)));
        // ANY is a valid commit level.
        assertTrue(get(coordinators.get(0).cas(readCommand(RF3, k), ifValue(k, null, 1), ConsistencyLevel.SERIAL,
                ConsistencyLevel.ANY)).applied());
    }
}
