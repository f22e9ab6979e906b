package io.sibyl.actors.hints;

import io.sibyl.actors.cluster.NodeState;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.persistence.SegmentedFileJournal;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.serialization.MutationSerializer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's hint store: the coordinator's {@link HintSink}. Routes each hint to its target's
 * {@link HintReplayer} (spawned on demand, and at start for every target with hints on disk),
 * refuses hints when hinted handoff is off or the target has been down longer than
 * {@code max_hint_window}, and tells the replayers when their targets come and go.
 *
 * <p>Hints for one target are group-committed: while one batch is being persisted, new hints queue
 * here and go to the journal together in the next batch (one fsync for all of them), so a burst of
 * writes to a dead node costs the coordinator a few fsyncs rather than one each.
 *
 * <p>Thread-safe. Feed it ring views with {@code ringViewHolder.addListener(service::onRingView)}.
 */
public final class HintService implements HintSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HintService.class);
    static final String PERSISTENCE_ID_PREFIX = "hints-";
    /** Most hints (and bytes) one journal write takes. */
    static final int MAX_BATCH = 256;
    static final long MAX_BATCH_BYTES = 1 << 20;

    private final ActorSystem<?> system;
    private final HintSettings settings;
    private final HintDelivery delivery;
    private final HintDelivery rehome;
    private final Supplier<RingView> ring;
    private final Function<UUID, TableMetadata> tables;
    private final Clock clock;
    private final Map<NodeId, Target> targets = new ConcurrentHashMap<>();
    private final Map<NodeId, HintTargetStats> stats = new ConcurrentHashMap<>();
    private final Map<NodeId, Long> downSinceMillis = new ConcurrentHashMap<>();

    private record Pending(HintEvent.HintStored hint, CompletableFuture<Boolean> result) {
    }

    /** One target's replayer and the hints waiting for the next journal write. */
    private final class Target {
        final NodeId id;
        final ActorRef<HintReplayer.Command> replayer;
        final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean writing = new AtomicBoolean();

        Target(NodeId id, ActorRef<HintReplayer.Command> replayer) {
            this.id = id;
            this.replayer = replayer;
        }

        void offer(Pending p) {
            queue.add(p);
            drain();
        }

        /** Starts a journal write of the queued hints unless one is running; its end starts the next. */
        void drain() {
            if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
                return;
            }
            List<Pending> batch = new ArrayList<>();
            long bytes = 0;
            Pending p;
            while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES && (p = queue.poll()) != null) {
                batch.add(p);
                bytes += p.hint().mutation().length;
            }
            if (batch.isEmpty()) {
                writing.set(false);
                drain();
                return;
            }
            List<HintEvent.HintStored> hints = batch.stream().map(Pending::hint).toList();
            AskPattern.<HintReplayer.Command, org.apache.pekko.Done>ask(replayer,
                            replyTo -> new HintReplayer.StoreHints(hints, replyTo),
                            settings.deliveryTimeout(), system.scheduler())
                    .whenComplete((done, failure) -> {
                        for (Pending b : batch) {
                            if (failure == null) {
                                b.result().complete(true);
                            } else {
                                b.result().completeExceptionally(failure);
                            }
                        }
                        writing.set(false);
                        // Hints queued while this batch was written (their offer saw `writing`).
                        drain();
                    });
        }
    }

    private HintService(ActorSystem<?> system, HintSettings settings, HintDelivery delivery, HintDelivery rehome,
                        Supplier<RingView> ring, Function<UUID, TableMetadata> tables, Clock clock) {
        this.system = system;
        this.settings = settings;
        this.delivery = delivery;
        this.rehome = rehome;
        this.ring = ring;
        this.tables = tables;
        this.clock = clock;
    }

    /**
     * Starts the service and a replayer for every target that has hints on disk. The ActorSystem must
     * have been created with {@link HintSettings#toPekkoConfig()} layered over its config.
     *
     * @param delivery how hints reach their targets (the replica messaging)
     * @param ring     the current ring view (also give the service every new one: {@link #onRingView})
     * @param tables   the current schema's tables by id (to decode hints and to find dropped tables)
     */
    public static HintService start(ActorSystem<?> system, HintSettings settings, HintDelivery delivery,
                                    Supplier<RingView> ring, Function<UUID, TableMetadata> tables, Clock clock) {
        return start(system, settings, delivery, null, ring, tables, clock);
    }

    /**
     * As above, and {@code rehome} takes the hints of a target that left the ring (decommission,
     * removenode, replace): it writes each to the current owners of its partition (the node wires the
     * coordinator's write path), so that a write the left node missed reaches the nodes that took its
     * ranges over. Null: such hints are dropped.
     */
    public static HintService start(ActorSystem<?> system, HintSettings settings, HintDelivery delivery,
                                    HintDelivery rehome, Supplier<RingView> ring, Function<UUID, TableMetadata> tables,
                                    Clock clock) {
        HintService service = new HintService(system, settings, delivery, rehome, ring, tables, clock);
        for (String id : SegmentedFileJournal.persistenceIds(settings.journalDirectory())) {
            if (id.startsWith(PERSISTENCE_ID_PREFIX) && id.length() > PERSISTENCE_ID_PREFIX.length()) {
                service.target(NodeId.of(id.substring(PERSISTENCE_ID_PREFIX.length())));
            }
        }
        return service;
    }

    @Override
    public CompletionStage<Boolean> store(NodeId target, Mutation mutation) {
        if (!settings.enabled()) {
            return CompletableFuture.completedFuture(false);
        }
        long now = clock.millis();
        RingView view = ring.get();
        if (hasLeft(view, target)) {
            return CompletableFuture.completedFuture(false);
        }
        if (!view.isAlive(target)) {
            long since = downSinceMillis.computeIfAbsent(target, k -> now);
            if (now - since > settings.maxHintWindow().toMillis()) {
                return CompletableFuture.completedFuture(false);
            }
        }
        int ttl = Integer.MAX_VALUE;
        List<UUID> tableIds = new ArrayList<>();
        for (PartitionUpdate u : mutation.updates()) {
            ttl = Math.min(ttl, u.metadata().params().gcGraceSeconds());
            tableIds.add(u.tableId());
        }
        if (ttl <= 0) {
            // gc_grace_seconds = 0: the hint would be expired before it could be delivered.
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            byte[] bytes = MutationSerializer.serialize(mutation);
            target(target).offer(new Pending(new HintEvent.HintStored(now, ttl, tableIds, bytes), result));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Tracks how long each node has been down and tells the replayers who is reachable. */
    public void onRingView(RingView view) {
        long now = clock.millis();
        for (Map.Entry<NodeId, NodeState> e : view.states().entrySet()) {
            if (e.getValue().isUp()) {
                downSinceMillis.remove(e.getKey());
            } else {
                downSinceMillis.putIfAbsent(e.getKey(), now);
            }
        }
        for (Target t : targets.values()) {
            t.replayer.tell(hasLeft(view, t.id) ? HintReplayer.TargetLeft.INSTANCE
                    : new HintReplayer.TargetReachable(view.isAlive(t.id)));
        }
    }

    /** Known to have left the ring; a node the view does not know yet (e.g. right after a restart) has not. */
    private static boolean hasLeft(RingView view, NodeId target) {
        return view.record(target).map(r -> r.status() == NodeStatus.LEFT).orElse(false);
    }

    /**
     * Hands every hint this node holds over through {@code transfer} (which sends each to a live remaining
     * node that stores it as a hint for the same target: Cassandra's HintsService.transferHints), target by
     * target in parallel; completes with how many hints went, or fails naming the targets whose hints could
     * not be handed over. A decommissioning node calls it before it leaves, so that the writes its down peers
     * missed are still replayed to them when they come back. Hints of LEFT targets go their usual way (rehome).
     */
    public CompletionStage<Long> handOff(HintDelivery transfer, java.time.Duration timeout) {
        List<CompletableFuture<HintReplayer.HandOffResult>> results = new ArrayList<>();
        for (Target t : targets.values()) {
            results.add(AskPattern.<HintReplayer.Command, HintReplayer.HandOffResult>ask(t.replayer,
                    replyTo -> new HintReplayer.HandOff(transfer, replyTo), timeout, system.scheduler())
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(results.toArray(new CompletableFuture[0])).thenApply(v -> {
            long total = 0;
            List<String> failed = new ArrayList<>();
            for (CompletableFuture<HintReplayer.HandOffResult> r : results) {
                HintReplayer.HandOffResult res = r.join();
                total += res.handedOver();
                if (res.failure() != null) {
                    failed.add(res.target() + " (" + res.failure() + ")");
                }
            }
            if (!failed.isEmpty()) {
                throw new IllegalStateException("could not hand over the hints for " + failed);
            }
            LOG.info("handed {} hints over to another node", total);
            return total;
        });
    }

    /** Per target with pending hints: how many, their bytes, the oldest; ordered by node id. */
    public List<HintTargetStats> stats() {
        return stats.values().stream()
                .filter(s -> s.pending() > 0)
                .sorted(Comparator.comparing(HintTargetStats::target))
                .toList();
    }

    public HintSettings settings() {
        return settings;
    }

    private Target target(NodeId id) {
        return targets.computeIfAbsent(id, this::spawn);
    }

    private Target spawn(NodeId id) {
        String name = "hint-replayer-" + URLEncoder.encode(id.value(), StandardCharsets.UTF_8).replace('%', '~');
        ActorRef<HintReplayer.Command> ref = system.systemActorOf(
                HintReplayer.create(id, settings, delivery, rehome, tables, clock, () -> ring.get().isAlive(id),
                        s -> stats.put(s.target(), s)),
                name, io.sibyl.actors.mailbox.MeasuredMailbox.props("HintReplayer"));
        LOG.debug("started the hint replayer for {}", id);
        return new Target(id, ref);
    }

    /** Stops the replayers (hints stay on disk); hints offered afterwards fail. */
    @Override
    public void close() {
        for (Target t : targets.values()) {
            t.replayer.tell(HintReplayer.Stop.INSTANCE);
        }
    }
}
