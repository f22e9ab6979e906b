package io.sibyl.actors.schema;

import io.sibyl.actors.cluster.NodeHealth;
import io.sibyl.actors.cluster.NodeHealthBoard;
import io.sibyl.actors.cluster.NodeHealthKeeper;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The schema of a cluster node: DDL on any node reaches every node, survives restarts and reaches
 * nodes that join later (Pekko Distributed Data, durable; see {@link SchemaKeeper} and
 * docs/adr/005-schema-distribution.md). Reads are local and lock-free ({@link #current()});
 * the node's {@code schema.json} stays the local durable copy the storage engine starts from.
 *
 * <p>{@link #updateAndAwait} answers once every live node reports the new schema version, or
 * with a warning after the agreement timeout (the change stands either way and keeps spreading).
 */
public final class DistributedSchemaStore implements SchemaStore {

    private static final long POLL_MILLIS = 25;

    private final LocalSchemaStore local;
    private final ActorRef<SchemaKeeper.Command> keeper;
    private final RingViewHolder ring;
    private final NodeHealthBoard health;
    private final Duration agreementTimeout;

    DistributedSchemaStore(LocalSchemaStore local, ActorRef<SchemaKeeper.Command> keeper, RingViewHolder ring,
                                   NodeHealthBoard health, Duration agreementTimeout) {
        this.local = local;
        this.keeper = keeper;
        this.ring = ring;
        this.health = health;
        this.agreementTimeout = agreementTimeout;
    }

    /**
     * Starts the schema keeper on {@code system} (a cluster node's ActorSystem).
     *
     * @param local            this node's schema.json copy (already loaded: the storage engine uses it)
     * @param ring             the live nodes, whose agreement a change waits for
     * @param health           the schema versions the nodes report
     * @param healthKeeper     where this node reports its own schema version
     * @param agreementTimeout how long a change waits for the majority write and then for agreement
     */
    public static DistributedSchemaStore start(ActorSystem<?> system, LocalSchemaStore local, RingViewHolder ring,
                                               NodeHealthBoard health, ActorRef<NodeHealthKeeper.Command> healthKeeper,
                                               Duration agreementTimeout) {
        ActorRef<SchemaKeeper.Command> keeper = system.systemActorOf(
                SchemaKeeper.create(local, healthKeeper, agreementTimeout), "sibyl-schema-keeper",
                io.sibyl.actors.mailbox.MeasuredMailbox.props("SchemaKeeper"));
        return new DistributedSchemaStore(local, keeper, ring, health, agreementTimeout);
    }

    @Override
    public Schema current() {
        return local.current();
    }

    @Override
    public CompletionStage<Schema> update(UnaryOperator<Schema> change) {
        return updateAndAwait(change).thenApply(SchemaUpdate::schema);
    }

    @Override
    public CompletionStage<SchemaUpdate> updateAndAwait(UnaryOperator<Schema> change) {
        long deadline = System.nanoTime() + agreementTimeout.toNanos();
        CompletableFuture<Schema> applied = new CompletableFuture<>();
        keeper.tell(new SchemaKeeper.Change(change, applied));
        return applied.thenCompose(schema -> {
            CompletableFuture<SchemaUpdate> done = new CompletableFuture<>();
            awaitAgreement(schema, deadline, done);
            return done;
        });
    }

    @Override
    public void addListener(Consumer<Schema> listener) {
        local.addListener(listener);
    }

    /** The live nodes whose reported schema version differs from this node's (empty: agreement). */
    public List<NodeId> disagreeing() {
        String mine = local.current().version().toString();
        RingView view = ring.current();
        Map<NodeId, NodeHealth> board = health.current();
        List<NodeId> out = new ArrayList<>();
        for (NodeInfo n : view.liveNodes()) {
            if (n.id().equals(view.selfId())) {
                continue;
            }
            NodeHealth h = board.get(n.id());
            if (h == null || !mine.equals(h.schemaVersion())) {
                out.add(n.id());
            }
        }
        return out;
    }

    private void awaitAgreement(Schema schema, long deadline, CompletableFuture<SchemaUpdate> done) {
        List<NodeId> behind = disagreeing();
        if (behind.isEmpty()) {
            done.complete(new SchemaUpdate(local.current(), List.of()));
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            done.complete(new SchemaUpdate(local.current(), List.of("Schema change applied, but not yet confirmed by "
                    + behind.size() + " live node(s) " + behind.stream().map(NodeId::value).toList() + " within "
                    + agreementTimeout.toMillis() + " ms; it keeps spreading (see GET /v1/cluster for schema agreement)")));
            return;
        }
        Executor later = CompletableFuture.delayedExecutor(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1),
                TimeUnit.MILLISECONDS);
        later.execute(() -> awaitAgreement(schema, deadline, done));
    }
}
