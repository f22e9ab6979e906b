package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.messaging.ReplicaClient;
import io.sibyl.actors.messaging.SchemaLookup;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActors;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicaProximity;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.messaging.ReplicaFailureException;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The coordinator of a node in a cluster, with Cassandra's semantics for every consistency level.
 * Stateless between requests and lock-free on the request path: each request reads the current
 * {@link RingView} and schema once, and its progress lives in futures and small per-request
 * handlers, so no actor mailbox or lock serializes the node's requests.
 *
 * <p>Writes ({@link #write}): replicas from the keyspace's strategy on the ring; UNAVAILABLE before
 * anything is sent when too few are alive; the mutation goes to every live replica (this node's own
 * replica directly) and the write completes when the level is met, else WRITE_TIMEOUT after
 * {@code write_request_timeout}. Down replicas, and replicas that have not acked by the timeout, get
 * a hint. Reads: see {@link ReadExecutor}; scans: see {@link RangeScan}.
 */
public final class DistributedCoordinator implements Coordinator {

    private static final Logger log = LoggerFactory.getLogger(DistributedCoordinator.class);

    private final ActorSystem<?> system;
    private final RingViewHolder ring;
    private final SchemaStore schema;
    private final HintSink hints;
    private final LocalReplica local;
    private final CoordinatorSettings settings;
    private final ReplicaClient client;
    private final ReplicaRequests requests;
    private final PaxosCoordinator paxos;
    private final LocalWriteTimeouts localTimeouts;
    private final ReadLatencies readLatencies = new ReadLatencies();
    private final ReadExecutor.Timer readTimer;

    public DistributedCoordinator(ActorSystem<?> system, RingViewHolder ring, SchemaStore schema, LocalReplica local,
                                  HintSink hints, CoordinatorSettings settings) {
        this.system = system;
        this.ring = ring;
        this.schema = schema;
        this.hints = hints;
        this.local = local;
        this.settings = settings;
        // Incoming requests and replies name tables by id: decode them with this node's schema.
        SchemaLookup.get(system).use(schema);
        this.client = new ReplicaClient(system, ring, ReplicaActors.poolSize(system.settings().config()),
                settings.maxInFlightPerPeer());
        NodeInfo self = ring.current().self();
        this.requests = new ReplicaRequests(client, local, self.id(), new ReplicaProximity(self.id(), self.dc()));
        this.paxos = new PaxosCoordinator(system, ring, schema, requests, settings, this);
        this.localTimeouts = new LocalWriteTimeouts(system);
        this.readTimer = (delay, task) -> system.scheduler().scheduleOnce(delay, task, system.executionContext());
    }

    /** Told of every speculative retry of a read (the node's metrics count them per table). */
    public void onSpeculativeRetry(java.util.function.Consumer<TableMetadata> listener) {
        readLatencies.listener(listener == null ? null : listener::accept);
    }

    /** Speculative retries of reads of the table coordinated here since the node started. */
    public long speculativeRetries(java.util.UUID tableId) {
        return readLatencies.speculativeRetries(tableId);
    }

    /** Sends to other nodes' replicas; hinted handoff replays through it. */
    public ReplicaClient replicaClient() {
        return client;
    }

    /** Delivers a mutation to one replica (hint replay): see {@link ReplicaClient#sendMutation}. */
    public CompletionStage<Void> sendMutation(NodeId target, Mutation m, Duration timeout) {
        return client.sendMutation(target, m, timeout);
    }

    public CoordinatorSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ writes

    /** One mutation's replicas: those it is sent to, and those that get a hint instead. */
    private record WritePlan(Mutation mutation, ReplicationStrategy strategy, List<NodeInfo> live, List<NodeInfo> down) {
    }

    /** The mutation's replicas, split into alive and down (this node always counts as alive: RingView#isAlive). */
    private static WritePlan planFor(RingView view, Mutation m, ReplicationStrategy strategy) {
        List<NodeInfo> live = new ArrayList<>();
        List<NodeInfo> down = new ArrayList<>();
        for (NodeInfo r : view.ring().replicasFor(strategy, m.key().token())) {
            (view.isAlive(r.id()) ? live : down).add(r);
        }
        return new WritePlan(m, strategy, live, down);
    }

    @Override
    public CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        RingView view = ring.current();
        NodeInfo self = view.self();
        List<WritePlan> plans = new ArrayList<>(mutations.size());
        List<NodeId> taken = new ArrayList<>();
        try {
            cl.validateForWrite();
            Schema s = schema.current();
            List<WritePlan> checked = new ArrayList<>(mutations.size());
            // Check every mutation before sending any: UNAVAILABLE means nothing was written.
            for (Mutation m : mutations) {
                local.engine().checkMutationSize(m);
                WritePlan p = planFor(view, m, strategy(s, m.keyspace()));
                cl.assureSufficientLiveNodesForWrite(p.strategy(), self.dc(), p.live());
                checked.add(p);
            }
            for (WritePlan p : checked) {
                plans.add(reserve(p, self.dc(), cl, taken));
            }
        } catch (RuntimeException e) {
            for (NodeId id : taken) {
                client.limiter().release(id);
            }
            return CompletableFuture.failedFuture(e);
        }
        if (plans.size() == 1) {
            return perform(plans.get(0), cl, writeType, self.dc(), null);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[plans.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = perform(plans.get(i), cl, writeType, self.dc(), null);
        }
        return CompletableFuture.allOf(all);
    }

    /**
     * Each mutation checked, planned and written on its own, except that those whose one replica is this
     * node are applied together: one commit-log group, one durability wait, one timeout watch (a bulk
     * request of 64 rows took 64 of each). A mutation that cannot be written (too large, UNAVAILABLE,
     * OVERLOADED) fails alone, before anything of it is sent.
     */
    @Override
    public List<CompletableFuture<Void>> writeEach(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        List<CompletableFuture<Void>> out = new ArrayList<>(mutations.size());
        try {
            cl.validateForWrite();
        } catch (RuntimeException e) {
            for (int i = 0; i < mutations.size(); i++) {
                out.add(CompletableFuture.failedFuture(e));
            }
            return out;
        }
        RingView view = ring.current();
        NodeInfo self = view.self();
        Schema s = schema.current();
        Duration timeout = settings.writeRequestTimeout();
        List<WritePlan> localOnly = new ArrayList<>();
        List<Integer> localIndexes = new ArrayList<>();
        for (Mutation m : mutations) {
            List<NodeId> taken = new ArrayList<>(0);
            WritePlan plan;
            try {
                local.engine().checkMutationSize(m);
                WritePlan p = planFor(view, m, strategy(s, m.keyspace()));
                cl.assureSufficientLiveNodesForWrite(p.strategy(), self.dc(), p.live());
                plan = reserve(p, self.dc(), cl, taken);
            } catch (RuntimeException e) {
                for (NodeId id : taken) {
                    client.limiter().release(id);
                }
                out.add(CompletableFuture.failedFuture(e));
                continue;
            }
            if (isLocalOnly(plan) && localApplySuffices(plan, cl, self.dc())) {
                localIndexes.add(out.size());
                localOnly.add(plan);
                out.add(null); // filled in below
            } else {
                out.add(perform(plan, cl, writeType, self.dc(), null));
            }
        }
        if (!localOnly.isEmpty()) {
            CompletableFuture<Void> group = performLocal(localOnly, cl, writeType, self.dc(), timeout);
            for (int i : localIndexes) {
                out.set(i, group);
            }
        }
        return out;
    }

    private boolean isLocalOnly(WritePlan plan) {
        return plan.down().isEmpty() && plan.live().size() == 1 && requests.isSelf(plan.live().get(0));
    }

    /**
     * Takes an in-flight slot on each live remote replica. A replica without a free slot (it has
     * {@code max_in_flight_per_peer} requests outstanding: stalled or overwhelmed) is skipped and
     * hinted like a down one, as long as the others can still meet the level; otherwise the write is
     * refused with OverloadedException before anything is sent.
     */
    private WritePlan reserve(WritePlan p, String localDc, ConsistencyLevel cl, List<NodeId> taken) {
        List<NodeInfo> sendable = new ArrayList<>(p.live().size());
        List<NodeInfo> skipped = new ArrayList<>(p.down());
        NodeId saturated = null;
        for (NodeInfo r : p.live()) {
            if (requests.isSelf(r)) {
                sendable.add(r);
            } else if (client.limiter().tryAcquire(r.id())) {
                taken.add(r.id());
                sendable.add(r);
            } else {
                saturated = saturated == null ? r.id() : saturated;
                skipped.add(r);
            }
        }
        if (saturated != null) {
            try {
                cl.assureSufficientLiveNodesForWrite(p.strategy(), localDc, sendable);
            } catch (UnavailableException e) {
                throw new OverloadedException(saturated, client.limiter().maxPerPeer());
            }
        }
        return new WritePlan(p.mutation(), p.strategy(), sendable, skipped);
    }

    /**
     * Writes whose one replica is this node (RF 1, or one replica per DC with a single DC): what the
     * response handler, the per-write timer and the reply hops would decide comes down to "the local
     * apply succeeded, failed or took too long", so it is decided directly. Several such writes (a bulk
     * request's rows) are applied as one group: one engine call (one commit-log group), one deadline, one
     * outcome for all. The level was checked against the live replicas already; a failure or no answer in
     * time is WRITE_TIMEOUT with 0 acks, as the handler reports it.
     */
    private CompletableFuture<Void> performLocal(List<WritePlan> plans, ConsistencyLevel cl, WriteType writeType,
                                                 String localDc, Duration timeout) {
        List<Mutation> mutations = new ArrayList<>(plans.size());
        int maxBlockFor = 0;
        boolean allSufficient = true;
        for (WritePlan p : plans) {
            mutations.add(p.mutation());
            maxBlockFor = Math.max(maxBlockFor, cl.blockForWrite(p.strategy(), localDc, List.of()));
            allSufficient &= localApplySuffices(p, cl, localDc);
        }
        int blockFor = maxBlockFor;
        boolean sufficient = allSufficient;
        CompletableFuture<Void> result = new CompletableFuture<>();
        CompletionStage<Void> applied;
        try {
            applied = local.applyAll(mutations);
        } catch (RuntimeException e) {
            log.debug("local replica failed a write: {}", e.toString());
            return CompletableFuture.failedFuture(new WriteTimeoutException(cl, 0, blockFor, writeType));
        }
        applied.whenComplete((v, e) -> {
            if (e == null && sufficient) {
                result.complete(null);
            } else {
                if (e != null) {
                    log.debug("local replica failed a write: {}", e.toString());
                }
                result.completeExceptionally(new WriteTimeoutException(cl, 0, blockFor, writeType));
            }
        });
        if (!result.isDone()) {
            localTimeouts.watch(result, timeout, cl, blockFor, writeType);
        }
        return result;
    }

    /** Whether this node's apply alone meets {@code cl} for a local-only plan. */
    private static boolean localApplySuffices(WritePlan plan, ConsistencyLevel cl, String localDc) {
        return cl.countsForWrite(plan.live().get(0), localDc) && cl.blockForWrite(plan.strategy(), localDc, List.of()) <= 1;
    }

    /** @param commit the Paxos commit to send instead of a plain mutation of {@code plan}'s mutation, or null */
    private CompletableFuture<Void> perform(WritePlan plan, ConsistencyLevel cl, WriteType writeType, String localDc,
                                            Proposal commit) {
        Mutation m = plan.mutation();
        Duration timeout = settings.writeRequestTimeout();
        if (commit == null && isLocalOnly(plan)) {
            return performLocal(List.of(plan), cl, writeType, localDc, timeout);
        }
        WriteResponseHandler handler = new WriteResponseHandler(cl, plan.strategy(), localDc, writeType, plan.live());
        for (NodeInfo target : plan.down()) {
            hint(handler, target, m);
        }
        // Remote sends first: the local apply runs its memtable insert on this thread.
        List<NodeInfo> ordered = new ArrayList<>(plan.live().size());
        for (NodeInfo n : plan.live()) {
            if (!requests.isSelf(n)) {
                ordered.add(n);
            }
        }
        for (NodeInfo n : plan.live()) {
            if (requests.isSelf(n)) {
                ordered.add(n);
            }
        }
        for (NodeInfo target : ordered) {
            CompletableFuture<ReplicaActor.Reply> sent = commit == null ? requests.mutate(target, m, timeout, true)
                    : requests.paxosCommit(target, commit, timeout, true);
            sent.whenComplete((reply, e) -> {
                if (reply instanceof ReplicaActor.MutateAck) {
                    handler.onAck(target);
                } else {
                    if (reply instanceof ReplicaActor.ReplicaFailure f) {
                        log.debug("replica {} failed a write: {} {}", target.id(), f.reason(), f.message());
                    }
                    // It did not take the write (refused, or no answer in time): hint it now, before
                    // the handler may report the failure.
                    if (!requests.isSelf(target) && handler.takeHint(target.id())) {
                        hint(handler, target, m);
                    }
                    handler.onFailure(target);
                }
            });
        }
        handler.checkHopeless();
        Cancellable timer = system.scheduler().scheduleOnce(timeout, () -> {
            // As Cassandra: every live replica that has not acked by the timeout gets a hint, even
            // when the level was met, so it converges without waiting for repair. Hints are handed
            // over before the client hears of the timeout. (Replicas that failed were hinted already.)
            for (NodeInfo target : plan.live()) {
                if (!requests.isSelf(target) && handler.takeHint(target.id())) {
                    hint(handler, target, m);
                }
            }
            handler.onTimeout();
        }, system.executionContext());
        handler.result().whenComplete((v, e) -> {
            if (handler.allAcked()) {
                timer.cancel();
            }
        });
        return handler.result();
    }

    private void hint(WriteResponseHandler handler, NodeInfo target, Mutation m) {
        if (!settings.hintedHandoffEnabled()) {
            return;
        }
        handler.hintPending();
        CompletionStage<Boolean> stored;
        try {
            stored = hints.store(target.id(), m);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("could not store a hint for {}: {}", target.id(), e.toString());
            }
            handler.onHint(e == null && Boolean.TRUE.equals(ok));
        });
    }

    // ------------------------------------------------------------------ lightweight transactions

    /** Paxos: see {@link PaxosCoordinator}. */
    @Override
    public CompletionStage<CasResult> cas(SinglePartitionReadCommand read, CasDecision decide, ConsistencyLevel serialCl,
                                          ConsistencyLevel commitCl) {
        return paxos.cas(read, decide, serialCl, commitCl);
    }

    /**
     * The Paxos commit phase (Cassandra's {@code commitPaxos}): every live replica gets the commit,
     * down ones (and those that fail or time out) a hint of its update; completes when {@code cl} is
     * met, else WRITE_TIMEOUT of write type SIMPLE, as Cassandra reports a late commit.
     */
    CompletableFuture<Void> commitPaxos(Proposal commit, ConsistencyLevel cl) {
        RingView view = ring.current();
        NodeInfo self = view.self();
        Mutation m = Mutation.of(commit.update());
        List<NodeId> taken = new ArrayList<>();
        WritePlan plan;
        try {
            plan = reserve(planFor(view, m, strategy(schema.current(), m.keyspace())), self.dc(), cl, taken);
        } catch (RuntimeException e) {
            for (NodeId id : taken) {
                client.limiter().release(id);
            }
            return CompletableFuture.failedFuture(e);
        }
        return perform(plan, cl, WriteType.SIMPLE, self.dc(), commit);
    }

    // ------------------------------------------------------------------ reads

    @Override
    public CompletionStage<ReadResult> read(SinglePartitionReadCommand command, ConsistencyLevel cl) {
        RingView view = ring.current();
        String localDc = view.self().dc();
        ReplicaChoice choice;
        try {
            ReplicationStrategy strategy = strategy(schema.current(), command.metadata().keyspace());
            List<NodeInfo> live = new ArrayList<>();
            for (NodeInfo r : view.ring().replicasFor(strategy, command.key().token())) {
                if (view.isAlive(r.id())) {
                    live.add(r);
                }
            }
            cl.assureSufficientLiveNodesForRead(strategy, localDc, live);
            choice = ReplicaChoice.choose(requests, strategy, localDc, cl, live);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ReadExecutor.read(requests, settings, command, cl, choice, readLatencies, readTimer);
    }

    @Override
    public CompletionStage<ReadResult> scan(PartitionRangeReadCommand command, ConsistencyLevel cl) {
        RingView view = ring.current();
        List<RangeScan.Group> groups;
        try {
            ReplicationStrategy strategy = strategy(schema.current(), command.metadata().keyspace());
            groups = RangeScan.plan(view, strategy, view.self().dc(), command.range(), cl, requests.proximity(),
                    n -> requests.isSelf(n) || client.limiter().hasCapacity(n.id()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return RangeScan.execute(requests, settings, command, cl, groups);
    }

    // ------------------------------------------------------------------ truncate

    /**
     * Sends Truncate to every other node of the ring and truncates the local engine; completes when
     * every node acked. As Cassandra: every node must be alive (else UNAVAILABLE before anything is
     * sent), and a node that does not ack within {@code truncate_request_timeout} fails the request
     * with WRITE_TIMEOUT (write type TRUNCATE); the nodes that did ack stay truncated.
     */
    @Override
    public CompletionStage<Void> truncate(TableMetadata table) {
        RingView view = ring.current();
        List<NodeInfo> all = new ArrayList<>(view.ring().nodes());
        if (all.stream().noneMatch(requests::isSelf)) {
            all.add(view.self());
        }
        int alive = 0;
        for (NodeInfo n : all) {
            if (view.isAlive(n.id())) {
                alive++;
            }
        }
        if (alive < all.size()) {
            return CompletableFuture.failedFuture(new UnavailableException(ConsistencyLevel.ALL, all.size(), alive));
        }
        int blockFor = all.size();
        Duration timeout = settings.truncateRequestTimeout();
        AtomicInteger acks = new AtomicInteger();
        CompletableFuture<Void> result = new CompletableFuture<>();
        for (NodeInfo n : all) {
            CompletionStage<ReplicaActor.Reply> reply;
            if (requests.isSelf(n)) {
                // Off the caller's thread: truncation waits for in-flight memtable writes.
                reply = CompletableFuture.supplyAsync(() -> {
                    local.truncate(table.id());
                    return (ReplicaActor.Reply) ReplicaActor.TruncateAck.INSTANCE;
                }, system.dispatchers().lookup(DispatcherSelector.blocking()));
            } else {
                reply = client.send(n, 0, r -> new ReplicaActor.Truncate(table.id(), r), timeout);
            }
            reply.whenComplete((r, e) -> {
                if (r instanceof ReplicaActor.TruncateAck) {
                    if (acks.incrementAndGet() == blockFor) {
                        result.complete(null);
                    }
                } else if (r instanceof ReplicaActor.ReplicaFailure f) {
                    result.completeExceptionally(new ReplicaFailureException(n.id(), f));
                } else {
                    Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    result.completeExceptionally(c instanceof TimeoutException || c == null
                            ? new WriteTimeoutException(ConsistencyLevel.ALL, acks.get(), blockFor, WriteType.TRUNCATE)
                            : c);
                }
            });
        }
        return result;
    }

    private static ReplicationStrategy strategy(Schema s, String keyspace) {
        ReplicationStrategy strategy = s.strategy(keyspace);
        if (strategy == null) {
            throw new IllegalStateException("keyspace " + keyspace + " does not exist");
        }
        return strategy;
    }
}
