package io.sibyl.actors.coordinator;

import io.sibyl.actors.batchlog.Batch;
import io.sibyl.actors.batchlog.BatchlogReplayer;
import io.sibyl.actors.batchlog.BatchlogSettings;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.coordinator.TestCluster.Node;
import io.sibyl.actors.coordinator.TestCluster.RecordingHints;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.schema.TableMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.sibyl.actors.consistency.ConsistencyLevel.ANY;
import static io.sibyl.actors.consistency.ConsistencyLevel.ONE;
import static io.sibyl.actors.consistency.ConsistencyLevel.QUORUM;
import static io.sibyl.actors.coordinator.TestCluster.RF1;
import static io.sibyl.actors.coordinator.TestCluster.RF3;
import static io.sibyl.actors.coordinator.TestCluster.SCHEMA;
import static io.sibyl.actors.coordinator.TestCluster.awaitTrue;
import static io.sibyl.actors.coordinator.TestCluster.fast;
import static io.sibyl.actors.coordinator.TestCluster.failure;
import static io.sibyl.actors.coordinator.TestCluster.get;
import static io.sibyl.actors.coordinator.TestCluster.key;
import static io.sibyl.actors.coordinator.TestCluster.localValue;
import static io.sibyl.actors.coordinator.TestCluster.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logged batches through the batchlog, on real nodes over Artery TCP. */
class LoggedBatchTest {

    static final AtomicLong KEYS = new AtomicLong(9_000_000); // apart from the other classes on the shared TestCluster

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

