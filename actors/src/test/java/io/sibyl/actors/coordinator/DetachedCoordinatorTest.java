package io.sibyl.actors.coordinator;

import static io.sibyl.actors.coordinator.TestCluster.RF1;
import static io.sibyl.actors.coordinator.TestCluster.RF3;
import static io.sibyl.actors.coordinator.TestCluster.SCHEMA;
import static io.sibyl.actors.coordinator.TestCluster.SCHEMA_STORE;
import static io.sibyl.actors.coordinator.TestCluster.failure;
import static io.sibyl.actors.coordinator.TestCluster.get;
import static io.sibyl.actors.coordinator.TestCluster.put;
import static io.sibyl.actors.coordinator.TestCluster.readCommand;
import static io.sibyl.actors.coordinator.TestCluster.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeState;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the cluster layer is away, the node serves reads one replica may answer from the keys it holds
 * in the last ring view, and answers UNAVAILABLE to everything else, writes included.
 */
class DetachedCoordinatorTest {
    @TempDir
    Path dir;
    ActorSystem<Void> system;
    StorageEngine engine;
    LocalReplica replica;
    DetachedCoordinator coordinator;
    NodeInfo self = new NodeInfo(NodeId.of("self"), "127.0.0.1", 9000, 7000, "dc1", "r1");

    @BeforeEach
    void open() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "detached-test");
        engine = StorageEngine.open(dir, StorageSettings.defaults(),
                io.sibyl.actors.paxos.PaxosTable.withSystemTables(id -> SCHEMA.tableById(id)), Materializer.matFromSystem(system));
        engine.createTable(RF3);
        engine.createTable(RF1);
        replica = new LocalReplica(engine);
        // three nodes, all DN but self as a downed node sees them
        NodeInfo a = new NodeInfo(NodeId.of("a"), "127.0.0.2", 9000, 7000, "dc1", "r1");
        NodeInfo b = new NodeInfo(NodeId.of("b"), "127.0.0.3", 9000, 7000, "dc1", "r1");
        Map<NodeId, List<Long>> tokens = Map.of(self.id(), List.of(-6_000_000_000_000_000_000L, 3_000_000_000_000_000_000L),
                a.id(), List.of(-3_000_000_000_000_000_000L, 6_000_000_000_000_000_000L),
                b.id(), List.of(0L, 8_000_000_000_000_000_000L));
        TokenRing ring = TokenRing.empty();
        Map<NodeId, NodeRecord> records = new HashMap<>();
        for (NodeInfo n : List.of(self, a, b)) {
            ring = ring.withNode(n, tokens.get(n.id()));
            records.put(n.id(), new NodeRecord(n, tokens.get(n.id()), NodeStatus.NORMAL));
        }
        RingView last = new RingView(7, self, ring, records, Map.of(self.id(), NodeState.DN));
        coordinator = new DetachedCoordinator(last, SCHEMA_STORE, replica);
    }

    @AfterEach
    void close() {
        engine.close();
        system.terminate();
    }

    @Test
    void readsAtOneOfKeysHeldAreServedLocally() {
        for (long k = 0; k < 20; k++) get(replica.apply(put(RF3, k, k * 10, 1)));
        for (long k = 0; k < 20; k++) {
            assertEquals(k * 10, value(get(coordinator.read(readCommand(RF3, k), ConsistencyLevel.ONE))));
            assertEquals(k * 10, value(get(coordinator.read(readCommand(RF3, k), ConsistencyLevel.LOCAL_ONE))));
        }
    }

    @Test
    void quorumIsUnavailableAtOnce() {
        Throwable t = failure(coordinator.read(readCommand(RF3, 1), ConsistencyLevel.QUORUM));
        UnavailableException u = assertInstanceOf(UnavailableException.class, t);
        assertEquals(2, u.required());
        assertEquals(1, u.alive());
    }

    @Test
    void keysThisNodeDoesNotHoldAreUnavailableEvenAtOne() {
        int held = 0;
        int refused = 0;
        for (long k = 0; k < 50; k++) {
            Throwable t = failure(coordinator.read(readCommand(RF1, k), ConsistencyLevel.ONE));
            if (t == null) {
                held++;
            } else {
                assertInstanceOf(UnavailableException.class, t);
                refused++;
            }
        }
        assertTrue(held > 0 && refused > 0, "RF 1 over three nodes: some keys here, some not (" + held + "/" + refused + ")");
    }

    @Test
    void writesScansCasAndTruncateAreUnavailableAndWriteNothing() {
        assertInstanceOf(UnavailableException.class,
                failure(coordinator.write(List.of(put(RF3, 5, 50, 1)), ConsistencyLevel.ONE, WriteType.SIMPLE)));
        assertEquals(null, value(replica.read(readCommand(RF3, 5))), "nothing written");
        assertInstanceOf(UnavailableException.class, failure(coordinator.truncate(RF3)));
        assertInstanceOf(UnavailableException.class, failure(coordinator.cas(readCommand(RF3, 5),
                current -> null, ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM)));
    }
}
