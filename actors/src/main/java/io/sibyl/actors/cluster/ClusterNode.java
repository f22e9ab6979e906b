package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenAllocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import io.sibyl.actors.ring.NodeId;
import java.nio.file.Files;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.LoggerFactory;

/**
 * This node's membership in the Sibyl cluster: its permanent identity, the {@link RingKeeper}
 * that follows the cluster, and the live {@link RingView}.
 *
 * <p>How the node process (SibylNode) uses it:
 * <pre>{@code
 * Config config = ConfigLoader.load(configFile, flags);          // sibyl.*, pekko.*
 * NodeSettings settings = NodeSettings.from(config);
 * ClusterSettings cluster = ClusterSettings.from(config);        // sibyl.cluster.* + sibyl.data_dir
 * ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME,
 *         cluster.toPekkoConfig().withFallback(config));
 * ClusterNode node = ClusterNode.start(system, cluster, settings.dataDir(), settings.httpPort());
 * node.awaitUp(Duration.ofSeconds(60)).toCompletableFuture().get(); // joined, knows its own record
 * RingView view = node.ringView().current();                     // per request, lock-free
 * ...
 * node.leave().toCompletableFuture().get(30, TimeUnit.SECONDS);  // clean stop (keeps its tokens);
 * system.terminate();                                            // SIGTERM's coordinated shutdown
 *                                                                // also leaves on its own
 * }</pre>
 * The ActorSystem must be named {@value ClusterSettings#SYSTEM_NAME}: seed addresses are built
 * with that name.
 */
public final class ClusterNode {

    private final ActorSystem<?> system;
    private final NodeId id;
    /** Set at start, or (a new node) once its tokens are chosen; may be set again until it registers. */
    private final java.util.concurrent.atomic.AtomicReference<NodeIdentity> identity;
    private final RingViewHolder ringView;
    private final ActorRef<RingKeeper.Command> keeper;
    private final ActorRef<TopologyCoordinator.Command> coordinator;
    private final TopologyState topology;

    private ClusterNode(ActorSystem<?> system, NodeId id,
                        java.util.concurrent.atomic.AtomicReference<NodeIdentity> identity, RingViewHolder ringView,
                        ActorRef<RingKeeper.Command> keeper, ActorRef<TopologyCoordinator.Command> coordinator,
                        TopologyState topology) {
        this.coordinator = coordinator;
        this.topology = topology;
        this.system = system;
        this.id = id;
        this.identity = identity;
        this.ringView = ringView;
        this.keeper = keeper;
    }

    /**
     * Loads the node identity in {@code dataDir} (at first start: creates it, or, with token allocation
     * or replace configured, lets the RingKeeper create it once it has read the cluster metadata log),
     * spawns the RingKeeper, and starts joining the cluster. Returns at once; see {@link #awaitUp}.
     *
     * @throws NodeIdentity.IdentityMismatchException if the data directory belongs to a node with
     *         another dc, rack or token count
     */
    public static ClusterNode start(ActorSystem<?> system, ClusterSettings settings, Path dataDir, int httpPort) {
        return start(system, settings, dataDir, httpPort, false);
    }

    /**
     * As {@link #start(ActorSystem, ClusterSettings, Path, int)}.
     *
     * @param streamingAttachedLater true for a node with storage: a join or leave that needs this node to
     *                               fetch ranges waits until {@link #attachStreaming} is called; false for
     *                               membership-only nodes (tests), which have nothing to fetch
     * @throws IllegalStateException if this data directory belongs to a node that left the ring
     */
    public static ClusterNode start(ActorSystem<?> system, ClusterSettings settings, Path dataDir, int httpPort,
                                    boolean streamingAttachedLater) {
        return start(system, settings, dataDir, httpPort, 0, streamingAttachedLater);
    }

