package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.paxos.Ballot;
import io.sibyl.actors.paxos.BallotGenerator;
import io.sibyl.actors.paxos.PrepareResponse;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lightweight transactions with Paxos v1, as Cassandra's {@code StorageProxy.cas}. One attempt:
 * <ol>
 *   <li>participants: the partition's natural and pending replicas (only the local data center's for
 *       LOCAL_SERIAL); a quorum of them must be alive, else UNAVAILABLE before anything is sent (also
 *       with more than one pending replica, as Cassandra);</li>
 *   <li>prepare a fresh ballot on every live participant and wait for a quorum of promises. A
 *       refusal means a later ballot is in play: back off and retry above it. A promise that carries
 *       an accepted proposal newer than the most recent commit means a transaction was left half
 *       done: re-propose it under our ballot, commit it, and start over. Participants that miss the
 *       most recent commit are sent it;</li>
 *   <li>read the partition at QUORUM (LOCAL_QUORUM for LOCAL_SERIAL) and let the decision choose
 *       the update; no update: "not applied", nothing written;</li>
 *   <li>propose the update under the ballot; once a quorum accepted, commit it at the commit level
 *       ({@link WriteExecutor#commitPaxos}: every live natural and pending replica gets it, down ones a
 *       hint; the pending ones raise the acks needed). If every participant refused, back off and
 *       retry; if some accepted but not a quorum, the outcome is unknown: WRITE_TIMEOUT (CAS).</li>
 * </ol>
 * Retries stop at {@code cas_contention_timeout} with WRITE_TIMEOUT (CAS). Every step is a future
 * chain: no thread waits, no lock is held on the coordinator.
 */
final class PaxosCoordinator {

    private static final Logger log = LoggerFactory.getLogger(PaxosCoordinator.class);

    private final ActorSystem<?> system;
    private final RingViewHolder ring;
    private final SchemaStore schema;
    private final ReplicaRequests rq;
    private final CoordinatorSettings settings;
    private final Coordinator coordinator;
    private final WriteExecutor writes;
    private final BallotGenerator ballots;

    /** @param coordinator reads the partition inside a round; {@code writes} commits the chosen value */
    PaxosCoordinator(ActorSystem<?> system, RingViewHolder ring, SchemaStore schema, ReplicaRequests rq,
                     CoordinatorSettings settings, Coordinator coordinator, WriteExecutor writes) {
        this.system = system;
        this.ring = ring;
        this.schema = schema;
        this.rq = rq;
        this.settings = settings;
        this.coordinator = coordinator;
        this.writes = writes;
        this.ballots = new BallotGenerator(ring.current().self().id().toString());
    }

    /** The replicas taking part in a round, and how many must answer. */
    private record Participants(ReplicationStrategy strategy, List<NodeInfo> live, int required) {
    }

    /** The state of one cas call across its attempts. */
    private static final class Attempt {
        final SinglePartitionReadCommand read;
        final CasDecision decide;
        final ConsistencyLevel serialCl;
        final ConsistencyLevel commitCl;
        final long deadline;
        long minMicros = Long.MIN_VALUE;
        int contentions;
        int required;

        Attempt(SinglePartitionReadCommand read, CasDecision decide, ConsistencyLevel serialCl,
                ConsistencyLevel commitCl, long deadline) {
            this.read = read;
            this.decide = decide;
            this.serialCl = serialCl;
            this.commitCl = commitCl;
            this.deadline = deadline;
        }

        boolean expired() {
            return System.nanoTime() - deadline > 0;
        }

        WriteTimeoutException contended() {
            return new WriteTimeoutException(serialCl, 0, required, WriteType.CAS);
        }
    }

    /** @throws IllegalArgumentException unless serialCl is SERIAL or LOCAL_SERIAL and commitCl is not serial */
    static void checkLevels(ConsistencyLevel serialCl, ConsistencyLevel commitCl) {
        if (!serialCl.isSerial()) {
            throw new IllegalArgumentException("Invalid consistency for conditional update: " + serialCl
                    + "; the serial consistency must be SERIAL or LOCAL_SERIAL");
        }
        if (commitCl.isSerial()) {
            throw new IllegalArgumentException("Invalid consistency for the commit of a conditional update: " + commitCl);
        }
    }

    CompletionStage<CasResult> cas(SinglePartitionReadCommand read, CasDecision decide, ConsistencyLevel serialCl,
                                   ConsistencyLevel commitCl) {
        Attempt a;
        try {
            checkLevels(serialCl, commitCl);
            a = new Attempt(read, decide, serialCl, commitCl, System.nanoTime() + settings.casContentionTimeout().toNanos());
            participants(a); // UNAVAILABLE before anything is sent
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return attempt(a);
    }

    private CompletableFuture<CasResult> attempt(Attempt a) {
        if (a.expired()) {
            return CompletableFuture.failedFuture(a.contended());
        }
        Participants p;
        try {
            p = participants(a);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return beginAndRepair(a, p).thenCompose(ballot -> coordinator.read(a.read, quorumFor(a.serialCl))
                .toCompletableFuture().thenCompose(current -> {
                    PartitionUpdate update = a.decide.decide(current);
                    if (update == null) {
                        return CompletableFuture.completedFuture(new CasResult(false, current));
                    }
                    if (!update.key().equals(a.read.key()) || !update.tableId().equals(a.read.metadata().id())) {
                        throw new IllegalArgumentException("a conditional update must write the partition it read");
                    }
                    Proposal proposal = Proposal.of(ballot, update);
                    return propose(a, p, proposal).thenCompose(outcome -> switch (outcome) {
                        case ACCEPTED -> writes.commitPaxos(proposal, a.commitCl)
                                .thenApply(v -> new CasResult(true, current));
                        case REFUSED -> backoff(a).thenCompose(x -> attempt(a));
                    });
                }));
    }

    /**
     * Prepares a fresh ballot until a quorum promises it with nothing left in progress, completing
     * half-done transactions on the way; completes with the ballot.
     */
    private CompletableFuture<Ballot> beginAndRepair(Attempt a, Participants p) {
        if (a.expired()) {
            return CompletableFuture.failedFuture(a.contended());
        }
        Ballot ballot = ballots.next(a.minMicros);
        Duration timeout = settings.writeRequestTimeout();
        SinglePartitionReadCommand read = a.read;
        return PaxosRound.run(rq, p.live(), n -> rq.paxosPrepare(n, read.metadata(), read.key(), ballot, timeout),
                answers -> {
                    int promised = 0;
                    for (PaxosRound.Answer ans : answers) {
                        if (ans.reply() instanceof ReplicaActor.PaxosPromise pr) {
                            if (!pr.response().promised()) {
                                return true; // one refusal is enough to know we lost
                            }
                            promised++;
                        }
                    }
                    return promised >= p.required();
                }).thenCompose(answers -> {
                    List<NodeInfo> from = new ArrayList<>();
                    List<PrepareResponse> promises = new ArrayList<>();
                    Ballot refusedBy = null;
                    for (PaxosRound.Answer ans : answers) {
                        if (ans.reply() instanceof ReplicaActor.PaxosPromise pr) {
                            if (pr.response().promised()) {
                                from.add(ans.from());
                                promises.add(pr.response());
                            } else {
                                refusedBy = Ballot.max(refusedBy, pr.response().ballot());
                            }
                        }
                    }
                    if (refusedBy != null) {
                        // A later ballot is in play: retry above it after a pause.
                        a.minMicros = Math.max(a.minMicros, refusedBy.micros() + 1);
                        return backoff(a).thenCompose(x -> beginAndRepair(a, p));
                    }
                    if (promises.size() < p.required()) {
                        throw new WriteTimeoutException(a.serialCl, promises.size(), p.required(), WriteType.CAS);
                    }
                    return afterPromises(a, p, ballot, from, promises);
                });
    }

    private CompletableFuture<Ballot> afterPromises(Attempt a, Participants p, Ballot ballot, List<NodeInfo> from,
                                                    List<PrepareResponse> promises) {
        Proposal mostRecentCommit = null;
        Proposal inProgress = null;
        for (PrepareResponse r : promises) {
            if (r.mostRecentCommit() != null && r.mostRecentCommit().isAfter(mostRecentCommit)) {
                mostRecentCommit = r.mostRecentCommit();
            }
            if (r.accepted() != null && r.accepted().isAfter(inProgress)) {
                inProgress = r.accepted();
            }
        }
        if (inProgress != null && inProgress.isAfter(mostRecentCommit) && !inProgress.update().isEmpty()) {
            // A transaction was accepted somewhere but maybe not committed: finish it under our ballot
            // (it may have been chosen, and only one value may ever be chosen), then start over.
            Proposal refreshed = Proposal.of(ballot, inProgress.update());
            log.debug("completing an in-progress paxos proposal {} with {}", inProgress.ballot(), ballot);
            return propose(a, p, refreshed).exceptionally(e -> Outcome.REFUSED).thenCompose(outcome -> {
                if (outcome == Outcome.ACCEPTED) {
                    return writes.commitPaxos(refreshed, quorumFor(a.serialCl))
                            .thenCompose(v -> beginAndRepair(a, p));
                }
                return backoff(a).thenCompose(x -> beginAndRepair(a, p));
            });
        }
        List<NodeInfo> missing = new ArrayList<>();
        if (mostRecentCommit != null) {
            for (int i = 0; i < promises.size(); i++) {
                Proposal theirs = promises.get(i).mostRecentCommit();
                if (theirs == null || mostRecentCommit.isAfter(theirs)) {
                    missing.add(from.get(i));
                }
            }
        }
        if (missing.isEmpty()) {
            return CompletableFuture.completedFuture(ballot);
        }
        // Replicas of our quorum that missed the latest commit get it before we read, so the read
        // (at a quorum) cannot miss it. A commit does not touch promises: our ballot still holds.
        Proposal commit = mostRecentCommit;
        Duration timeout = settings.writeRequestTimeout();
        return PaxosRound.run(rq, missing, n -> rq.paxosCommit(n, commit, timeout, false), answers -> false)
                .thenCompose(answers -> {
                    for (PaxosRound.Answer ans : answers) {
                        if (!(ans.reply() instanceof ReplicaActor.MutateAck)) {
                            return backoff(a).thenCompose(x -> beginAndRepair(a, p));
                        }
                    }
                    return CompletableFuture.completedFuture(ballot);
                });
    }

    private enum Outcome { ACCEPTED, REFUSED }

    /**
     * Proposes to every live participant. ACCEPTED once a quorum accepted; REFUSED when every one
     * answered and none accepted (the proposal can never be chosen: safe to retry); otherwise — some
     * accepted, or some did not answer — the proposal may yet be chosen by a later round, so the
     * outcome is unknown: WRITE_TIMEOUT (CAS), as Cassandra answers.
     */
    private CompletableFuture<Outcome> propose(Attempt a, Participants p, Proposal proposal) {
        Duration timeout = settings.writeRequestTimeout();
        return PaxosRound.run(rq, p.live(), n -> rq.paxosPropose(n, proposal, timeout),
                answers -> accepts(answers) >= p.required()).thenApply(answers -> {
                    int accepts = accepts(answers);
                    if (accepts >= p.required()) {
                        return Outcome.ACCEPTED;
                    }
                    boolean allRefused = true;
                    for (PaxosRound.Answer ans : answers) {
                        if (!(ans.reply() instanceof ReplicaActor.PaxosAccepted)) {
                            allRefused = false;
                        }
                    }
                    if (accepts == 0 && allRefused && answers.size() == p.live().size()) {
                        return Outcome.REFUSED;
                    }
                    throw new WriteTimeoutException(a.serialCl, accepts, p.required(), WriteType.CAS);
                });
    }

    private static int accepts(List<PaxosRound.Answer> answers) {
        int n = 0;
        for (PaxosRound.Answer ans : answers) {
            if (ans.reply() instanceof ReplicaActor.PaxosAccepted acc && acc.accepted()) {
                n++;
            }
        }
        return n;
    }

    /** Cassandra's contention pause: a random sleep of up to 100 ms, here without holding a thread. */
    private CompletableFuture<Void> backoff(Attempt a) {
        a.contentions++;
        if (a.expired()) {
            return CompletableFuture.failedFuture(a.contended());
        }
        long millis = ThreadLocalRandom.current().nextLong(Math.min(100, 10L << Math.min(a.contentions, 4)));
        CompletableFuture<Void> f = new CompletableFuture<>();
        system.scheduler().scheduleOnce(Duration.ofMillis(millis), () -> f.complete(null), system.executionContext());
        return f;
    }

    private Participants participants(Attempt a) {
        RingView view = ring.current();
        String localDc = view.self().dc();
        ReplicationStrategy strategy = schema.current().strategy(a.read.metadata().keyspace());
        if (strategy == null) {
            throw new IllegalStateException("keyspace " + a.read.metadata().keyspace() + " does not exist");
        }
        long token = a.read.key().token();
        List<NodeInfo> all = new ArrayList<>();
        Set<NodeId> seen = new HashSet<>();
        for (NodeInfo r : view.ring().replicasFor(strategy, token)) {
            if ((a.serialCl != ConsistencyLevel.LOCAL_SERIAL || r.isIn(localDc)) && seen.add(r.id())) {
                all.add(r);
            }
        }
        // As Cassandra (CASSANDRA-8346): pending replicas take part too, so a quorum of the round
        // overlaps a quorum of the replica set both before and after the topology change.
        int pending = 0;
        for (NodeInfo r : view.pendingReplicas(strategy, token)) {
            if ((a.serialCl != ConsistencyLevel.LOCAL_SERIAL || r.isIn(localDc)) && seen.add(r.id())) {
                all.add(r);
                pending++;
            }
        }
        int required = all.size() / 2 + 1;
        a.required = required;
        List<NodeInfo> live = new ArrayList<>();
        for (NodeInfo r : all) {
            if (view.isAlive(r.id())) {
                live.add(r);
            }
        }
        if (live.size() < required) {
            throw new UnavailableException(a.serialCl, required, live.size());
        }
        if (pending > 1) {
            // Cassandra refuses this too: with two pending replicas, quorums of the old and the new
            // replica sets need not overlap.
            throw new UnavailableException(a.serialCl, all.size() + 1, live.size());
        }
        return new Participants(strategy, live, required);
    }

    /** The level Cassandra reads (and completes in-progress proposals) at within a Paxos round. */
    static ConsistencyLevel quorumFor(ConsistencyLevel serialCl) {
        return serialCl == ConsistencyLevel.LOCAL_SERIAL ? ConsistencyLevel.LOCAL_QUORUM : ConsistencyLevel.QUORUM;
    }
}