    /** Puts of {@code count} new keys of {@code table}, value = key * 10. */
    static List<Mutation> puts(TableMetadata table, int count) {
        List<Mutation> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long k = KEYS.getAndIncrement();
            out.add(put(table, k, k * 10, 5));
        }
        return out;
    }

    static long k(Mutation m) {
        return (Long) TestCluster.BIGINT.deserialize(m.key().key());
    }

    /** The batches {@code node} holds whose mutations are exactly {@code ms}. */
    static List<Batch> holding(Node node, List<Mutation> ms) {
        return node.replica().batchlog().all().stream()
                .filter(b -> b.decode(SCHEMA::tableById, id -> { }).equals(ms)).toList();
    }

    static void awaitVisible(List<Node> nodes, TableMetadata t, List<Mutation> ms) throws InterruptedException {
        for (Node n : nodes) {
            for (Mutation m : ms) {
                awaitTrue(n.info().id() + " has " + k(m), () -> Long.valueOf(k(m) * 10).equals(localValue(n, t, k(m))));
            }
        }
    }

    @Test
    void aLoggedBatchIsInTheBatchlogOfTheTwoOtherNodesBeforeItIsAppliedAndRemovedAfter() throws Exception {
        List<Node> ring = List.of(n0, n1, n2);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, ring, Set.of()), new RecordingHints(true), fast());
        List<Mutation> ms = puts(RF3, 3);
        Map<String, Integer> heldAtHook = new ConcurrentHashMap<>();
        Map<String, Boolean> appliedAtHook = new ConcurrentHashMap<>();
        c.afterBatchlogWrite(() -> {
            for (Node n : ring) {
                heldAtHook.put(n.info().id().toString(), holding(n, ms).size());
                appliedAtHook.put(n.info().id().toString(), localValue(n, RF3, k(ms.get(0))) != null);
            }
        });
        get(c.write(ms, QUORUM, WriteType.BATCH));

        assertEquals(Map.of("n0", 0, "n1", 1, "n2", 1), heldAtHook, "the two other nodes hold it, not the coordinator");
        assertEquals(Map.of("n0", false, "n1", false, "n2", false), appliedAtHook, "nothing applied before the batchlog write");
        awaitVisible(ring, RF3, ms);
        awaitTrue("the batchlog entries are removed", () -> holding(n1, ms).isEmpty() && holding(n2, ms).isEmpty());
    }

    @Test
    void aBatchLeftInTheBatchlogIsReplayedByItsHolderAfterTheTimeout() throws Exception {
        List<Node> ring = List.of(n0, n1, n2);
        List<Mutation> ms = puts(RF3, 4);
        // The coordinator "died" right after its batchlog write: n1 holds the batch, nothing was applied.
        Batch left = Batch.of(ms);
        get(n1.replica().batchlog().store(left));
        DistributedCoordinator c1 = TestCluster.coordinator(n1, TestCluster.view(n1, ring, Set.of()), new RecordingHints(true), fast());
        BatchlogSettings settings = new BatchlogSettings(Duration.ofMillis(200), fast().writeRequestTimeout().multipliedBy(2));
        try (BatchlogReplayer replayer = new BatchlogReplayer(n1.replica().batchlog(), SCHEMA::tableById, c1::replayBatch,
                settings, System::currentTimeMillis)) {
            assertEquals(0, get(replayer.replayDue()), "not before the batchlog timeout");
            assertNull(localValue(n0, RF3, k(ms.get(0))));
            replayer.start(n1.system().scheduler(), n1.system().executionContext());
            awaitVisible(ring, RF3, ms);
            long replayedAfter = System.currentTimeMillis() - left.writtenAtMillis();
            assertTrue(replayedAfter >= settings.timeout().toMillis(), "replayed after " + replayedAfter + " ms");
            awaitTrue("the replayed entry is removed", () -> holding(n1, ms).isEmpty());
        }
    }

    @Test
    void unloggedAndSinglePartitionBatchesSkipTheBatchlog() throws Exception {
        List<Node> ring = List.of(n0, n1, n2);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, ring, Set.of()), new RecordingHints(true), fast());
        AtomicInteger batchlogWrites = new AtomicInteger();
        c.afterBatchlogWrite(batchlogWrites::incrementAndGet);
        List<Mutation> unlogged = puts(RF3, 3);
        get(c.write(unlogged, QUORUM, WriteType.UNLOGGED_BATCH));
        List<Mutation> single = puts(RF3, 1);
        get(c.write(single, QUORUM, WriteType.BATCH));
        assertEquals(0, batchlogWrites.get());
        awaitVisible(ring, RF3, unlogged);
        awaitVisible(ring, RF3, single);
        List<Mutation> logged = puts(RF3, 2);
        get(c.write(logged, QUORUM, WriteType.BATCH));
        assertEquals(1, batchlogWrites.get());
    }

    @Test
    void batchlogNodesThatDoNotAnswerTimeOutWithWriteTypeBatchLogAndNothingIsApplied() {
        // The mute node is the only other node of dc1 in this ring: it holds the batchlog, and never answers.
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n0, cluster.mute), Set.of()),
                new RecordingHints(true), fast());
        List<Mutation> ms = puts(RF3, 2);
        Throwable e = failure(c.write(ms, ONE, WriteType.BATCH));
        WriteTimeoutException t = assertInstanceOf(WriteTimeoutException.class, e);
        assertEquals(WriteType.BATCH_LOG, t.writeType());
        assertEquals(ONE, t.consistency());
        assertEquals(0, t.received());
        assertEquals(1, t.blockFor());
        for (Mutation m : ms) {
            assertNull(localValue(n0, RF3, k(m)), "nothing is applied when the batchlog write fails");
        }
    }

    @Test
    void noLiveBatchlogNodeIsUnavailableExceptAtAny() throws Exception {
        List<Node> ring = List.of(n0, n1);
        RingViewHolder view = TestCluster.view(n0, ring, Set.of(n1));
        DistributedCoordinator c = TestCluster.coordinator(n0, view, new RecordingHints(true), fast());
        List<Mutation> ms = puts(RF3, 2);
        UnavailableException u = assertInstanceOf(UnavailableException.class, failure(c.write(ms, ONE, WriteType.BATCH)));
        assertEquals(0, u.alive());
        assertNull(localValue(n0, RF3, k(ms.get(0))));
        // At ANY the coordinator holds the batchlog itself, and removes it after the write.
        get(c.write(ms, ANY, WriteType.BATCH));
        awaitVisible(List.of(n0), RF3, ms);
        awaitTrue("the local batchlog entry is removed", () -> holding(n0, ms).isEmpty());
    }

    @Test
    void aTimeoutWhileApplyingIsWriteTypeBatchAndTheEntryStaysForReplay() throws Exception {
        // Coordinator n3 in dc2: its batchlog goes to n4 (the other dc2 node); the data to the mute node.
        RingViewHolder view = TestCluster.view(n3, List.of(n3, n4, cluster.mute), Set.of());
        var strategy = SCHEMA.strategy("rf1");
        List<Mutation> ms = new ArrayList<>();
        while (ms.size() < 2) {
            long k = KEYS.getAndIncrement();
            if (view.current().ring().replicasFor(strategy, key(k).token()).get(0).id().equals(cluster.mute.info().id())) {
                ms.add(put(RF1, k, k * 10, 5));
            }
        }
        DistributedCoordinator c = TestCluster.coordinator(n3, view, new RecordingHints(true), fast());
        WriteTimeoutException t = assertInstanceOf(WriteTimeoutException.class, failure(c.write(ms, ONE, WriteType.BATCH)));
        assertEquals(WriteType.BATCH, t.writeType());
        List<Batch> held = holding(n4, ms);
        assertEquals(1, held.size(), "the batch stays in the batchlog, to be replayed");
        get(n4.replica().batchlog().remove(held.get(0).id()));
    }
}
