package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenAllocator;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.cluster.typed.Leave;

/**
 * One per node. Joins the Pekko cluster, publishes this node's {@link NodeRecord} in the replicated,
 * durable ring map, follows membership and reachability, and keeps the {@link RingViewHolder}
 * current. Nobody asks it anything on the request path: readers use the holder.
 *
 * <p>The ring map is a Distributed Data {@code LWWMap} keyed by node id. Each node writes only its
 * own entry, so last-writer-wins never has to pick between two writers. Writes go to a majority
 * when it answers in time and otherwise stay local and spread by gossip; the key is durable
 * (LMDB), so a restarted node has the last ring it knew before any peer answers.
 */
public final class RingKeeper {

    /** The replicated ring metadata; the prefix makes it durable (see reference.conf). */
    public static final Key<LWWMap<String, NodeRecord>> RING_KEY = LWWMapKey.create("sibyl-durable-ring");

    private static final Duration RETRY_PUBLISH_AFTER = Duration.ofSeconds(2);

    public sealed interface Command {
    }

    /** Replies with the current view (tests and tools; request paths read the holder instead). */
    public record GetView(ActorRef<RingView> replyTo) implements Command {
    }

    private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {
    }

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {
    }

    private record RecordsChanged(Replicator.SubscribeResponse<LWWMap<String, NodeRecord>> response)
            implements Command {
    }

    private record Published(Replicator.UpdateResponse<LWWMap<String, NodeRecord>> response) implements Command {
    }

    private enum Republish implements Command { INSTANCE }

    private record LogChanged(Replicator.SubscribeResponse<LWWMap<String, MetadataEntry>> response) implements Command {
    }

    private record EpochsChanged(Replicator.SubscribeResponse<LWWMap<String, MetadataLog.EpochReport>> response)
            implements Command {
    }

    private record EpochWritten(Replicator.UpdateResponse<LWWMap<String, MetadataLog.EpochReport>> response)
            implements Command {
    }

    private enum TryRegister implements Command { INSTANCE }

    /** Look again whether this node's fetches can start (it waited to see the other nodes up). */
    private enum RetryStream implements Command { INSTANCE }

    /**
     * How long a node that has just come up in the cluster waits to see the other NORMAL nodes up before it
     * fetches: a joining node restarted mid-stream applies the log before it is a member again (its killed
     * incarnation at the same address is downed first) and before gossip has shown it the other members, and
     * would otherwise find its strict sources "down" and abort its own join instead of resuming it.
     */
    static final Duration SOURCES_UP_GRACE = Duration.ofSeconds(10);

    /** Fetch attempts of one change's ranges before this node reports the failure (which aborts the change). */
    static final int FETCH_ATTEMPTS = 3;
    static final Duration FETCH_RETRY_AFTER = Duration.ofSeconds(2);

    private record Registered(TopologyCoordinator.Reply reply, Throwable failure) implements Command {
    }

    /** Hands the keeper the streaming this node runs when it gains ranges (NodeServices, once storage is open). */
    public record AttachStreaming(TopologyStreaming streaming) implements Command {
    }

    private record StreamsFinished(String changeKey, NodeId changeNode, String failure) implements Command {
    }

    private record StreamsReported(String changeKey, NodeId changeNode, String failure,
                                   TopologyCoordinator.Reply reply, Throwable error) implements Command {
    }

    private static final Duration REGISTER_RETRY = Duration.ofMillis(500);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the keeper needs beyond the view: the topology coordinator (singleton proxy), whether the
     * node holds data from an earlier membership, where it keeps its bootstrap state, and the
     * streaming it runs (null until NodeServices attaches it).
     */
    public record Topology(ActorRef<TopologyCoordinator.Command> coordinator, boolean existingData, Path dataDir,
                           TopologyStreaming streaming, TopologyState state, TokenChoice tokenChoice) {
        public Topology(ActorRef<TopologyCoordinator.Command> coordinator, boolean existingData, Path dataDir,
                        TopologyStreaming streaming, TopologyState state) {
            this(coordinator, existingData, dataDir, streaming, state, null);
        }
    }

