package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The only appender of the cluster metadata log: a Pekko Cluster Singleton (the split brain
 * resolver's keep-majority keeps one). It validates every request against the metadata it holds,
 * appends entries one at a time (each with WriteMajority before it counts; a timed-out write is
 * retried with the same epoch and content, never replaced), and drives the change in progress from
 * the log alone: each step waits for a progress barrier (the live nodes have applied the previous
 * epoch), so a new incarnation on another node, which first reads the log with ReadMajority, simply
 * continues where the last one stopped.
 */
public final class TopologyCoordinator {

    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PROGRESS_LOG_EVERY = Duration.ofSeconds(2);

    public sealed interface Command extends CborSerializable {
    }

    /** What a request came to. */
    public enum Outcome { OK, RETRY, REFUSED, CONFLICT, NOT_FOUND }

    /** The answer to every request; {@code epoch} is the metadata epoch after it. */
    public record Reply(Outcome outcome, String message, long epoch) implements CborSerializable {
    }

    /**
     * A node asks to be part of the ring.
     *
     * @param existingData the node has been a ring member before (its identity existed and no
     *                     unfinished bootstrap is recorded): it registers as NORMAL if unknown
     */
    public record Register(NodeRecord record, boolean existingData, ActorRef<Reply> replyTo) implements Command {
    }

    /**
     * A new node (empty data directory) asks to take over the tokens of the dead node {@code replaced}
     * ({@code sibyl start --replace}); {@code record} carries those tokens. Refused unless the replaced node
     * is NORMAL and down and no other change runs; OK (nothing appended) when this replace is already
     * under way or done (a restarted replacing node).
     */
    public record Replace(NodeRecord record, NodeId replaced, ActorRef<Reply> replyTo) implements Command {
    }

    /** Decommission ({@code removal = false}, asked by the leaving node) or removenode. */
    public record RequestLeave(NodeId node, boolean removal, ActorRef<Reply> replyTo) implements Command {
    }

    /** A streamer finished (failure null) or failed its fetches for the change of {@code changeNode}. */
    public record ReportStreams(NodeId changeNode, NodeId streamer, String failure, ActorRef<Reply> replyTo)
            implements Command {
    }

    /** An operator rolls back the change of {@code node} (only before reads moved). */
    public record Abort(NodeId node, String reason, ActorRef<Reply> replyTo) implements Command {
    }

    private record Loaded(Replicator.GetResponse<LWWMap<String, MetadataEntry>> response) implements Command {
    }

    private record Appended(Replicator.UpdateResponse<LWWMap<String, MetadataEntry>> response) implements Command {
    }

    private record FenceRead(Replicator.GetResponse<LWWMap<String, Long>> response) implements Command {
    }

    private record FenceWritten(Replicator.UpdateResponse<LWWMap<String, Long>> response) implements Command {
    }

    private record FenceChecked(Replicator.GetResponse<LWWMap<String, Long>> response) implements Command {
    }

    private enum AcquireFence implements Command { INSTANCE }

    private enum CheckFence implements Command { INSTANCE }

    private record EpochsChanged(Replicator.SubscribeResponse<LWWMap<String, MetadataLog.EpochReport>> response)
            implements Command {
    }

    private enum Tick implements Command { INSTANCE }

    private enum Reload implements Command { INSTANCE }

    private enum RetryAppend implements Command { INSTANCE }

    private record SnapshotStored(long epoch, Replicator.UpdateResponse<LWWMap<String, MetadataEntry>> response)
            implements Command {
    }

    /** Default of {@code sibyl.cluster.metadata_snapshot_frequency} (Cassandra's metadata_snapshot_frequency). */
    public static final int DEFAULT_SNAPSHOT_FREQUENCY = 100;

    public static Behavior<Command> create(Duration writeTimeout) {
        return create(writeTimeout, DEFAULT_SNAPSHOT_FREQUENCY);
    }

    /**
     * @param snapshotFrequency every this many epochs the log gets a snapshot of the metadata and the
     *                          entries it covers are removed ({@code sibyl.cluster.metadata_snapshot_frequency};
     *                          0 = never)
     */
    public static Behavior<Command> create(Duration writeTimeout, int snapshotFrequency) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(10_000, stash ->
                DistributedData.<Command, LWWMap<String, MetadataEntry>>withReplicatorMessageAdapter(log ->
                        DistributedData.<Command, LWWMap<String, MetadataLog.EpochReport>>withReplicatorMessageAdapter(
                                epochs -> DistributedData.<Command, LWWMap<String, Long>>withReplicatorMessageAdapter(
                                        fences -> new TopologyCoordinator(ctx, timers, stash, log, epochs, fences,
                                                writeTimeout, snapshotFrequency).acquiringFence()))))));
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final StashBuffer<Command> stash;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, MetadataEntry>> log;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, Long>> fences;
    /** This incarnation's fence holder name (address and a random id). */
    private final String incarnation;
    private MetadataFence fence;
    /** What follows a successful fence check: counting the entry in flight, or re-reading the log. */
    private boolean reloadAfterCheck;
    private final Duration writeTimeout;
    private final SelfUniqueAddress selfUnique;
    private final Cluster cluster;

    private ClusterMetadata metadata = ClusterMetadata.EMPTY;
    private Map<String, MetadataLog.EpochReport> epochs = Map.of();
    private MetadataEntry inFlight;
    private final List<ActorRef<Reply>> waiting = new ArrayList<>();
    private long lastProgressLog;
    private final int snapshotFrequency;
    /** The epoch of the log's snapshot (0: none yet). */
    private long snapshotEpoch;
    private boolean snapshotting;

    private TopologyCoordinator(ActorContext<Command> ctx, TimerScheduler<Command> timers, StashBuffer<Command> stash,
                                ReplicatorMessageAdapter<Command, LWWMap<String, MetadataEntry>> log,
                                ReplicatorMessageAdapter<Command, LWWMap<String, MetadataLog.EpochReport>> epochAdapter,
                                ReplicatorMessageAdapter<Command, LWWMap<String, Long>> fences,
                                Duration writeTimeout, int snapshotFrequency) {
        this.ctx = ctx;
        this.snapshotFrequency = snapshotFrequency;
        this.fences = fences;
        this.timers = timers;
        this.stash = stash;
        this.log = log;
        this.writeTimeout = writeTimeout;
        this.selfUnique = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
        this.cluster = Cluster.get(ctx.getSystem());
        this.incarnation = cluster.selfMember().address() + "#" + java.util.UUID.randomUUID();
        epochAdapter.subscribe(MetadataLog.EPOCHS_KEY, EpochsChanged::new);
    }

    // ------------------------------------------------------------------ fencing

    /** A new incarnation first takes a fence above every fence a majority knows, then reads the log. */
    private Behavior<Command> acquiringFence() {
        fences.askGet(replyTo -> new Replicator.Get<>(MetadataFence.KEY, new Replicator.ReadMajority(READ_TIMEOUT), replyTo),
                FenceRead::new);
        return Behaviors.receive(Command.class)
                .onMessage(FenceRead.class, this::onFenceRead)
                .onMessage(FenceWritten.class, this::onFenceWritten)
                .onMessage(EpochsChanged.class, this::onEpochs)
                .onMessageEquals(AcquireFence.INSTANCE, this::acquiringFence)
                .onMessage(Command.class, this::stashWhileLoading)
                .build();
    }

    private Behavior<Command> onFenceRead(FenceRead msg) {
        var rsp = msg.response();
        Map<String, Long> known;
        if (rsp instanceof Replicator.GetSuccess<LWWMap<String, Long>> ok) {
            known = ok.get(MetadataFence.KEY).getEntries();
        } else if (rsp instanceof Replicator.NotFound) {
            known = Map.of();
        } else {
            ctx.getLog().warn("topology coordinator: cannot read the fences from a majority ({}); retrying", rsp);
            timers.startSingleTimer(AcquireFence.INSTANCE, RETRY);
            return Behaviors.same();
        }
        MetadataFence next = MetadataFence.next(known, incarnation, System.currentTimeMillis());
        fences.askUpdate(replyTo -> new Replicator.Update<>(MetadataFence.KEY, LWWMap.create(),
                new Replicator.WriteMajority(writeTimeout), replyTo, map -> map.put(selfUnique, incarnation, next.value())),
                FenceWritten::new);
        fence = next;
        return Behaviors.same();
    }

    private Behavior<Command> onFenceWritten(FenceWritten msg) {
        if (msg.response() instanceof Replicator.UpdateSuccess) {
            ctx.getLog().info("topology coordinator {} holds metadata fence {}", incarnation, fence.value());
            return loading();
        }
        ctx.getLog().warn("topology coordinator: fence {} not on a majority ({}); taking a new one", fence.value(),
                msg.response());
        timers.startSingleTimer(AcquireFence.INSTANCE, RETRY);
        return Behaviors.same();
    }

    private Behavior<Command> stashWhileLoading(Command msg) {
        if (msg instanceof Tick || msg instanceof RetryAppend) {
            return Behaviors.same();
        }
        stash.stash(msg);
        return Behaviors.same();
    }

    /** After an append reached a majority (or was refused): does a newer incarnation hold a higher fence? */
    private void checkFence(boolean reload) {
        reloadAfterCheck = reload;
        fences.askGet(replyTo -> new Replicator.Get<>(MetadataFence.KEY, new Replicator.ReadMajority(READ_TIMEOUT), replyTo),
                FenceChecked::new);
    }

    private Behavior<Command> onFenceChecked(FenceChecked msg) {
        var rsp = msg.response();
        if (!(rsp instanceof Replicator.GetSuccess<LWWMap<String, Long>> ok)) {
            ctx.getLog().warn("topology coordinator: cannot read the fences from a majority ({}); retrying", rsp);
            timers.startSingleTimer(CheckFence.INSTANCE, RETRY);
            return Behaviors.same();
        }
        String newer = fence.supersededBy(ok.get(MetadataFence.KEY).getEntries());
        if (newer != null) {
            return fenced(newer);
        }
        if (reloadAfterCheck || inFlight == null) {
            return loading();
        }
        metadata = metadata.apply(inFlight);
        ctx.getLog().info("cluster metadata epoch {}: {} (change: {})", metadata.epoch(), inFlight.describe(),
                metadata.describeChange());
        finishAppend(Outcome.OK, inFlight.describe());
        maybeSnapshot();
        return stash.unstashAll(active());
    }

    /**
     * A newer incarnation took over: nothing this one wrote since counts, and it appends nothing more
     * (the singleton manager stops it soon). Every request is answered RETRY, to reach the new one.
     */
    private Behavior<Command> fenced(String newer) {
        ctx.getLog().warn("topology coordinator {} (fence {}) was superseded by {}: it stops appending to the metadata "
                + "log{}", incarnation, fence.value(), newer,
                inFlight == null ? "" : "; its entry " + inFlight.describe() + " does not count");
        timers.cancelAll();
        String why = "the topology coordinator moved to a newer incarnation; retry";
        for (ActorRef<Reply> r : waiting) {
            reply(r, Outcome.RETRY, why);
        }
        waiting.clear();
        inFlight = null;
        Behavior<Command> refusing = Behaviors.receive(Command.class)
                .onMessage(Register.class, m -> refuse(m.replyTo(), why))
                .onMessage(Replace.class, m -> refuse(m.replyTo(), why))
                .onMessage(RequestLeave.class, m -> refuse(m.replyTo(), why))
                .onMessage(ReportStreams.class, m -> refuse(m.replyTo(), why))
                .onMessage(Abort.class, m -> refuse(m.replyTo(), why))
                .onMessage(Command.class, m -> Behaviors.same())
                .build();
        return stash.unstashAll(refusing);
    }

    private Behavior<Command> refuse(ActorRef<Reply> to, String why) {
        reply(to, Outcome.RETRY, why);
        return Behaviors.same();
    }

    // ------------------------------------------------------------------ loading

    /** A new incarnation first learns the last epoch from a majority. */
    private Behavior<Command> loading() {
        log.askGet(replyTo -> new Replicator.Get<>(MetadataLog.LOG_KEY, new Replicator.ReadMajority(READ_TIMEOUT), replyTo),
                Loaded::new);
        return Behaviors.receive(Command.class)
                .onMessage(Loaded.class, this::onLoaded)
                .onMessage(EpochsChanged.class, this::onEpochs)
                .onMessageEquals(Reload.INSTANCE, this::loading)
                .onMessage(Command.class, this::stashWhileLoading)
                .build();
    }

    private Behavior<Command> onLoaded(Loaded msg) {
        var rsp = msg.response();
        Map<String, MetadataEntry> entries;
        if (rsp instanceof Replicator.GetSuccess<LWWMap<String, MetadataEntry>> ok) {
            entries = ok.get(MetadataLog.LOG_KEY).getEntries();
        } else if (rsp instanceof Replicator.NotFound) {
            entries = Map.of();
        } else {
            ctx.getLog().warn("topology coordinator: cannot read the metadata log from a majority ({}); retrying", rsp);
            timers.startSingleTimer(Reload.INSTANCE, RETRY);
            return Behaviors.same();
        }
        metadata = MetadataLog.replay(ClusterMetadata.EMPTY, entries, e -> ctx.getLog().error(e));
        MetadataEntry.Snapshot snapshot = MetadataLog.snapshot(entries);
        snapshotEpoch = snapshot == null ? 0 : snapshot.epoch();
        ctx.getLog().info("topology coordinator active on {}: cluster metadata at epoch {}, change in progress: {}",
                cluster.selfMember().address(), metadata.epoch(), metadata.describeChange());
        timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
        return stash.unstashAll(active());
    }

    // ------------------------------------------------------------------ serving

    private Behavior<Command> active() {
        return Behaviors.receive(Command.class)
                .onMessage(Register.class, this::onRegister)
                .onMessage(Replace.class, this::onReplace)
                .onMessage(RequestLeave.class, this::onRequestLeave)
                .onMessage(ReportStreams.class, this::onReportStreams)
                .onMessage(Abort.class, this::onAbort)
                .onMessage(Appended.class, this::onAppended)
                .onMessage(FenceChecked.class, this::onFenceChecked)
                .onMessageEquals(CheckFence.INSTANCE, () -> {
                    checkFence(reloadAfterCheck);
                    return Behaviors.same();
                })
                .onMessage(EpochsChanged.class, this::onEpochs)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessageEquals(RetryAppend.INSTANCE, () -> {
                    write(inFlight);
                    return Behaviors.same();
                })
                .onMessageEquals(Reload.INSTANCE, this::loading)
                .onMessage(Loaded.class, m -> Behaviors.same())
                .onMessage(SnapshotStored.class, this::onSnapshotStored)
                .build();
    }

    /** While an append is in flight, requests wait (they are answered against the metadata after it). */
    private boolean deferred(Command msg) {
        if (inFlight != null) {
            stash.stash(msg);
            return true;
        }
        return false;
    }

    private Behavior<Command> onRegister(Register msg) {
        if (deferred(msg)) {
            return Behaviors.same();
        }
        NodeRecord r = msg.record();
        NodeRecord known = metadata.nodes().get(r.id());
        if (known != null) {
            if (known.status() == NodeStatus.LEFT) {
                reply(msg.replyTo(), Outcome.REFUSED, "node " + r.id() + " has left the ring (decommissioned or "
                        + "removed); it cannot join again with the same identity. Start it with an empty data "
                        + "directory to join as a new node.");
            } else {
                reply(msg.replyTo(), Outcome.OK, "node " + r.id() + " is " + known.status());
            }
            return Behaviors.same();
        }
        if (metadata.change() != null) {
            reply(msg.replyTo(), Outcome.RETRY, "a topology change is in progress (" + metadata.describeChange()
                    + "); node " + r.id() + " joins after it");
            return Behaviors.same();
        }
        if (!metadata.hasNormalNode() || msg.existingData()) {
            if (msg.existingData() && metadata.hasNormalNode()) {
                ctx.getLog().warn("node {} holds data from an earlier ring membership but is not in the cluster "
                        + "metadata; registering it as NORMAL with its tokens", r.id());
            }
            append(new MetadataEntry.Register(metadata.epoch() + 1,
                    new NodeRecord(r.info(), r.tokens(), NodeStatus.NORMAL)), msg.replyTo());
        } else {
            append(new MetadataEntry.PrepareJoin(metadata.epoch() + 1,
                    new NodeRecord(r.info(), r.tokens(), NodeStatus.JOINING)), msg.replyTo());
        }
        return Behaviors.same();
    }

    private Behavior<Command> onReplace(Replace msg) {
        if (deferred(msg)) {
            return Behaviors.same();
        }
        NodeRecord r = msg.record();
        NodeRecord known = metadata.nodes().get(r.id());
        TopologyChange c = metadata.change();
        String refused = "replace of node " + msg.replaced() + " by " + r.id() + " refused: ";
        if (known != null) {
            if (known.status() == NodeStatus.LEFT) {
                reply(msg.replyTo(), Outcome.REFUSED, "node " + r.id() + " has left the ring; it cannot join again "
                        + "with the same identity. Start it with an empty data directory.");
            } else if (known.status() == NodeStatus.NORMAL || c != null && c.node().equals(r.id())) {
                // A restart of the replacing node: the replace is under way (or done); it resumes.
                reply(msg.replyTo(), Outcome.OK, "node " + r.id() + " is " + known.status()
                        + (c != null && c.node().equals(r.id()) ? " (" + metadata.describeChange() + ")" : ""));
            } else {
                reply(msg.replyTo(), Outcome.REFUSED, refused + "node " + r.id() + " is " + known.status());
            }
            return Behaviors.same();
        }
        if (c != null) {
            reply(msg.replyTo(), Outcome.CONFLICT, refused + "another topology change is in progress ("
                    + metadata.describeChange() + "); one change at a time. Start the replacing node again once "
                    + "it has finished.");
            return Behaviors.same();
        }
        NodeRecord dead = metadata.nodes().get(msg.replaced());
        String why = ClusterMetadata.replaceRefusal(r, dead, msg.replaced());
        if (why != null) {
            reply(msg.replyTo(), dead == null ? Outcome.NOT_FOUND : Outcome.REFUSED, refused + why);
            return Behaviors.same();
        }
        // Its address may be the dead node's (a machine replaced in place): then it is not the dead node alive.
        String deadAddress = addressOf(msg.replaced());
        if (!deadAddress.equals(r.clusterAddress()) && liveAddresses().contains(deadAddress)) {
            reply(msg.replyTo(), Outcome.REFUSED, refused + "node " + msg.replaced() + " is alive (at " + deadAddress
                    + "); only a dead node can be replaced. Decommission it instead, or stop it first.");
            return Behaviors.same();
        }
        ctx.getLog().info("node {} replaces dead node {} (same {} tokens)", r.id(), msg.replaced(), r.tokens().size());
        append(new MetadataEntry.PrepareReplace(metadata.epoch() + 1,
                new NodeRecord(r.info(), r.tokens(), NodeStatus.JOINING), msg.replaced()), msg.replyTo());
        return Behaviors.same();
    }

    private Behavior<Command> onRequestLeave(RequestLeave msg) {
        if (deferred(msg)) {
            return Behaviors.same();
        }
        NodeRecord r = metadata.nodes().get(msg.node());
        String op = msg.removal() ? "removenode" : "decommission";
        if (r == null || r.status() == NodeStatus.LEFT && msg.removal()) {
            reply(msg.replyTo(), r == null ? Outcome.NOT_FOUND : Outcome.REFUSED, r == null
                    ? "no node " + msg.node() + " in the ring" : "node " + msg.node() + " has already left the ring");
            return Behaviors.same();
        }
        TopologyChange c = metadata.change();
        if (c != null) {
            reply(msg.replyTo(), c.node().equals(msg.node()) && !c.isJoin()
                    ? Outcome.OK : Outcome.CONFLICT, c.node().equals(msg.node()) && !c.isJoin()
                    ? op + " of " + msg.node() + " is already in progress (" + metadata.describeChange() + ")"
                    : "another topology change is in progress (" + metadata.describeChange() + "); one change at a time");
            return Behaviors.same();
        }
        if (r.status() != NodeStatus.NORMAL) {
            reply(msg.replyTo(), Outcome.REFUSED, op + " refused: node " + msg.node() + " is " + r.status()
                    + ", not NORMAL");
            return Behaviors.same();
        }
        boolean alive = liveAddresses().contains(addressOf(msg.node()));
        if (msg.removal() && alive) {
            reply(msg.replyTo(), Outcome.REFUSED, "removenode refused: node " + msg.node() + " is alive; "
                    + "decommission it instead (POST /v1/admin/decommission on that node)");
            return Behaviors.same();
        }
        if (metadata.normalNodes().size() < 2) {
            reply(msg.replyTo(), Outcome.REFUSED, op + " refused: node " + msg.node() + " is the last NORMAL node");
            return Behaviors.same();
        }
        append(new MetadataEntry.PrepareLeave(metadata.epoch() + 1, msg.node(), msg.removal()), msg.replyTo());
        return Behaviors.same();
    }

    private Behavior<Command> onReportStreams(ReportStreams msg) {
        if (deferred(msg)) {
            return Behaviors.same();
        }
        TopologyChange c = metadata.change();
        if (c == null || !c.node().equals(msg.changeNode()) || c.step() != TopologyChange.Step.STREAMING) {
            reply(msg.replyTo(), Outcome.REFUSED, "no change of " + msg.changeNode() + " is streaming (now: "
                    + metadata.describeChange() + ")");
            return Behaviors.same();
        }
        if (msg.failure() != null) {
            String reason = "streaming to node " + msg.streamer() + " failed: " + msg.failure();
            ctx.getLog().error("aborting the {} of node {}: {}", c.kind(), c.node(), reason);
            append(new MetadataEntry.AbortChange(metadata.epoch() + 1, c.node(), reason), msg.replyTo());
        } else if (c.streamsDone().contains(msg.streamer())) {
            reply(msg.replyTo(), Outcome.OK, "already done");
        } else {
            append(new MetadataEntry.StreamsDone(metadata.epoch() + 1, c.node(), msg.streamer()), msg.replyTo());
        }
        return Behaviors.same();
    }

    private Behavior<Command> onAbort(Abort msg) {
        if (deferred(msg)) {
            return Behaviors.same();
        }
        TopologyChange c = metadata.change();
        if (c == null || !c.node().equals(msg.node())) {
            reply(msg.replyTo(), Outcome.NOT_FOUND, "no change of node " + msg.node() + " is in progress (now: "
                    + metadata.describeChange() + ")");
        } else if (c.step() == TopologyChange.Step.READS_MOVED) {
            reply(msg.replyTo(), Outcome.REFUSED, "reads already moved to the new owners: the change of " + msg.node()
                    + " can only finish (it will once the barrier passes)");
        } else {
            ctx.getLog().warn("operator aborts the {} of node {}: {}", c.kind(), c.node(), msg.reason());
            append(new MetadataEntry.AbortChange(metadata.epoch() + 1, c.node(), msg.reason()), msg.replyTo());
        }
        return Behaviors.same();
    }

    private Behavior<Command> onEpochs(EpochsChanged msg) {
        if (msg.response() instanceof Replicator.Changed<LWWMap<String, MetadataLog.EpochReport>> changed) {
            epochs = Map.copyOf(changed.get(MetadataLog.EPOCHS_KEY).getEntries());
        }
        return Behaviors.same();
    }

    // ------------------------------------------------------------------ driving the change

    private Behavior<Command> onTick() {
        maybeSnapshot();
        TopologyChange c = metadata.change();
        if (inFlight != null || c == null) {
            return Behaviors.same();
        }
        long e = metadata.epoch() + 1;
        switch (c.step()) {
            case PREPARED -> {
                if (barrier(metadata.epoch(), "start of " + c.kind() + " of " + c.node())) {
                    append(new MetadataEntry.StartChange(e, c.node()), null);
                }
            }
            case WRITES_PENDING -> {
                if (barrier(metadata.epoch(), "streaming for " + c.kind() + " of " + c.node())) {
                    append(new MetadataEntry.BeginStreaming(e, c.node()), null);
                }
            }
            case STREAMING -> {
                if (c.allStreamsDone()) {
                    append(new MetadataEntry.MidChange(e, c.node()), null);
                } else if (due()) {
                    Set<NodeId> missing = new TreeSet<>(c.streamers());
                    missing.removeAll(c.streamsDone());
                    ctx.getLog().info("{} of {}: waiting for {} to finish streaming", c.kind(), c.node(), missing);
                }
            }
            case READS_MOVED -> {
                if (barrier(metadata.epoch(), "finish of " + c.kind() + " of " + c.node())) {
                    append(new MetadataEntry.FinishChange(e, c.node()), null);
                }
            }
        }
        return Behaviors.same();
    }

    /**
     * Whether {@code epoch} has been applied by every live node and by a majority of the NORMAL nodes.
     * A down node catches up, in order, when it comes back, before it serves.
     */
    private boolean barrier(long epoch, String what) {
        Set<String> live = liveAddresses();
        Set<NodeId> lagging = new TreeSet<>();
        int normals = 0;
        int normalsAcked = 0;
        for (NodeRecord r : metadata.nodes().values()) {
            if (r.status() == NodeStatus.LEFT) {
                continue;
            }
            MetadataLog.EpochReport rep = epochs.get(r.key());
            boolean acked = rep != null && rep.epoch() >= epoch;
            if (r.status() == NodeStatus.NORMAL) {
                normals++;
                if (acked) {
                    normalsAcked++;
                }
            }
            // The node being replaced is dead, even when its replacement now answers at its old address.
            boolean replaced = metadata.change() != null && r.id().equals(metadata.change().replaced());
            if (!acked && !replaced && live.contains(addressOf(r.id()))) {
                lagging.add(r.id());
            }
        }
        boolean ok = lagging.isEmpty() && normalsAcked >= normals / 2 + 1;
        if (!ok && due()) {
            ctx.getLog().info("barrier before {}: waiting for epoch {} on live nodes {} ({} of {} NORMAL nodes have it)",
                    what, epoch, lagging, normalsAcked, normals);
        }
        return ok;
    }

    private boolean due() {
        long now = System.nanoTime();
        if (now - lastProgressLog > PROGRESS_LOG_EVERY.toNanos()) {
            lastProgressLog = now;
            return true;
        }
        return false;
    }

    private String addressOf(NodeId id) {
        MetadataLog.EpochReport rep = epochs.get(id.value());
        if (rep != null && rep.clusterAddress() != null) {
            return rep.clusterAddress();
        }
        NodeRecord r = metadata.nodes().get(id);
        return r == null ? "" : r.clusterAddress();
    }

    /** {@code host:port} of every member that is up and reachable. */
    private Set<String> liveAddresses() {
        Set<String> out = new HashSet<>();
        var state = cluster.state();
        Set<Member> unreachable = new HashSet<>();
        state.getUnreachable().forEach(unreachable::add);
        for (Member m : state.getMembers()) {
            MemberStatus s = m.status();
            if ((s.equals(MemberStatus.up()) || s.equals(MemberStatus.weaklyUp())) && !unreachable.contains(m)) {
                out.add(m.address().getHost().orElse("?") + ":" + m.address().getPort().map(String::valueOf).orElse("?"));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ appending

    private void append(MetadataEntry entry, ActorRef<Reply> replyTo) {
        try {
            metadata.apply(entry);
        } catch (ClusterMetadata.IllegalTransitionException e) {
            if (replyTo != null) {
                reply(replyTo, Outcome.REFUSED, e.getMessage());
            } else {
                ctx.getLog().error("topology coordinator: {}", e.getMessage());
            }
            return;
        }
        inFlight = entry;
        if (replyTo != null) {
            waiting.add(replyTo);
        }
        write(entry);
    }

    private void write(MetadataEntry entry) {
        String key = MetadataLog.key(entry.epoch());
        MetadataFence f = fence;
        log.askUpdate(replyTo -> new Replicator.Update<>(MetadataLog.LOG_KEY, LWWMap.create(),
                new Replicator.WriteMajority(writeTimeout), replyTo, map -> {
                    String refusal = f.refusal(map, entry);
                    if (refusal != null) {
                        throw new IllegalStateException(refusal);
                    }
                    return map.put(selfUnique, key, entry, f.clock());
                }), Appended::new);
    }

    private Behavior<Command> onAppended(Appended msg) {
        var rsp = msg.response();
        if (inFlight == null) {
            return Behaviors.same();
        }
        if (rsp instanceof Replicator.UpdateSuccess) {
            // on a majority; it counts only if no newer incarnation has taken a fence meanwhile
            checkFence(false);
            return Behaviors.same();
        }
        if (rsp instanceof Replicator.UpdateTimeout) {
            // The local copy is written and may spread: the same entry is retried, never replaced.
            ctx.getLog().warn("metadata entry {} not yet on a majority within {}; retrying", inFlight.describe(),
                    writeTimeout);
            timers.startSingleTimer(RetryAppend.INSTANCE, RETRY);
            return Behaviors.same();
        }
        if (rsp instanceof Replicator.ModifyFailure<?> failure) {
            ctx.getLog().error("metadata entry {} refused: {}; re-reading the log", inFlight.describe(),
                    failure.errorMessage());
            finishAppend(Outcome.RETRY, "the metadata log moved on; retry");
            inFlight = null;
            // superseded (then this incarnation stops), or only behind: re-read the log
            checkFence(true);
            return Behaviors.same();
        }
        ctx.getLog().error("metadata entry {} could not be stored ({}); retrying", inFlight.describe(), rsp);
        timers.startSingleTimer(RetryAppend.INSTANCE, RETRY);
        return Behaviors.same();
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Every {@code snapshotFrequency} epochs: stores the metadata (only counted epochs: this incarnation's
     * fence was current at its last check) as the log's snapshot and removes the entries it covers, in one
     * update of the log, so no replica ever holds the truncation without the snapshot. A node behind the
     * snapshot installs it ({@link MetadataLog#replay}).
     */
    private void maybeSnapshot() {
        if (snapshotFrequency <= 0 || snapshotting || inFlight != null
                || metadata.epoch() - snapshotEpoch < snapshotFrequency) {
            return;
        }
        MetadataEntry.Snapshot snapshot = MetadataEntry.Snapshot.of(metadata);
        long fenceValue = fence.value();
        // A later snapshot (its register's timestamp) always wins the merge: above the current one, and at
        // least the fence, which beats an older incarnation's snapshots.
        org.apache.pekko.cluster.ddata.LWWRegister.Clock<MetadataEntry> clock =
                (current, value) -> Math.max(current + 1, fenceValue);
        snapshotting = true;
        log.askUpdate(replyTo -> new Replicator.Update<>(MetadataLog.LOG_KEY, LWWMap.create(),
                new Replicator.WriteMajority(writeTimeout), replyTo, map -> {
                    MetadataEntry.Snapshot there = MetadataLog.snapshot(map.getEntries());
                    if (there != null && there.epoch() >= snapshot.epoch()) {
                        return map;
                    }
                    LWWMap<String, MetadataEntry> out = map.put(selfUnique, MetadataLog.SNAPSHOT_KEY, snapshot, clock);
                    for (String k : MetadataLog.truncatedBy(map.getEntries(), snapshot.epoch())) {
                        out = out.remove(selfUnique, k);
                    }
                    return out;
                }), rsp -> new SnapshotStored(snapshot.epoch(), rsp));
    }

    private Behavior<Command> onSnapshotStored(SnapshotStored msg) {
        snapshotting = false;
        if (msg.response() instanceof Replicator.UpdateSuccess) {
            snapshotEpoch = Math.max(snapshotEpoch, msg.epoch());
            ctx.getLog().info("cluster metadata log: snapshot at epoch {} stored on a majority; entries up to it removed",
                    msg.epoch());
        } else {
            // The local copy may already hold it and spread; the next tick writes it again (idempotent).
            ctx.getLog().warn("cluster metadata log: snapshot at epoch {} not yet on a majority ({}); retrying",
                    msg.epoch(), msg.response());
        }
        return Behaviors.same();
    }

    private void finishAppend(Outcome outcome, String message) {
        for (ActorRef<Reply> r : waiting) {
            reply(r, outcome, message);
        }
        waiting.clear();
        inFlight = null;
    }

    private void reply(ActorRef<Reply> to, Outcome outcome, String message) {
        to.tell(new Reply(outcome, message, metadata.epoch()));
    }

}
