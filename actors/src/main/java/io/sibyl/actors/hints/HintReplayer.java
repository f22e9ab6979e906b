package io.sibyl.actors.hints;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.serialization.MutationSerializer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Holds and replays the hints for one target node. Its queue is event-sourced (persistence id
 * {@code hints-<node id>}) on the durable hint journal, so it survives restarts of this node; it
 * delivers the queue in order, one hint at a time, while the target is reachable, at most
 * {@code hinted_handoff_throttle} KiB/s, backing off after failures. Hints older than their ttl
 * (the smallest gc_grace_seconds of their tables) are dropped, never delivered: their tombstones may
 * already be purged on the target, and the write would resurrect data.
 *
 * <p>Acknowledged hints are recorded as {@link HintEvent.HintsDelivered} in batches; a crash before
 * that redelivers a few hints, which is harmless (a mutation applies idempotently). Journal events
 * below the previous snapshot are deleted at each snapshot.
 */
public final class HintReplayer extends EventSourcedBehavior<HintReplayer.Command, HintEvent, HintQueue> {

    /** What a replayer understands. */
    public sealed interface Command {
    }

    /** Store these hints durably, then reply. */
    public record StoreHints(List<HintEvent.HintStored> hints, ActorRef<Done> replyTo) implements Command {
        public StoreHints {
            hints = List.copyOf(hints);
        }
    }

    /** The target's reachability changed (or is being restated). */
    public record TargetReachable(boolean up) implements Command {
    }

    /** The target left the ring (decommissioned or removed): its hints have no one to go to. */
    public enum TargetLeft implements Command { INSTANCE }

    /**
     * Hand every queued hint over through {@code transfer} (to another node, which stores it as a hint for
     * the same target), whatever the target's liveness; reply once the queue is empty, or with the failure
     * once {@link #HANDOFF_MAX_FAILURES} attempts in a row failed. A decommissioning node does this before
     * it leaves (Cassandra's HintsService.transferHints).
     */
    public record HandOff(HintDelivery transfer, ActorRef<HandOffResult> replyTo) implements Command {
    }

    /** How a hand-off ended: the hints handed over, and the failure (null when the queue is empty). */
    public record HandOffResult(NodeId target, long handedOver, String failure) {
    }

    /** Look at the queue again (after a store, or when recovery ends). */
    enum Kick implements Command { INSTANCE }

    /** A throttle or backoff wait ended. */
    enum WaitOver implements Command { INSTANCE }

    /** Periodically drop expired hints at the head of the queue, even while the target is down. */
    enum Purge implements Command { INSTANCE }

    /** Stop (the hints stay in the journal). */
    public enum Stop implements Command { INSTANCE }

    record DeliveryDone(long hintId, Throwable failure) implements Command {
    }

    /** Acknowledged hints recorded per HintsDelivered event at most (bounds redelivery after a crash). */
    static final int ACK_BATCH = 64;
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    /** Failed transfers in a row after which a hand-off gives up (the decommission then fails, as Cassandra's). */
    static final int HANDOFF_MAX_FAILURES = 8;

    private final NodeId target;
    private final HintSettings settings;
    private final HintDelivery delivery;
    /** Where the hints of a target that left the ring go (its ranges' new owners); null: they are dropped. */
    private final HintDelivery rehome;
    /** The target left the ring: the queue is replayed through {@link #rehome}, whatever its liveness. */
    private boolean left;
    private final Function<UUID, TableMetadata> tables;
    private final Clock clock;
    private final Consumer<HintTargetStats> stats;
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;

    /** While handing the queue over to another node: where it goes, who waits, how far it got. */
    private HintDelivery handOff;
    private final java.util.List<ActorRef<HandOffResult>> handOffWaiters = new java.util.ArrayList<>();
    private long handedOver;
    private int handOffFailures;

    // Runtime state (not persisted): where delivery stands.
    private boolean targetUp;
    private boolean inFlight;
    private boolean waiting;
    private long ackedUpTo;
    private int unpersistedAcks;
    private long nextSendAtNanos = System.nanoTime();
    private Duration backoff;
    private long dropped;