    /**
     * How a new node (no identity yet) chooses its tokens once it has read the cluster metadata log
     * from a majority: the tokens of the dead node it replaces ({@code replace} non-null), or tokens
     * from {@link TokenAllocator#forJoiningNode} at replication factor {@code allocateRf} against the
     * ring it learned (random tokens when the ring has no NORMAL node yet). The identity is written
     * (then {@code chosen} is called) before the node registers.
     */
    public record TokenChoice(int numTokens, int allocateRf, NodeId replace, Consumer<NodeIdentity> chosen) {

        /** Tokens and how they were chosen; or null tokens and {@code how} says what to wait for; or a refusal. */
        public record Decision(List<Long> tokens, String how, String refusal) {
        }

        /**
         * The tokens for {@code self} given the metadata {@code known} read from a majority. Pure.
         *
         * @param random for random tokens (a fresh cluster, or a data center with fewer than RF nodes)
         */
        public Decision decide(ClusterMetadata known, NodeInfo self, java.util.random.RandomGenerator random) {
            if (replace != null) {
                String refused = "cannot replace node " + replace + ": ";
                if (known.change() != null) {
                    return new Decision(null, null, refused + "another topology change is in progress ("
                            + known.describeChange() + "); one change at a time. Start this node again once it has "
                            + "finished.");
                }
                NodeRecord dead = known.nodes().get(replace);
                String why = dead == null ? ClusterMetadata.replaceRefusal(null, null, replace)
                        : ClusterMetadata.replaceRefusal(new NodeRecord(self, dead.tokens(), NodeStatus.JOINING), dead,
                        replace);
                return why != null ? new Decision(null, null, refused + why)
                        : new Decision(dead.tokens(), "the " + dead.tokens().size() + " tokens of dead node " + replace,
                        null);
            }
            if (!known.hasNormalNode()) {
                return new Decision(TokenAllocator.forJoiningNode(io.sibyl.actors.ring.TokenRing.empty(), self,
                        numTokens, Math.max(1, allocateRf), random),
                        numTokens + " random tokens (no NORMAL node yet: a fresh cluster)", null);
            }
            if (known.change() != null) {
                return new Decision(null, "waits for the topology change in progress (" + known.describeChange()
                        + ") before choosing its tokens", null);
            }
            if (allocateRf <= 0) {
                return new Decision(TokenAllocator.secure().allocate(known.currentRing(), numTokens),
                        numTokens + " random tokens", null);
            }
            return new Decision(TokenAllocator.forJoiningNode(known.currentRing(), self, numTokens, allocateRf, random),
                    numTokens + " tokens allocated for replication factor " + allocateRf + " against the "
                            + known.currentRing().nodeCount() + "-node ring of epoch " + known.epoch(), null);
        }
    }

