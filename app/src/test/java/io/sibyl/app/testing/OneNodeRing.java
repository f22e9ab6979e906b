package io.sibyl.app.testing;

import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeState;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.coordinator.CoordinatorSettings;
import io.sibyl.actors.coordinator.DistributedCoordinator;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import io.sibyl.actors.schema.SchemaStore;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The production coordinator on a ring of one node, for tests above the coordinator (CQL executors,
 * HTTP routes): the {@link DistributedCoordinator} with a {@link RingView} holding just this node (up,
 * one token, so it replicates every token), its local replica, and no peer to send to or hint. Reads,
 * writes, scans and lightweight transactions (Paxos, with this node as the one acceptor) take the
 * paths a node of a cluster takes; no message leaves the JVM.
 */
public final class OneNodeRing {

    public static final NodeInfo SELF = new NodeInfo(NodeId.of("n1"), "127.0.0.1", 8080, 7000, "dc1", "rack1");

    /** There is no other node to hint: a hint would be a bug in the test setup, so it fails loudly. */
    private static final HintSink NO_HINTS = (target, mutation) -> CompletableFuture.failedFuture(
            new IllegalStateException("a one-node ring has no other node to hint, yet " + target + " was"));

    private static ActorTestKit kit;

    private OneNodeRing() {
    }

    /**
     * One actor system shared by every coordinator of the test JVM (the coordinator only schedules
     * timeouts on it), stopped when the JVM exits.
     */
    public static synchronized ActorSystem<Void> system() {
        if (kit == null) {
            ActorTestKit k = ActorTestKit.create("one-node-ring");
            Runtime.getRuntime().addShutdownHook(new Thread(k::shutdownTestKit));
            kit = k;
        }
        return kit.system();
    }

    /** This node alone, up and NORMAL, owning the whole ring. */
    public static RingViewHolder view() {
        List<Long> tokens = List.of(0L);
        return new RingViewHolder(new RingView(1, SELF, TokenRing.empty().withNode(SELF, tokens),
                Map.of(SELF.id(), new NodeRecord(SELF, tokens, NodeStatus.NORMAL)), Map.of(SELF.id(), NodeState.UN)));
    }

    /** A coordinator on the shared {@link #system()}. */
    public static DistributedCoordinator coordinator(SchemaStore schema, LocalReplica replica) {
        return coordinator(system(), schema, replica);
    }

    public static DistributedCoordinator coordinator(ActorSystem<?> system, SchemaStore schema, LocalReplica replica) {
        return new DistributedCoordinator(system, view(), schema, replica, NO_HINTS, CoordinatorSettings.defaults());
    }
}
