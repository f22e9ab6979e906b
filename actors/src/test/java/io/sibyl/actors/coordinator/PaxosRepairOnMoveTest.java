package io.sibyl.actors.coordinator;

import static io.sibyl.actors.coordinator.TestCluster.RF3;
import static io.sibyl.actors.coordinator.TestCluster.key;
import static io.sibyl.actors.coordinator.TestCluster.localValue;
import static io.sibyl.actors.coordinator.TestCluster.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.cluster.ClusterMetadata;
import io.sibyl.actors.cluster.MetadataEntry;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.TopologyChange;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.coordinator.TestCluster.Node;
import io.sibyl.actors.paxos.Ballot;
import io.sibyl.actors.paxos.BallotGenerator;
import io.sibyl.actors.paxos.PaxosReplica;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.actors.streaming.PaxosRepairOnMove;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Paxos repair at the read-move barrier: a node joining a ring finishes, before it reports its streams done,
 * the LWT decision a quorum of the old owners accepted but nobody committed; the decision is then committed
 * on every replica, the new owner included. Real nodes of the shared {@link TestCluster}.
 */
class PaxosRepairOnMoveTest {

    @Test
    void anAcceptedUncommittedProposalInAGainedRangeIsCommittedBeforeReadsMove() throws Exception {
        TestCluster cluster = TestCluster.shared();
        Node n0 = cluster.nodes.get(0);
        Node n1 = cluster.nodes.get(1);
        Node n2 = cluster.nodes.get(2);
        // n0 and n1 own the ring; n2 joins and (RF 3 over 3 nodes) gains every range
        ClusterMetadata m = ClusterMetadata.EMPTY;
        for (Node n : List.of(n0, n1)) {
            m = m.apply(new MetadataEntry.Register(m.epoch() + 1, new NodeRecord(n.info(), n.tokens(), NodeStatus.NORMAL)));
        }
        m = m.apply(new MetadataEntry.PrepareJoin(m.epoch() + 1, new NodeRecord(n2.info(), n2.tokens(), NodeStatus.JOINING)));
        m = m.apply(new MetadataEntry.StartChange(m.epoch() + 1, n2.info().id()));
        m = m.apply(new MetadataEntry.BeginStreaming(m.epoch() + 1, n2.info().id()));
        assertEquals(TopologyChange.Step.STREAMING, m.change().step());

        long k = 8_100_001;
        long committed = 8_100_002;
        BallotGenerator ballots = new BallotGenerator("old-coordinator");
        // An LWT that n0 and n1 (a quorum of the old owners) accepted, whose coordinator died before the commit;
        // n2 got the state with the streamed system.paxos.
        Ballot b = ballots.next();
        PartitionUpdate cas = put(RF3, k, 7, 1).updates().get(0);
        Proposal accepted = Proposal.of(b, cas);
        for (Node n : List.of(n0, n1, n2)) {
            PaxosReplica p = n.replica().paxos();
            assertTrue(p.prepare(RF3, key(k), b).toCompletableFuture().get(10, TimeUnit.SECONDS).promised());
            assertTrue(p.propose(accepted).toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        // and a decision that was committed: nothing to repair
        Ballot c = ballots.next();
        Proposal done = Proposal.of(c, put(RF3, committed, 9, 1).updates().get(0));
        n2.replica().paxos().prepare(RF3, key(committed), c).toCompletableFuture().get(10, TimeUnit.SECONDS);
        n2.replica().paxos().propose(done).toCompletableFuture().get(10, TimeUnit.SECONDS);
        n2.replica().paxos().commit(done).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertNull(localValue(n0, RF3, k), "nobody committed the LWT");

        DistributedCoordinator onN2 = TestCluster.coordinator(n2, TestCluster.view(n2, List.of(n0, n1, n2), Set.of()),
                new TestCluster.RecordingHints(true), CoordinatorSettings.defaults()
                        .withWriteRequestTimeout(Duration.ofMillis(2000)).withReadRequestTimeout(Duration.ofMillis(2000))
                        .withCasContentionTimeout(Duration.ofSeconds(5)));
        PaxosRepairOnMove repair = new PaxosRepairOnMove(n2.info().id(), (meta, view) -> {
            throw new AssertionError("only the repair step runs here");
        }, () -> Map.of("rf3", TestCluster.SCHEMA.strategy("rf3")), n2.replica().paxos(),
                id -> TestCluster.SCHEMA.tableById(id),
                (table, key) -> onN2.cas(SinglePartitionReadCommand.fullPartition(table, key,
                        (int) (System.currentTimeMillis() / 1000)), current -> null, ConsistencyLevel.SERIAL,
                        ConsistencyLevel.QUORUM));
        List<PaxosReplica.PaxosKey> inFlight = repair.inFlight(m);
        assertTrue(inFlight.stream().anyMatch(p -> p.key().equals(key(k))), "the uncommitted LWT is found: " + inFlight);
        assertFalse(inFlight.stream().anyMatch(p -> p.key().equals(key(committed))), "a committed one is not");
        assertTrue(new PaxosRepairOnMove(n2.info().id(), null, () -> Map.of("rf1", TestCluster.SCHEMA.strategy("rf1")),
                n2.replica().paxos(), id -> TestCluster.SCHEMA.tableById(id), null).inFlight(m).stream()
                .noneMatch(p -> p.table().keyspace().equals("rf3")), "only the keyspaces whose ranges it gains");

        repair.repair(m).toCompletableFuture().get(30, TimeUnit.SECONDS);

        for (Node n : List.of(n0, n1, n2)) {
            assertEquals(7L, localValue(n, RF3, k), "the decision is committed on " + n.info().id());
            assertTrue(n.replica().paxos().uncommitted(id -> TestCluster.SCHEMA.tableById(id), t -> t == key(k).token())
                    .isEmpty(), "nothing left in flight on " + n.info().id());
        }
        assertTrue(repair.inFlight(m).stream().noneMatch(p -> p.key().equals(key(k))));
    }
}
