package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import java.time.Duration;
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

    public static Behavior<Command> create(ClusterSettings settings, NodeRecord self, RingViewHolder holder) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                DistributedData.<Command, LWWMap<String, NodeRecord>>withReplicatorMessageAdapter(replicator ->
                        new RingKeeper(ctx, timers, replicator, settings, self, holder).start())));
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, NodeRecord>> replicator;
    private final ClusterSettings settings;
    private final NodeRecord self;
    private final RingViewHolder holder;
    private final Cluster cluster;
    private final SelfUniqueAddress selfUnique;

    private final Map<UniqueAddress, Membership.Member> members = new HashMap<>();
    private Map<String, NodeRecord> records = Map.of();
    private RingView view;

    private RingKeeper(ActorContext<Command> ctx, TimerScheduler<Command> timers,
                       ReplicatorMessageAdapter<Command, LWWMap<String, NodeRecord>> replicator,
                       ClusterSettings settings, NodeRecord self, RingViewHolder holder) {
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
        join();
        publishSelf();
        return Behaviors.receive(Command.class)
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
        replicator.askUpdate(
                replyTo -> new Replicator.Update<>(RING_KEY, LWWMap.create(),
                        new Replicator.WriteMajority(settings.ringWriteTimeout()), replyTo,
                        map -> map.put(selfUnique, self.key(), self)),
                Published::new);
    }

    private Behavior<Command> onPublished(Published msg) {
        var rsp = msg.response();
        if (rsp instanceof Replicator.UpdateSuccess) {
            ctx.getLog().debug("ring record of {} written to a majority", self.id());
        } else if (rsp instanceof Replicator.UpdateTimeout) {
            // The local (durable) write happened; gossip carries it to the others.
            ctx.getLog().info("ring record of {} written locally; no majority answered within {}",
                    self.id(), settings.ringWriteTimeout());
        } else {
            ctx.getLog().error("could not store the ring record of {} ({}); retrying in {}",
                    self.id(), rsp, RETRY_PUBLISH_AFTER);
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
                ctx.getLog().info("this node ({}) has left the cluster", self.id());
            } else if (isSelf) {
                ctx.getLog().warn("this node ({}) was removed from the cluster and no longer serves", self.id());
            }
        } else {
            Membership.Member old = members.get(m.uniqueAddress());
            boolean reachable = old == null || old.reachable();
            members.put(m.uniqueAddress(), member(m, reachable));
            if (isSelf && event instanceof ClusterEvent.MemberUp) {
                // Now there are peers to write to: push our record to a majority.
                publishSelf();
            }
            if (isSelf && event instanceof ClusterEvent.MemberDowned) {
                ctx.getLog().error("this node ({}) was downed by the cluster; its cluster layer shuts down (HTTP and storage stay up)",
                        self.id());
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
        RingView next = RingViewBuilder.next(view, self.info(), records,
                new Membership(List.copyOf(members.values())), w -> ctx.getLog().error(w));
        if (next == view) {
            return;
        }
        logStateChanges(view, next);
        view = next;
        holder.publish(next);
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
