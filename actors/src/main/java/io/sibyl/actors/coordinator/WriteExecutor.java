package io.sibyl.actors.coordinator;

import io.sibyl.actors.batchlog.Batch;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.messaging.PeerLimiter;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.storage.data.Mutation;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The write path (Cassandra's {@code StorageProxy.mutate} and {@code commitPaxos}), as a few named
 * steps that every kind of write goes through:
 * <ol>
 *   <li>{@link #planAndReserve}: each mutation's {@link WritePlan} — natural plus pending replicas,
 *       UNAVAILABLE when too few are alive — and an in-flight slot on each live remote replica
 *       (OVERLOADED when saturated peers leave too few). Nothing is sent unless every plan of the
 *       request succeeded; on failure the slots taken are given back;</li>
 *   <li>{@link #applyLocally}: writes whose one replica is this node skip the messaging entirely;</li>
 *   <li>{@link #sendToReplicas}: the mutation (or Paxos commit) to every live replica, remote ones
 *       first, counted by a {@link WriteResponseHandler} against the plan's {@code blockFor};</li>
 *   <li>{@link #hint}: down replicas at once, replicas that fail or stay silent past
 *       {@code write_request_timeout} before the client hears of the timeout.</li>
 * </ol>
 * A logged batch ({@link #writeAtomically}) stores the whole batch in the batchlog of other nodes
 * between steps 1 and 2, and removes it after the last.
 */
final class WriteExecutor {

    private static final Logger log = LoggerFactory.getLogger(WriteExecutor.class);

    private final ActorSystem<?> system;
    private final RingViewHolder ring;
    private final SchemaStore schema;
    private final LocalReplica local;
    private final HintSink hints;
    private final CoordinatorSettings settings;
    private final ReplicaRequests requests;
    private final PeerLimiter limiter;
    private final LocalWriteTimeouts localTimeouts;
    private final NodeId self;
    private final BatchlogWrites batchlog;
    /** TEST ONLY (fault injection): run once a logged batch is in the batchlog, before its mutations are sent. */
    private volatile Runnable afterBatchlogWrite;

    WriteExecutor(ActorSystem<?> system, RingViewHolder ring, SchemaStore schema, LocalReplica local, HintSink hints,
                  CoordinatorSettings settings, ReplicaRequests requests) {
        this.system = system;
        this.ring = ring;
        this.schema = schema;
        this.local = local;
        this.hints = hints;
        this.settings = settings;
        this.requests = requests;
        this.limiter = requests.client().limiter();
        this.localTimeouts = new LocalWriteTimeouts(system);
        this.self = ring.current().selfId();
        this.batchlog = new BatchlogWrites(requests, settings.writeRequestTimeout());
    }

    /** TEST ONLY: see {@link DistributedCoordinator#afterBatchlogWrite}. */
    void afterBatchlogWrite(Runnable hook) {
        this.afterBatchlogWrite = hook;
    }

    /** How a write's plans are checked before anything is sent. */
    private enum Checks {
        /** A client's write: too large or too few live replicas refuse it (nothing written). */
        REQUEST,
        /**
         * The commit of an accepted Paxos proposal: the value is chosen already, so neither its size nor
         * the live replicas may refuse it now; a shortfall is the response handler's WRITE_TIMEOUT.
         */
        PAXOS_COMMIT
    }

    // ------------------------------------------------------------------ entry points

    /** {@link Coordinator#write}: every mutation planned before any is sent; completes when each met {@code cl}. */
    CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        RingView view = ring.current();
        List<WritePlan> plans;
        try {
            cl.validateForWrite();
            plans = planAndReserve(view, mutations, cl, Checks.REQUEST);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return performAll(plans, cl, writeType, view.self().dc());
    }

    /**
     * A logged batch over several partitions (Cassandra's {@code StorageProxy.mutateAtomically}): the
     * batchlog nodes are chosen (UNAVAILABLE when there are none) and every mutation is planned
     * (UNAVAILABLE, OVERLOADED) before anything is sent; then the whole batch is stored on the batchlog
     * nodes (WRITE_TIMEOUT of write type BATCH_LOG when they do not all ack, nothing applied), then the
     * mutations are written as {@link #write} does (a timeout is WRITE_TIMEOUT of write type BATCH: the
     * batchlog will apply them), and once they met {@code cl} the entries are removed, fire and forget.
     * Whatever happens to this coordinator after the batchlog write, the holders replay the batch.
     */
    CompletionStage<Void> writeAtomically(List<Mutation> mutations, ConsistencyLevel cl) {
        RingView view = ring.current();
        Batch batch;
        List<NodeInfo> holders;
        List<WritePlan> plans;
        try {
            cl.validateForWrite();
            batch = Batch.of(mutations);
            local.batchlog().checkSize(batch);
            holders = BatchlogEndpoints.choose(view, cl == ConsistencyLevel.ANY);
            if (holders.isEmpty()) {
                // Other nodes exist in the data center but none is alive: one would do.
                throw new UnavailableException(ConsistencyLevel.ONE, 1, 0);
            }
            plans = planAndReserve(view, mutations, cl, Checks.REQUEST);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String localDc = view.self().dc();
        return batchlog.store(batch, holders).handle((v, e) -> {
            if (e != null) {
                release(plans);
                throw e instanceof java.util.concurrent.CompletionException c ? c : new java.util.concurrent.CompletionException(e);
            }
            return null;
        }).thenCompose(v -> {
            Runnable hook = afterBatchlogWrite;
            if (hook != null) {
                hook.run();
            }
            return performAll(plans, cl, WriteType.BATCH, localDc);
        }).thenRun(() -> batchlog.remove(batch, holders));
    }

    /** Gives back the in-flight slots {@link #planAndReserve} took for plans that will not be sent. */
    private void release(List<WritePlan> plans) {
        for (WritePlan p : plans) {
            for (NodeInfo r : p.live()) {
                if (!requests.isSelf(r)) {
                    limiter.release(r.id());
                }
            }
        }
    }

    /**
     * {@link Coordinator#writeEach}: each mutation planned and written on its own, except that those
     * whose one replica is this node are applied together: one commit-log group, one durability wait, one
     * timeout watch (a bulk request of 64 rows took 64 of each). A mutation that cannot be written (too
     * large, UNAVAILABLE, OVERLOADED) fails alone, before anything of it is sent.
     */
    List<CompletableFuture<Void>> writeEach(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
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
        String localDc = view.self().dc();
        List<WritePlan> localOnly = new ArrayList<>();
        List<Integer> localIndexes = new ArrayList<>();
        for (Mutation m : mutations) {
            WritePlan plan;
            try {
                plan = planAndReserve(view, List.of(m), cl, Checks.REQUEST).get(0);
            } catch (RuntimeException e) {
                out.add(CompletableFuture.failedFuture(e));
                continue;
            }
            if (plan.isLocalOnly(self) && localApplySuffices(plan, cl, localDc)) {
                localIndexes.add(out.size());
                localOnly.add(plan);
                out.add(null); // filled in below
            } else {
                out.add(perform(plan, cl, writeType, localDc));
            }
        }
        if (!localOnly.isEmpty()) {
            CompletableFuture<Void> group = applyLocally(localOnly, cl, writeType, localDc, settings.writeRequestTimeout());
            for (int i : localIndexes) {
                out.set(i, group);
            }
        }
        return out;
    }

    /**
     * The Paxos commit phase (Cassandra's {@code commitPaxos}): every live natural and pending replica
     * gets the commit, down ones (and those that fail or time out) a hint of its update; completes when
     * {@code cl} is met with the pending replicas counted, else WRITE_TIMEOUT of write type SIMPLE, as
     * Cassandra reports a late commit.
     */
    CompletableFuture<Void> commitPaxos(Proposal commit, ConsistencyLevel cl) {
        RingView view = ring.current();
        WritePlan plan;
        try {
            plan = planAndReserve(view, List.of(Mutation.of(commit.update())), cl, Checks.PAXOS_COMMIT).get(0);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendToReplicas(plan, cl, WriteType.SIMPLE, view.self().dc(), commit);
    }

    // ------------------------------------------------------------------ step 1: plan and reserve

    /**
     * Plans every mutation (all are checked before any slot is taken: a refusal means nothing of the
     * request was sent), then reserves in-flight slots for each plan. Either every plan is returned with
     * its slots held, or the slots taken so far are released and the refusal is thrown.
     *
     * @throws UnavailableException  too few live replicas for {@code cl} (REQUEST checks only)
     * @throws OverloadedException   saturated peers leave too few replicas for {@code cl}
     * @throws RuntimeException      a mutation too large (REQUEST checks only), an unknown keyspace
     */
    private List<WritePlan> planAndReserve(RingView view, List<Mutation> mutations, ConsistencyLevel cl, Checks checks) {
        String localDc = view.self().dc();
        Schema s = schema.current();
        List<WritePlan> planned = new ArrayList<>(mutations.size());
        for (Mutation m : mutations) {
            if (checks == Checks.REQUEST) {
                local.engine().checkMutationSize(m);
            }
            ReplicationStrategy strategy = strategy(s, m.keyspace());
            long token = m.key().token();
            WritePlan plan = WritePlan.of(m, strategy, view.ring().replicasFor(strategy, token),
                    view.pendingReplicas(strategy, token), view::isAlive, cl, localDc);
            planned.add(checks == Checks.REQUEST ? plan.assureSufficientLiveReplicas(cl, localDc) : plan);
        }
        List<NodeId> taken = new ArrayList<>();
        List<WritePlan> reserved = new ArrayList<>(planned.size());
        try {
            for (WritePlan p : planned) {
                reserved.add(reserve(p, localDc, cl, taken));
            }
        } catch (RuntimeException e) {
            for (NodeId id : taken) {
                limiter.release(id);
            }
            throw e;
        }
        return reserved;
    }

    /**
     * Takes an in-flight slot on each live remote replica. A replica without a free slot (it has
     * {@code max_in_flight_per_peer} requests outstanding: stalled or overwhelmed) is skipped and
     * hinted like a down one, as long as the others can still meet the level; otherwise the write is
     * refused with OverloadedException before anything is sent.
     */
    private WritePlan reserve(WritePlan p, String localDc, ConsistencyLevel cl, List<NodeId> taken) {
        List<NodeInfo> sendable = new ArrayList<>(p.live().size());
        List<NodeInfo> skipped = new ArrayList<>();
        NodeId saturated = null;
        for (NodeInfo r : p.live()) {
            if (requests.isSelf(r)) {
                sendable.add(r);
            } else if (limiter.tryAcquire(r.id())) {
                taken.add(r.id());
                sendable.add(r);
            } else {
                saturated = saturated == null ? r.id() : saturated;
                skipped.add(r);
            }
        }
        if (saturated == null) {
            return p;
        }
        WritePlan reduced = p.sendingTo(sendable, skipped);
        try {
            reduced.assureSufficientLiveReplicas(cl, localDc);
        } catch (UnavailableException e) {
            throw new OverloadedException(saturated, limiter.maxPerPeer());
        }
        return reduced;
    }

    // ------------------------------------------------------------------ step 2: this node alone

    /**
     * Every plan of one request (a batch's partitions): those whose one replica is this node are applied as
     * one group (one commit-log element, one durability wait, one deadline: a 100-row batch took 100 of each),
     * the others sent each on its own; completes when all met {@code cl}. The request has one outcome, so the
     * group's shared outcome changes nothing a client can see, except that an engine refusal (a table
     * dropped meanwhile) now leaves the group's partitions unwritten rather than some of them.
     */
    private CompletableFuture<Void> performAll(List<WritePlan> plans, ConsistencyLevel cl, WriteType writeType,
                                               String localDc) {
        if (plans.size() == 1) {
            return perform(plans.get(0), cl, writeType, localDc);
        }
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<WritePlan> localOnly = new ArrayList<>(plans.size());
        for (WritePlan p : plans) {
            if (p.isLocalOnly(self)) {
                localOnly.add(p);
            } else {
                all.add(sendToReplicas(p, cl, writeType, localDc, null));
            }
        }
        if (!localOnly.isEmpty()) {
            all.add(applyLocally(localOnly, cl, writeType, localDc, settings.writeRequestTimeout()));
        }
        return all.size() == 1 ? all.get(0).thenApply(v -> null)
                : CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** A plain write: applied locally when this node alone is its replica, else sent. */
    private CompletableFuture<Void> perform(WritePlan plan, ConsistencyLevel cl, WriteType writeType, String localDc) {
        if (plan.isLocalOnly(self)) {
            return applyLocally(List.of(plan), cl, writeType, localDc, settings.writeRequestTimeout());
        }
        return sendToReplicas(plan, cl, writeType, localDc, null);
    }

    /**
     * Writes whose one replica is this node (RF 1, or one replica per DC with a single DC): what the
     * response handler, the per-write timer and the reply hops would decide comes down to "the local
     * apply succeeded, failed or took too long", so it is decided directly. Several such writes (a bulk
     * request's rows) are applied as one group: one engine call (one commit-log group), one deadline, one
     * outcome for all. The level was checked against the live replicas already; a failure or no answer in
     * time is WRITE_TIMEOUT with 0 acks, as the handler reports it.
     */
    private CompletableFuture<Void> applyLocally(List<WritePlan> plans, ConsistencyLevel cl, WriteType writeType,
                                                 String localDc, Duration timeout) {
        List<Mutation> mutations = new ArrayList<>(plans.size());
        int maxBlockFor = 0;
        boolean allSufficient = true;
        for (WritePlan p : plans) {
            mutations.add(p.mutation());
            maxBlockFor = Math.max(maxBlockFor, p.blockFor());
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
        return cl.countsForWrite(plan.live().get(0), localDc) && plan.blockFor() <= 1;
    }

    // ------------------------------------------------------------------ step 3: send and count acks

    /** @param commit the Paxos commit to send instead of a plain mutation of {@code plan}'s mutation, or null */
    private CompletableFuture<Void> sendToReplicas(WritePlan plan, ConsistencyLevel cl, WriteType writeType,
                                                   String localDc, Proposal commit) {
        Mutation m = plan.mutation();
        Duration timeout = settings.writeRequestTimeout();
        WriteResponseHandler handler = new WriteResponseHandler(cl, plan, localDc, writeType);
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

    // ------------------------------------------------------------------ step 4: hints

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

    static ReplicationStrategy strategy(Schema s, String keyspace) {
        ReplicationStrategy strategy = s.strategy(keyspace);
        if (strategy == null) {
            throw new IllegalStateException("keyspace " + keyspace + " does not exist");
        }
        return strategy;
    }
}