    private HintReplayer(NodeId target, HintSettings settings, HintDelivery delivery, HintDelivery rehome,
                         Function<UUID, TableMetadata> tables,
                         Clock clock, Consumer<HintTargetStats> stats, ActorContext<Command> ctx, TimerScheduler<Command> timers) {
        super(persistenceId(target), SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
        this.target = target;
        this.settings = settings;
        this.delivery = delivery;
        this.rehome = rehome;
        this.tables = tables;
        this.clock = clock;
        this.stats = stats;
        this.ctx = ctx;
        this.timers = timers;
        this.backoff = settings.retryMinBackoff();
    }

    public static PersistenceId persistenceId(NodeId target) {
        return PersistenceId.ofUniqueId("hints-" + target.value());
    }

    /**
     * @param reachable whether the target is reachable now (asked at start and after a restart of
     *                  this actor; changes arrive as {@link TargetReachable})
     * @param stats     told the target's queue statistics after every change (on the actor's thread)
     */
    public static Behavior<Command> create(NodeId target, HintSettings settings, HintDelivery delivery,
                                           Function<UUID, TableMetadata> tables, Clock clock,
                                           BooleanSupplier reachable, Consumer<HintTargetStats> stats) {
        return create(target, settings, delivery, null, tables, clock, reachable, stats);
    }

    /**
     * @param rehome where the hints go once the target has left the ring (decommissioned, removed,
     *               replaced): the current owners of each hint's partition; null drops them
     */
    public static Behavior<Command> create(NodeId target, HintSettings settings, HintDelivery delivery,
                                           HintDelivery rehome, Function<UUID, TableMetadata> tables, Clock clock,
                                           BooleanSupplier reachable, Consumer<HintTargetStats> stats) {
        Objects.requireNonNull(delivery, "delivery");
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Purge.INSTANCE, PURGE_INTERVAL);
            HintReplayer r = new HintReplayer(target, settings, delivery, rehome, tables, clock, stats, ctx, timers);
            r.targetUp = reachable.getAsBoolean();
            return r;
        }));
    }

    @Override
    public HintQueue emptyState() {
        return new HintQueue();
    }

    @Override
    public String journalPluginId() {
        return HintSettings.JOURNAL_PLUGIN_ID;
    }

    @Override
    public String snapshotPluginId() {
        return HintSettings.SNAPSHOT_PLUGIN_ID;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 1).withDeleteEventsOnSnapshot();
    }

    @Override
    public SnapshotAdapter<HintQueue> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(HintQueue state) {
                return state.snapshot();
            }

            @Override
            public HintQueue fromJournal(Object from) {
                return HintQueue.of((HintQueueSnapshot) from);
            }
        };
    }

    @Override
    public EventHandler<HintQueue, HintEvent> eventHandler() {
        return (state, event) -> state.apply(event);
    }

    @Override
    public SignalHandler<HintQueue> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    publish(state);
                    ctx.getSelf().tell(Kick.INSTANCE);
                })
                .build();
    }

    @Override
    public CommandHandler<Command, HintEvent, HintQueue> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(StoreHints.class, this::onStore)
                .onCommand(TargetReachable.class, this::onReachable)
                .onCommand(DeliveryDone.class, this::onDeliveryDone)
                .onCommand(WaitOver.class, (q, c) -> {
                    waiting = false;
                    return step(q);
                })
                .onCommand(Kick.class, (q, c) -> step(q))
                .onCommand(Purge.class, (q, c) -> step(q))
                .onCommand(TargetLeft.class, this::onLeft)
                .onCommand(HandOff.class, this::onHandOff)
                .onCommand(Stop.class, (q, c) -> Effect().stop())
                .build();
    }

    private Effect<HintEvent, HintQueue> onStore(HintQueue q, StoreHints c) {
        if (c.hints().isEmpty()) {
            c.replyTo().tell(Done.getInstance());
            return Effect().none();
        }
        return Effect().persist(List.<HintEvent>copyOf(c.hints())).thenRun(state -> {
            publish(state);
            c.replyTo().tell(Done.getInstance());
            ctx.getSelf().tell(Kick.INSTANCE);
        });
    }

    private Effect<HintEvent, HintQueue> onReachable(HintQueue q, TargetReachable c) {
        if (left) {
            return Effect().none();
        }
        boolean cameUp = c.up() && !targetUp;
        targetUp = c.up();
        if (cameUp) {
            // A backoff earned while the target was unreachable says nothing about it now.
            backoff = settings.retryMinBackoff();
            timers.cancel(WaitOver.INSTANCE);
            waiting = false;
        }
        return step(q);
    }

    private Effect<HintEvent, HintQueue> onLeft(HintQueue q, TargetLeft c) {
        long last = q.lastId();
        if (rehome != null) {
            // The writes the left node missed belong to the new owners of its ranges now (Cassandra hands a
            // decommissioned node's hints on): replay them there, in order, with the usual retries.
            if (!left && !q.isEmpty() && ackedUpTo < last) {
                ctx.getLog().info("{} left the ring: replaying its {} hints to the current owners of their partitions",
                        target, q.size());
            }
            if (!left) {
                backoff = settings.retryMinBackoff();
                timers.cancel(WaitOver.INSTANCE);
                waiting = false;
            }
            left = true;
            targetUp = true;
            return step(q);
        }
        targetUp = false;
        if (q.isEmpty() || ackedUpTo >= last) {
            return Effect().none();
        }
        ctx.getLog().info("dropping {} hints for {}: it left the ring", q.size(), target);
        ackedUpTo = last;
        unpersistedAcks = 0;
        return Effect().persist(new HintEvent.HintsDelivered(last)).thenRun(this::publish);
    }

    private Effect<HintEvent, HintQueue> onHandOff(HintQueue q, HandOff c) {
        if (handOff == null) {
            handedOver = 0;
            handOffFailures = 0;
            backoff = settings.retryMinBackoff();
            timers.cancel(WaitOver.INSTANCE);
            waiting = false;
            if (q.firstAfter(ackedUpTo) != null) {
                ctx.getLog().info("handing the {} hints for {} over to another node", q.size(), target);
            }
        }
        handOff = c.transfer();
        handOffWaiters.add(c.replyTo());
        return step(q);
    }

    private void endHandOff(String failure) {
        for (ActorRef<HandOffResult> w : handOffWaiters) {
            w.tell(new HandOffResult(target, handedOver, failure));
        }
        handOffWaiters.clear();
        handOff = null;
    }

    private Effect<HintEvent, HintQueue> onDeliveryDone(HintQueue q, DeliveryDone d) {
        inFlight = false;
        if (d.failure() == null) {
            if (d.hintId() > ackedUpTo) {
                ackedUpTo = d.hintId();
                unpersistedAcks++;
                if (handOff != null) {
                    handedOver++;
                }
            }
            handOffFailures = 0;
            backoff = settings.retryMinBackoff();
        } else if (handOff != null && ++handOffFailures >= HANDOFF_MAX_FAILURES) {
            ctx.getLog().error("handing the hints for {} over failed {} times in a row; giving up: {}", target,
                    handOffFailures, d.failure().toString());
            endHandOff(String.valueOf(d.failure()));
            pause(backoff);
        } else {
            ctx.getLog().info("hint {} to {} not delivered ({}); retrying in {}", d.hintId(), target,
                    d.failure().toString(), backoff);
            if (targetUp || handOff != null) {
                pause(backoff);
            }
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(settings.retryMaxBackoff()) > 0 ? settings.retryMaxBackoff() : doubled;
        }
        return step(q);
    }

    /**
     * The delivery loop: skip hints that must not be delivered, send the next one when allowed,
     * and record acknowledged hints once a batch is full or nothing is on its way.
     */
    private Effect<HintEvent, HintQueue> step(HintQueue q) {
        long now = clock.millis();
        while (true) {
            PendingHint next = q.firstAfter(ackedUpTo);
            if (next == null) {
                break;
            }
            if (next.isExpired(now)) {
                skip(next, "older than its gc_grace_seconds (" + next.ttlSeconds() + "s)");
                continue;
            }
            if (!(targetUp || handOff != null) || inFlight || waiting) {
                break;
            }
            long delayNanos = nextSendAtNanos - System.nanoTime();
            if (delayNanos > 0) {
                pause(Duration.ofNanos(delayNanos));
                break;
            }
            Mutation m = decode(next);
            if (m != null) {
                send(next, m);
            }
        }
        boolean handedAll = handOff != null && !inFlight && q.firstAfter(ackedUpTo) == null;
        if (unpersistedAcks >= ACK_BATCH || (unpersistedAcks > 0 && !inFlight)) {
            unpersistedAcks = 0;
            // A handed-over hint counts as gone only once its acknowledgement is durable here.
            return Effect().persist(new HintEvent.HintsDelivered(ackedUpTo)).thenRun(state -> {
                publish(state);
                if (handedAll) {
                    endHandOff(null);
                }
            });
        }
        if (handedAll) {
            endHandOff(null);
        }
        return Effect().none();
    }

    private void skip(PendingHint h, String why) {
        ackedUpTo = h.id();
        unpersistedAcks++;
        dropped++;
        ctx.getLog().debug("dropping hint {} for {}: {} ({} dropped so far)", h.id(), target, why, dropped);
    }

    /** The hint's mutation; null (after skipping it) when none of its tables exists any more or it is corrupt. */
    private Mutation decode(PendingHint h) {
        try {
            Mutation m = MutationSerializer.deserialize(h.mutation(), tables, id -> { });
            if (m == null) {
                skip(h, "its tables were dropped");
            }
            return m;
        } catch (RuntimeException e) {
            ctx.getLog().error("dropping undecodable hint {} for {}", h.id(), target, e);
            skip(h, "undecodable");
            return null;
        }
    }

    private void send(PendingHint h, Mutation m) {
        inFlight = true;
        long rate = settings.throttleBytesPerSecond();
        if (rate > 0) {
            long now = System.nanoTime();
            long cost = h.mutation().length * 1_000_000_000L / rate;
            nextSendAtNanos = Math.max(now, nextSendAtNanos) + cost;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            CompletionStage<Void> stage = (handOff != null ? handOff : left ? rehome : delivery).deliver(target, m);
            stage.whenComplete((v, e) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        done.orTimeout(settings.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        long id = h.id();
        ctx.pipeToSelf(done, (v, e) -> new DeliveryDone(id, e));
    }

    private void pause(Duration d) {
        waiting = true;
        timers.startSingleTimer(WaitOver.INSTANCE, d);
    }

    private void publish(HintQueue q) {
        stats.accept(HintTargetStats.of(target, q));
    }
}