    /**
     * As above, publishing {@code nativePort} (the CQL native protocol port, 0 when disabled) in this
     * node's ring record with its other addresses.
     */
    public static ClusterNode start(ActorSystem<?> system, ClusterSettings settings, Path dataDir, int httpPort,
                                    int nativePort, boolean streamingAttachedLater) {
        boolean identityExisted = Files.exists(NodeIdentity.file(dataDir));
        BootstrapState boot = BootstrapState.read(dataDir);
        // A new node that replaces a dead one, or that joins with allocated tokens, chooses its tokens
        // only once it has read the cluster metadata log (RingKeeper); its identity file is written then.
        // With allocation off and nothing to replace, it takes random tokens now, as before.
        boolean chooseLater = !identityExisted && (settings.replaceNode() != null || settings.allocateTokensRf() > 0);
        NodeIdentity identity = chooseLater ? null : NodeIdentity.loadOrCreate(dataDir, settings.dc(), settings.rack(),
                settings.numTokens(), TokenAllocator.secure());
        NodeId id = identity != null ? identity.id() : NodeId.random();
        if (identityExisted && settings.replaceNode() != null) {
            LoggerFactory.getLogger(ClusterNode.class).warn("node {} already has an identity in {}: replace of {} "
                    + "is ignored unless this node's own replace is still under way (replace applies at first boot "
                    + "only)", id, dataDir, settings.replaceNode());
        }
        if (boot == BootstrapState.LEFT) {
            throw new IllegalStateException("Cannot start node " + id + ": it left the ring (decommissioned "
                    + "or removed) and cannot rejoin with the same identity. To add this machine again, start it with "
                    + "an empty data directory (" + dataDir + "): it joins as a new node and streams its data.");
        }
        // A node that has been NORMAL before (or predates the bootstrap-state file) holds its data; a new
        // one, or one whose bootstrap did not finish, joins through the steps of a bootstrap.
        boolean existingData = identityExisted && boot != BootstrapState.IN_PROGRESS;
        if (!existingData && boot == null) {
            BootstrapState.IN_PROGRESS.write(dataDir);
        }
        // The advertised address is the one Pekko actually bound (it differs from the settings when
        // the port is 0); members are matched to records by it.
        Address self = Cluster.get(system).selfMember().address();
        NodeInfo info = new NodeInfo(id, self.getHost().orElse(settings.host()), httpPort,
                self.getPort().orElse(settings.port()), settings.dc(), settings.rack(), nativePort);
        NodeRecord record = identity == null ? null : new NodeRecord(info, identity.tokens(), NodeStatus.NORMAL);
        RingViewHolder holder = new RingViewHolder(RingView.initial(info));
        // where a restart of this node rejoins (never joining itself first)
        KnownPeers.track(holder, dataDir);
        // The only appender of the metadata log; the proxy finds it on the oldest member.
        ActorRef<TopologyCoordinator.Command> coordinator = ClusterSingleton.get(system).init(
                SingletonActor.of(TopologyCoordinator.create(settings.ringWriteTimeout(), snapshotFrequency(system)),
                        "sibyl-topology-coordinator")
                        .withProps(io.sibyl.actors.mailbox.MeasuredMailbox.props("TopologyCoordinator")));
        TopologyState topology = new TopologyState();
        var chosen = new java.util.concurrent.atomic.AtomicReference<NodeIdentity>(identity);
        RingKeeper.TokenChoice choice = identity != null ? null : new RingKeeper.TokenChoice(settings.numTokens(),
                settings.allocateTokensRf(), settings.replaceNode() == null ? null : NodeId.of(settings.replaceNode()),
                chosen::set);
        ActorRef<RingKeeper.Command> keeper = system.systemActorOf(
                RingKeeper.create(settings, info, record, holder, new RingKeeper.Topology(coordinator, existingData,
                        dataDir, streamingAttachedLater ? null : TopologyStreaming.NOTHING, topology, choice)),
                "sibyl-ring-keeper", io.sibyl.actors.mailbox.MeasuredMailbox.props("RingKeeper"));
        return new ClusterNode(system, id, chosen, holder, keeper, coordinator, topology);
    }

