package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.messaging.ReplicaClient;
import io.sibyl.actors.messaging.SchemaLookup;
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
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

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
 * <p>A facade in the manner of Cassandra's {@code StorageProxy}: each kind of request is carried out
 * by its own class — writes and the Paxos commit by {@link WriteExecutor} (natural plus pending
 * replicas, UNAVAILABLE before anything is sent, WRITE_TIMEOUT after {@code write_request_timeout},
 * hints for replicas that miss the write; logged batches through the batchlog), lightweight transactions by {@link PaxosCoordinator},
 * reads by {@link ReadExecutor}, scans by {@link RangeScan}. Truncation is here.
 */
public final class DistributedCoordinator implements Coordinator {

    private final ActorSystem<?> system;
    private final RingViewHolder ring;
    private final SchemaStore schema;
    private final LocalReplica local;
    private final CoordinatorSettings settings;
    private final ReplicaClient client;
    private final ReplicaRequests requests;
    private final WriteExecutor writes;
    private final PaxosCoordinator paxos;
    private final ReadLatencies readLatencies = new ReadLatencies();
    private final ReadExecutor.Timer readTimer;

    public DistributedCoordinator(ActorSystem<?> system, RingViewHolder ring, SchemaStore schema, LocalReplica local,
                                  HintSink hints, CoordinatorSettings settings) {
        this.system = system;
        this.ring = ring;
        this.schema = schema;
        this.local = local;
        this.settings = settings;
        // Incoming requests and replies name tables by id: decode them with this node's schema.
        SchemaLookup.get(system).use(schema);
        this.client = new ReplicaClient(system, ring, ReplicaActors.poolSize(system.settings().config()),
                settings.maxInFlightPerPeer());
        NodeInfo self = ring.current().self();
        this.requests = new ReplicaRequests(client, local, self.id(), new ReplicaProximity(self.id(), self.dc()));
        this.writes = new WriteExecutor(system, ring, schema, local, hints, settings, requests);
        this.paxos = new PaxosCoordinator(system, ring, schema, requests, settings, this, writes);
        this.readTimer = (delay, task) -> system.scheduler().scheduleOnce(delay, task, system.executionContext());
    }

    /** Told of every speculative retry of a read (the node's metrics count them per table). */
    public void onSpeculativeRetry(java.util.function.Consumer<TableMetadata> listener) {
        readLatencies.listener(listener == null ? null : listener::accept);
    }

    /**
     * What the node's metrics see of each request coordinated here: its kind ({@code read}, {@code scan},
     * {@code write}, {@code cas}), consistency level, duration and outcome (null: success).
     */
    public interface RequestListener {
        void completed(String kind, ConsistencyLevel cl, long nanos, Throwable failure);
    }

    /** Told of each read repair: the read's level, the table, and how many replicas got repairs. */
    public interface ReadRepairListener {
        void repaired(ConsistencyLevel cl, TableMetadata table, int replicas);
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DistributedCoordinator.class);
    private volatile RequestListener requestListener;

    /** Told of every read, scan, write and CAS coordinated here when it completes (null: nobody). */
    public void onRequest(RequestListener listener) {
        this.requestListener = listener;
    }

    /** Told of every blocking read repair (consistency level, table, replicas repaired). */
    public void onReadRepair(ReadRepairListener listener) {
        requests.onReadRepair(listener);
    }

    private <T> CompletionStage<T> observed(String kind, ConsistencyLevel cl, CompletionStage<T> stage) {
        RequestListener l = requestListener;
        if (l == null) {
            return stage;
        }
        long start = System.nanoTime();
        return stage.whenComplete((v, e) -> {
            try {
                l.completed(kind, cl, System.nanoTime() - start, e);
            } catch (RuntimeException ex) {
                log.warn("request listener failed", ex);
            }
        });
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

    // ------------------------------------------------------------------ writes: see WriteExecutor

    /** A logged batch (write type BATCH) over more than one partition goes through the batchlog. */
    @Override
    public CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        if (writeType == WriteType.BATCH && mutations.size() > 1) {
            return observed("write", cl, writes.writeAtomically(mutations, cl));
        }
        return observed("write", cl, writes.write(mutations, cl, writeType));
    }

    /**
     * Batchlog replay: writes a left-over batch's mutations to every replica at ANY (down or silent
     * replicas get hints; the mutations keep their timestamps), not through the batchlog again.
     */
    public CompletionStage<Void> replayBatch(List<Mutation> mutations) {
        return writes.write(mutations, ConsistencyLevel.ANY, WriteType.BATCH);
    }

    /**
     * TEST ONLY (fault injection): {@code hook} runs on every logged batch coordinated here right after
     * its batchlog write was acked and before any of its mutations is sent (null: none). The multi-JVM
     * tests halt the JVM there, as a coordinator killed at that moment.
     */
    public void afterBatchlogWrite(Runnable hook) {
        writes.afterBatchlogWrite(hook);
    }

    @Override
    public List<CompletableFuture<Void>> writeEach(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        return writes.writeEach(mutations, cl, writeType);
    }

    // ------------------------------------------------------------------ lightweight transactions

    /** Paxos: see {@link PaxosCoordinator}; its commit goes through {@link WriteExecutor#commitPaxos}. */
    @Override
    public CompletionStage<CasResult> cas(SinglePartitionReadCommand read, CasDecision decide, ConsistencyLevel serialCl,
                                          ConsistencyLevel commitCl) {
        return observed("cas", serialCl, paxos.cas(read, decide, serialCl, commitCl));
    }

    // ------------------------------------------------------------------ reads

    @Override
    public CompletionStage<ReadResult> read(SinglePartitionReadCommand command, ConsistencyLevel cl) {
        return observed("read", cl, readUnobserved(command, cl));
    }

    private CompletionStage<ReadResult> readUnobserved(SinglePartitionReadCommand command, ConsistencyLevel cl) {
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
        return observed("scan", cl, scanUnobserved(command, cl));
    }

    private CompletionStage<ReadResult> scanUnobserved(PartitionRangeReadCommand command, ConsistencyLevel cl) {
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
        return WriteExecutor.strategy(s, keyspace);
    }
}