    /**
     * @param self the node's record, or null when its tokens are still to be chosen
     *             ({@code topology.tokenChoice()} says how); {@code info} is the node either way
     */
    public static Behavior<Command> create(ClusterSettings settings, NodeInfo info, NodeRecord self,
                                           RingViewHolder holder, Topology topology) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                DistributedData.<Command, LWWMap<String, NodeRecord>>withReplicatorMessageAdapter(replicator ->
                        DistributedData.<Command, LWWMap<String, MetadataEntry>>withReplicatorMessageAdapter(logAdapter ->
                                DistributedData.<Command, LWWMap<String, MetadataLog.EpochReport>>withReplicatorMessageAdapter(
                                        epochAdapter -> new RingKeeper(ctx, timers, replicator, logAdapter, epochAdapter,
                                                settings, info, self, holder, topology).start())))));
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, NodeRecord>> replicator;
    private final ClusterSettings settings;
    private final NodeInfo selfInfo;
    /** Null until this node's tokens are chosen (a new node reading the log first). */
    private NodeRecord self;
    private boolean choosingTokens;
    private boolean tokensProvisional;
    private String lastChoiceWait;
    private final RingViewHolder holder;
    private final Cluster cluster;
    private final SelfUniqueAddress selfUnique;

    private final ReplicatorMessageAdapter<Command, LWWMap<String, MetadataEntry>> logAdapter;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, MetadataLog.EpochReport>> epochAdapter;
    private final Topology topology;

    private final Map<UniqueAddress, Membership.Member> members = new HashMap<>();
    private Map<String, NodeRecord> records = Map.of();
    private RingView view;
    private ClusterMetadata metadata = ClusterMetadata.EMPTY;
    /** The log entries {@link #metadata} was built from (to notice one replaced under it). */
    private Map<String, MetadataEntry> appliedEntries = Map.of();
    private TopologyStreaming streaming;
    private boolean registered;
    private boolean registering;
    private String lastRegisterMessage;
    private boolean wasMember;
    private boolean leftHandled;
    private long reportedEpoch = -1;
    private String streamingKey;
    private String deferredStreamingKey;
    private final Map<String, Integer> fetchAttempts = new HashMap<>();
    /** When this node first saw itself up in the cluster (a restarted node waits for its old incarnation to go). */
    private long selfUpNanos;

    private RingKeeper(ActorContext<Command> ctx, TimerScheduler<Command> timers,
                       ReplicatorMessageAdapter<Command, LWWMap<String, NodeRecord>> replicator,
                       ReplicatorMessageAdapter<Command, LWWMap<String, MetadataEntry>> logAdapter,
                       ReplicatorMessageAdapter<Command, LWWMap<String, MetadataLog.EpochReport>> epochAdapter,
                       ClusterSettings settings, NodeInfo selfInfo, NodeRecord self, RingViewHolder holder,
                       Topology topology) {
        this.selfInfo = selfInfo;
        this.logAdapter = logAdapter;
        this.epochAdapter = epochAdapter;
        this.topology = topology;
        this.streaming = topology.streaming();
        this.ctx = ctx;
        this.timers = timers;
        this.replicator = replicator;
        this.settings = settings;
        this.self = self;
        this.holder = holder;
        this.cluster = Cluster.get(ctx.getSystem());
        this.selfUnique = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
        this.view = holder.current();
    }

    private Behavior<Command> start() {
        // Typed subscriptions replay the current state as events first, so nothing is missed.
        cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
        cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
                ClusterEvent.ReachabilityEvent.class));
        replicator.subscribe(RING_KEY, RecordsChanged::new);
        DDataSubscription.subscribe(ctx, MetadataLog.LOG_KEY, "metadata-log-subscription", LogChanged::new);
        DDataSubscription.subscribe(ctx, MetadataLog.EPOCHS_KEY, "metadata-epochs-subscription", EpochsChanged::new);
        join();
        publishSelf();
        return Behaviors.receive(Command.class)
                .onMessage(LogChanged.class, this::onLogChanged)
                .onMessage(EpochsChanged.class, this::onEpochsChanged)
                .onMessage(EpochWritten.class, m -> Behaviors.same())
                .onMessageEquals(TryRegister.INSTANCE, this::register)
                .onMessageEquals(RetryStream.INSTANCE, () -> {
                    maybeStream();
                    return Behaviors.same();
                })
                .onMessageEquals(ChooseTokens.INSTANCE, this::chooseTokens)
                .onMessage(LogRead.class, this::onLogRead)
                .onMessage(Registered.class, this::onRegistered)
                .onMessage(AttachStreaming.class, this::onAttachStreaming)
                .onMessage(StreamsFinished.class, this::onStreamsFinished)
                .onMessage(StreamsReported.class, this::onStreamsReported)
                .onMessage(GetView.class, this::onGetView)
                .onMessage(MemberChanged.class, this::onMemberChanged)
                .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
                .onMessage(RecordsChanged.class, this::onRecordsChanged)
                .onMessage(Published.class, this::onPublished)
                .onMessageEquals(Republish.INSTANCE, () -> {
                    publishSelf();
                    return Behaviors.same();
                })
                .build();
    }

    // With seed-nodes in the config (ClusterSettings.toPekkoConfig) Pekko joins by itself at start;
    // otherwise (an ActorSystem configured by hand) join here, seeding ourselves when there are no seeds.
    private void join() {
        org.apache.pekko.cluster.Cluster classic =
                org.apache.pekko.cluster.Cluster.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(ctx.getSystem()));
        if (!classic.settings().SeedNodes().isEmpty()) {
            return;
        }
        Address selfAddress = cluster.selfMember().address();
        if (settings.seeds().isEmpty()) {
            cluster.manager().tell(Join.create(selfAddress));
        } else {
            List<Address> seeds = new ArrayList<>();
            for (ClusterSettings.HostPort hp : settings.seeds()) {
                seeds.add(new Address("pekko", ctx.getSystem().name(), hp.host(), hp.port()));
            }
            cluster.manager().tell(new JoinSeedNodes(seeds));
        }
    }

    private void publishSelf() {
        if (self == null) {
            return;     // published once its tokens are chosen
        }
        replicator.askUpdate(
                replyTo -> new Replicator.Update<>(RING_KEY, LWWMap.create(),
                        new Replicator.WriteMajority(settings.ringWriteTimeout()), replyTo,
                        map -> map.put(selfUnique, self.key(), self)),
                Published::new);
    }

    private Behavior<Command> onPublished(Published msg) {
        var rsp = msg.response();
        if (rsp instanceof Replicator.UpdateSuccess) {
            ctx.getLog().debug("ring record of {} written to a majority", selfInfo.id());
        } else if (rsp instanceof Replicator.UpdateTimeout) {
            // The local (durable) write happened; gossip carries it to the others.
            ctx.getLog().info("ring record of {} written locally; no majority answered within {}",
                    selfInfo.id(), settings.ringWriteTimeout());
        } else {
            ctx.getLog().error("could not store the ring record of {} ({}); retrying in {}",
                    selfInfo.id(), rsp, RETRY_PUBLISH_AFTER);
            timers.startSingleTimer(Republish.INSTANCE, RETRY_PUBLISH_AFTER);
        }
        return Behaviors.same();
    }

    private Behavior<Command> onGetView(GetView msg) {
        msg.replyTo().tell(view);
        return Behaviors.same();
    }

    private Behavior<Command> onMemberChanged(MemberChanged msg) {
        ClusterEvent.MemberEvent event = msg.event();
        Member m = event.member();
        boolean isSelf = m.uniqueAddress().equals(cluster.selfMember().uniqueAddress());
        if (event instanceof ClusterEvent.MemberRemoved removed) {
            members.remove(m.uniqueAddress());
            if (isSelf && removed.previousStatus().equals(MemberStatus.exiting())) {
                ctx.getLog().info("this node ({}) has left the cluster", selfInfo.id());
            } else if (isSelf) {
                ctx.getLog().warn("this node ({}) was removed from the cluster and no longer serves", selfInfo.id());
            }
        } else {
            Membership.Member old = members.get(m.uniqueAddress());
            boolean reachable = old == null || old.reachable();
            members.put(m.uniqueAddress(), member(m, reachable));
            if (isSelf && (event instanceof ClusterEvent.MemberUp || event instanceof ClusterEvent.MemberWeaklyUp)) {
                // Now there are peers to write to: push our record to a majority, and join the ring.
                publishSelf();
                reportEpoch(true);
                if (!wasMember) {
                    wasMember = true;
                    if (self == null) {
                        chooseTokens();
                    } else {
                        register();
                    }
                }
            }
            if (isSelf && event instanceof ClusterEvent.MemberDowned) {
                ctx.getLog().error("this node ({}) was downed by the cluster; its cluster layer shuts down (HTTP and storage stay up)",
                        selfInfo.id());
            }
        }
        refresh();
        return Behaviors.same();
    }

    private Behavior<Command> onReachabilityChanged(ReachabilityChanged msg) {
        Member m = msg.event().member();
        boolean reachable = msg.event() instanceof ClusterEvent.ReachableMember;
        members.put(m.uniqueAddress(), member(m, reachable));
        refresh();
        return Behaviors.same();
    }

    private Behavior<Command> onRecordsChanged(RecordsChanged msg) {
        if (msg.response() instanceof Replicator.Changed<LWWMap<String, NodeRecord>> changed) {
            records = Map.copyOf(changed.get(RING_KEY).getEntries());
            refresh();
        }
        return Behaviors.same();
    }

    private void refresh() {
        RingView next = RingViewBuilder.next(view, selfInfo, metadata, records,
                new Membership(List.copyOf(members.values())));
        if (next == view) {
            return;
        }
        logStateChanges(view, next);
        view = next;
        holder.publish(next);
    }

    // ------------------------------------------------------------------ cluster metadata log

    private Behavior<Command> onLogChanged(LogChanged msg) {
        if (msg.response() instanceof Replicator.Changed<LWWMap<String, MetadataEntry>> changed) {
            Map<String, MetadataEntry> entries = changed.get(MetadataLog.LOG_KEY).getEntries();
            ClusterMetadata next = MetadataLog.follow(metadata, appliedEntries, entries, e -> ctx.getLog().error(e),
                    epoch -> ctx.getLog().warn("the cluster metadata log replaced epoch {} (an entry a superseded "
                            + "topology coordinator wrote but never counted); re-applying the log from the start", epoch));
            appliedEntries = MetadataLog.upTo(entries, next.epoch());
            if (next != metadata) {
                ctx.getLog().info("applied cluster metadata up to epoch {} (from {}); change in progress: {}",
                        next.epoch(), metadata.epoch(), next.describeChange());
                metadata = next;
                topology.state().metadata(next);
                // Durable before the view says UN: a restart must know this node holds its data.
                recordBootstrapDone();
                refresh();
                reportEpoch(false);
                onMetadataApplied();
            }
        }
        return Behaviors.same();
    }

    private Behavior<Command> onEpochsChanged(EpochsChanged msg) {
        if (msg.response() instanceof Replicator.Changed<LWWMap<String, MetadataLog.EpochReport>> changed) {
            topology.state().epochs(Map.copyOf(changed.get(MetadataLog.EPOCHS_KEY).getEntries()));
        }
        return Behaviors.same();
    }

    /** Tells every node (barriers read it) which epoch this node has applied, and at which address. */
    private void reportEpoch(boolean force) {
        if (!force && reportedEpoch == metadata.epoch()) {
            return;
        }
        reportedEpoch = metadata.epoch();
        MetadataLog.EpochReport report = new MetadataLog.EpochReport(metadata.epoch(), selfInfo.host() + ":" + selfInfo.clusterPort());
        epochAdapter.askUpdate(replyTo -> new Replicator.Update<>(MetadataLog.EPOCHS_KEY, LWWMap.create(),
                new Replicator.WriteAll(settings.ringWriteTimeout()), replyTo,
                map -> map.put(selfUnique, self.key(), report)), EpochWritten::new);
    }

    private void recordBootstrapDone() {
        if (metadata.status(selfInfo.id()) == NodeStatus.NORMAL
                && BootstrapState.read(topology.dataDir()) != BootstrapState.COMPLETED) {
            BootstrapState.COMPLETED.write(topology.dataDir());
            ctx.getLog().info("node {} is NORMAL: bootstrap complete", selfInfo.id());
        }
    }

    private void onMetadataApplied() {
        NodeStatus status = metadata.status(selfInfo.id());
        if (status == NodeStatus.LEFT && registered && !leftHandled) {
            leftHandled = true;
            BootstrapState.LEFT.write(topology.dataDir());
            ctx.getLog().warn("node {} has left the ring (decommissioned): it stops serving and leaves the cluster; "
                    + "it will refuse to start again with this data directory", selfInfo.id());
            cluster.manager().tell(Leave.create(cluster.selfMember().address()));
            ctx.getSystem().scheduler().scheduleOnce(Duration.ofSeconds(5), () -> ctx.getSystem().terminate(),
                    ctx.getSystem().executionContext());
        }
        maybeStream();
    }

    // ------------------------------------------------------------------ registration

    private Behavior<Command> register() {
        if (registered || registering || self == null) {
            return Behaviors.same();
        }
        registering = true;
        NodeId replace = replaceTarget();
        NodeRecord record = self;
        if (replace != null) {
            ctx.ask(TopologyCoordinator.Reply.class, topology.coordinator(), ASK_TIMEOUT,
                    replyTo -> new TopologyCoordinator.Replace(record, replace, replyTo), Registered::new);
        } else {
            ctx.ask(TopologyCoordinator.Reply.class, topology.coordinator(), ASK_TIMEOUT,
                    replyTo -> new TopologyCoordinator.Register(record, topology.existingData(), replyTo),
                    Registered::new);
        }
        return Behaviors.same();
    }

    /** The node this one replaces: only a node without data from an earlier membership replaces one. */
    private NodeId replaceTarget() {
        return settings.replaceNode() == null || topology.existingData() ? null : NodeId.of(settings.replaceNode());
    }

    // ------------------------------------------------------------------ choosing tokens (new nodes)

    private enum ChooseTokens implements Command { INSTANCE }

    private record LogRead(Replicator.GetResponse<LWWMap<String, MetadataEntry>> response) implements Command {
    }

    /** Reads the metadata log from a majority, so the tokens are chosen against the ring as it is. */
    private Behavior<Command> chooseTokens() {
        if (choosingTokens) {
            return Behaviors.same();
        }
        choosingTokens = true;
        logAdapter.askGet(replyTo -> new Replicator.Get<>(MetadataLog.LOG_KEY,
                new Replicator.ReadMajority(settings.ringWriteTimeout()), replyTo), LogRead::new);
        return Behaviors.same();
    }

    private Behavior<Command> onLogRead(LogRead msg) {
        choosingTokens = false;
        var rsp = msg.response();
        Map<String, MetadataEntry> entries;
        if (rsp instanceof Replicator.GetSuccess<LWWMap<String, MetadataEntry>> ok) {
            entries = ok.get(MetadataLog.LOG_KEY).getEntries();
        } else if (rsp instanceof Replicator.NotFound) {
            entries = Map.of();
        } else {
            ctx.getLog().info("node {}: cannot read the cluster metadata log from a majority yet ({}); retrying before "
                    + "choosing tokens", selfInfo.id(), rsp.getClass().getSimpleName());
            timers.startSingleTimer(ChooseTokens.INSTANCE, REGISTER_RETRY);
            return Behaviors.same();
        }
        ClusterMetadata known = MetadataLog.replay(metadata, entries, e -> ctx.getLog().error(e));
        TokenChoice choice = topology.tokenChoice();
        TokenChoice.Decision d = choice.decide(known, selfInfo, new java.security.SecureRandom());
        if (d.refusal() != null) {
            fail(d.refusal());
            return Behaviors.same();
        }
        if (d.tokens() == null) {
            String wait = "node " + selfInfo.id() + " " + d.how();
            if (!wait.equals(lastChoiceWait)) {
                ctx.getLog().info(wait);
                lastChoiceWait = wait;
            }
            timers.startSingleTimer(ChooseTokens.INSTANCE, REGISTER_RETRY);
            return Behaviors.same();
        }
        List<Long> tokens = d.tokens();
        String how = d.how();
        NodeIdentity identity = new NodeIdentity(selfInfo.id(), tokens, selfInfo.dc(), selfInfo.rack());
        NodeIdentity.write(NodeIdentity.file(topology.dataDir()), identity);
        ctx.getLog().info("node {} chose {}; identity written to {}", selfInfo.id(), how,
                NodeIdentity.file(topology.dataDir()));
        tokensProvisional = choice.replace() == null;
        self = new NodeRecord(selfInfo, tokens, NodeStatus.NORMAL);
        choice.chosen().accept(identity);
        publishSelf();
        register();
        return Behaviors.same();
    }

    /** A new node that cannot start: nothing was registered, so its identity is discarded. */
    private void fail(String message) {
        ctx.getLog().error("node {} cannot join the ring: {}", selfInfo.id(), message);
        topology.state().registration("REFUSED: " + message);
        topology.state().joinRefused(true);
        discardUnregisteredIdentity();
        leaveAndStop();
    }

    /**
     * A node that cannot join leaves the Pekko cluster before its actor system ends, so the others see
     * it removed rather than unreachable (an unreachable member counts against the split brain
     * resolver's majority).
     */
    private void leaveAndStop() {
        org.apache.pekko.cluster.Cluster classic = org.apache.pekko.cluster.Cluster.get(
                org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(ctx.getSystem()));
        var system = ctx.getSystem();
        classic.registerOnMemberRemoved(system::terminate);
        cluster.manager().tell(Leave.create(cluster.selfMember().address()));
        system.scheduler().scheduleOnce(Duration.ofSeconds(10), system::terminate, system.executionContext());
    }

    private void discardUnregisteredIdentity() {
        if (topology.tokenChoice() == null || metadata.status(selfInfo.id()) != null) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(NodeIdentity.file(topology.dataDir()));
        } catch (java.io.IOException e) {
            ctx.getLog().error("could not delete the unused identity {}: {}", NodeIdentity.file(topology.dataDir()),
                    e.getMessage());
        }
    }

    private Behavior<Command> onRegistered(Registered msg) {
        registering = false;
        if (msg.failure() != null) {
            ctx.getLog().info("registration of node {} with the topology coordinator got no answer ({}); retrying",
                    selfInfo.id(), msg.failure().getMessage());
            timers.startSingleTimer(TryRegister.INSTANCE, REGISTER_RETRY);
            return Behaviors.same();
        }
        TopologyCoordinator.Reply r = msg.reply();
        topology.state().registration(r.outcome() + ": " + r.message());
        switch (r.outcome()) {
            case OK -> {
                registered = true;
                tokensProvisional = false;
                ctx.getLog().info("node {} registered in the cluster metadata ({}), epoch {}", selfInfo.id(), r.message(),
                        r.epoch());
            }
            case RETRY, CONFLICT -> {
                if (r.outcome() == TopologyCoordinator.Outcome.CONFLICT && replaceTarget() != null) {
                    fail(r.message());
                    return Behaviors.same();
                }
                if (!r.message().equals(lastRegisterMessage)) {
                    ctx.getLog().info("node {} waits to join: {}", selfInfo.id(), r.message());
                    lastRegisterMessage = r.message();
                }
                if (tokensProvisional) {
                    // Tokens allocated against a ring another change is about to alter: choose again after it.
                    timers.startSingleTimer(ChooseTokens.INSTANCE, REGISTER_RETRY);
                } else {
                    timers.startSingleTimer(TryRegister.INSTANCE, REGISTER_RETRY);
                }
            }
            default -> {
                if (replaceTarget() != null) {
                    fail(r.message());
                    return Behaviors.same();
                }
                ctx.getLog().error("node {} cannot join the ring: {}", selfInfo.id(), r.message());
                topology.state().joinRefused(true);
                leaveAndStop();
            }
        }
        return Behaviors.same();
    }

    // ------------------------------------------------------------------ streaming

    private Behavior<Command> onAttachStreaming(AttachStreaming msg) {
        streaming = msg.streaming();
        maybeStream();
        return Behaviors.same();
    }

    private static String changeKey(TopologyChange c) {
        return c.kind().name().toLowerCase() + "-" + c.node() + "-" + c.startedEpoch();
    }

    /** Starts this node's fetches when the change in progress is streaming and this node has not finished. */
    private void maybeStream() {
        TopologyChange c = metadata.change();
        if (c == null || c.step() != TopologyChange.Step.STREAMING || !c.streamers().contains(selfInfo.id())
                || c.streamsDone().contains(selfInfo.id()) || streaming == null) {
            return;
        }
        String key = changeKey(c);
        if (key.equals(streamingKey)) {
            return;
        }
        List<NodeId> notSeenUp = new ArrayList<>();
        for (NodeRecord r : view.records().values()) {
            NodeId id = r.info().id();
            if (r.status() == NodeStatus.NORMAL && !id.equals(selfInfo.id()) && !id.equals(c.node())
                    && !id.equals(c.replaced()) && !view.isAlive(id)) {
                notSeenUp.add(id);
            }
        }
        // Up in Pekko's membership (not merely Joining: a restarted node is welcomed only once its killed
        // incarnation at the same address has been downed).
        boolean selfUp = cluster.selfMember().status().equals(MemberStatus.up());
        if (selfUp && selfUpNanos == 0) {
            selfUpNanos = System.nanoTime();
        }
        if (!selfUp || (!notSeenUp.isEmpty() && System.nanoTime() - selfUpNanos < SOURCES_UP_GRACE.toNanos())) {
            if (!key.equals(deferredStreamingKey)) {
                deferredStreamingKey = key;
                ctx.getLog().info("{} of node {}: node {} waits until it is up in the cluster, then up to {} s to see "
                        + "{} up, before it fetches", c.kind(), c.node(), selfInfo.id(), SOURCES_UP_GRACE.toSeconds(),
                        notSeenUp);
            }
            timers.startSingleTimer(RetryStream.INSTANCE, Duration.ofMillis(250));
            return;
        }
        streamingKey = key;
        ctx.getLog().info("{} of node {}: node {} fetches the ranges it gains (session {})", c.kind(), c.node(),
                selfInfo.id(), key);
        CompletionStage<Void> done;
        try {
            done = streaming.fetch(metadata, view);
        } catch (RuntimeException e) {
            done = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ctx.pipeToSelf(done, (v, err) -> new StreamsFinished(key, c.node(), err == null ? null : describe(err)));
    }

    private static String describe(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private Behavior<Command> onStreamsFinished(StreamsFinished msg) {
        if (msg.failure() != null && fetchAttempts.merge(msg.changeKey(), 1, Integer::sum) < FETCH_ATTEMPTS) {
            // A stream can fail for a passing reason (e.g. a source's association with this node's new
            // incarnation after a restart); the retry, under the same session, skips the ranges already stored.
            ctx.getLog().warn("session {}: fetching failed ({}); fetching again in {} s (attempt {} of {})",
                    msg.changeKey(), msg.failure(), FETCH_RETRY_AFTER.toSeconds(),
                    fetchAttempts.get(msg.changeKey()) + 1, FETCH_ATTEMPTS);
            if (msg.changeKey().equals(streamingKey)) {
                streamingKey = null;
            }
            timers.startSingleTimer(RetryStream.INSTANCE, FETCH_RETRY_AFTER);
            return Behaviors.same();
        }
        if (msg.failure() == null) {
            ctx.getLog().info("session {}: every gained range fetched; reporting to the topology coordinator",
                    msg.changeKey());
        } else {
            ctx.getLog().error("session {}: fetching failed: {}", msg.changeKey(), msg.failure());
        }
        ctx.ask(TopologyCoordinator.Reply.class, topology.coordinator(), ASK_TIMEOUT,
                replyTo -> new TopologyCoordinator.ReportStreams(msg.changeNode(), selfInfo.id(), msg.failure(), replyTo),
                (reply, err) -> new StreamsReported(msg.changeKey(), msg.changeNode(), msg.failure(), reply, err));
        return Behaviors.same();
    }

    private Behavior<Command> onStreamsReported(StreamsReported msg) {
        if (msg.error() != null || msg.reply().outcome() == TopologyCoordinator.Outcome.RETRY) {
            ctx.getLog().info("session {}: report not acknowledged ({}); retrying", msg.changeKey(),
                    msg.error() != null ? msg.error().getMessage() : msg.reply().message());
            ctx.getSystem().scheduler().scheduleOnce(REGISTER_RETRY,
                    () -> ctx.getSelf().tell(new StreamsFinished(msg.changeKey(), msg.changeNode(), msg.failure())),
                    ctx.getSystem().executionContext());
        } else if (msg.reply().outcome() != TopologyCoordinator.Outcome.OK) {
            ctx.getLog().warn("session {}: the topology coordinator did not take the report: {}", msg.changeKey(),
                    msg.reply().message());
        }
        return Behaviors.same();
    }

    private void logStateChanges(RingView before, RingView after) {
        for (Map.Entry<NodeId, NodeState> e : after.states().entrySet()) {
            NodeState was = before.records().containsKey(e.getKey()) ? before.state(e.getKey()) : null;
            if (was != e.getValue()) {
                NodeRecord r = after.records().get(e.getKey());
                ctx.getLog().info("node {} ({}, {}/{}) is {}{}", e.getKey(), r.clusterAddress(), r.info().dc(),
                        r.info().rack(), e.getValue(), was == null ? " (new)" : " (was " + was + ")");
            }
        }
        if (before.ring() != after.ring()) {
            ctx.getLog().info("token ring now has {} nodes and {} tokens", after.ring().nodeCount(),
                    after.ring().tokenCount());
        }
    }

    private static Membership.Member member(Member m, boolean reachable) {
        Address a = m.address();
        String hostPort = a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?");
        return new Membership.Member(hostPort, m.uniqueAddress().longUid(), phase(m.status()), reachable);
    }

    static Membership.Phase phase(MemberStatus s) {
        if (s.equals(MemberStatus.up())) {
            return Membership.Phase.UP;
        } else if (s.equals(MemberStatus.joining())) {
            return Membership.Phase.JOINING;
        } else if (s.equals(MemberStatus.weaklyUp())) {
            return Membership.Phase.WEAKLY_UP;
        } else if (s.equals(MemberStatus.exiting())) {
            return Membership.Phase.EXITING;
        } else if (s.equals(MemberStatus.down())) {
            return Membership.Phase.DOWN;
        } else if (s.equals(MemberStatus.removed())) {
            return Membership.Phase.REMOVED;
        }
        // Leaving, and the coordinated full-cluster shutdown states.
        return Membership.Phase.LEAVING;
    }
}