    /** The cluster metadata this node applied and the epochs nodes report. */
    public TopologyState topology() {
        return topology;
    }

    /** Lets this node fetch the ranges it gains in topology changes (call once storage is open). */
    /** {@code sibyl.cluster.metadata_snapshot_frequency}: epochs between snapshots of the metadata log (0 = none). */
    static int snapshotFrequency(ActorSystem<?> system) {
        var config = system.settings().config();
        String path = "sibyl.cluster.metadata_snapshot_frequency";
        int n = config.hasPath(path) ? config.getInt(path) : TopologyCoordinator.DEFAULT_SNAPSHOT_FREQUENCY;
        if (n < 0) {
            throw new IllegalArgumentException(path + " must be 0 (no snapshots) or more, was " + n);
        }
        return n;
    }

    public void attachStreaming(TopologyStreaming streaming) {
        keeper.tell(new RingKeeper.AttachStreaming(streaming));
    }

    /**
     * Asks the topology coordinator to start a decommission ({@code removal = false}: call it on the
     * leaving node) or a removenode of {@code node}. Completes with the coordinator's answer once the
     * first step (PrepareLeave) is in the log, or with its refusal.
     */
    public CompletionStage<TopologyCoordinator.Reply> requestLeave(NodeId node, boolean removal, Duration timeout) {
        return AskPattern.ask(coordinator, replyTo -> new TopologyCoordinator.RequestLeave(node, removal, replyTo),
                timeout, system.scheduler());
    }

    /** Asks the topology coordinator to roll back the change of {@code node} (only before reads moved). */
    public CompletionStage<TopologyCoordinator.Reply> abortChange(NodeId node, String reason, Duration timeout) {
        return AskPattern.ask(coordinator, replyTo -> new TopologyCoordinator.Abort(node, reason, replyTo),
                timeout, system.scheduler());
    }

    public RingViewHolder ringView() {
        return ringView;
    }

    /**
     * The node's identity with its tokens.
     *
     * @throws IllegalStateException for a new node that has not chosen its tokens yet (it reads the
     *         cluster metadata log first; see {@code allocate_tokens_for_local_replication_factor} and
     *         replace); {@link #id()} is known from the start
     */
    public NodeIdentity identity() {
        NodeIdentity i = identity.get();
        if (i == null) {
            throw new IllegalStateException("node " + id + " has not chosen its tokens yet (it reads the cluster "
                    + "metadata log first)");
        }
        return i;
    }

    /** This node's id, known from the start (a new node's tokens may still be unchosen). */
    public NodeId id() {
        return id;
    }

    /** The RingKeeper, for tests and tools; request paths use {@link #ringView()}. */
    public ActorRef<RingKeeper.Command> keeper() {
        return keeper;
    }

    /**
     * Completes when this node is an up, reachable cluster member and its own record is in the
     * ring it knows; fails with a {@link TimeoutException} after {@code timeout}.
     */
    public CompletionStage<Void> awaitUp(Duration timeout) {
        CompletableFuture<Void> up = new CompletableFuture<>();
        Runnable stop = ringView.addListener(view -> {
            if (view.isSelfUp() && view.state(view.selfId()) == NodeState.UN) {
                up.complete(null);
            }
        });
        up.whenComplete((v, e) -> stop.run());
        return up.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Leaves the Pekko cluster cleanly: the others see this node removed (DN) at once rather than
     * after failure detection. The node keeps its tokens; this is a shutdown, not a decommission.
     * Completes when this node has been removed (or its actor system has ended).
     */
    public CompletionStage<Void> leave() {
        CompletableFuture<Void> removed = new CompletableFuture<>();
        org.apache.pekko.cluster.Cluster classic = org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system));
        classic.registerOnMemberRemoved(() -> removed.complete(null));
        Cluster.get(system).manager().tell(Leave.create(Cluster.get(system).selfMember().address()));
        return removed;
    }
}
