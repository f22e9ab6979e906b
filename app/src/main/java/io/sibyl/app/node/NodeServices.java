package io.sibyl.app.node;

import com.typesafe.config.Config;
import java.util.Map;
import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.actors.streaming.RangeFetchPlan;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.streaming.RangeStreamer;
import io.sibyl.app.http.routes.TopologyRoutes;
import io.sibyl.actors.cluster.NodeHealthBoard;
import io.sibyl.actors.cluster.NodeHealthKeeper;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.batchlog.BatchlogReplayer;
import io.sibyl.actors.batchlog.BatchlogSettings;
import io.sibyl.actors.coordinator.CoordinatorSettings;
import io.sibyl.actors.coordinator.DistributedCoordinator;
import io.sibyl.actors.hints.HintService;
import io.sibyl.actors.hints.HintSettings;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.actors.replica.ReplicaActors;
import io.sibyl.app.http.routes.StreamRoutes;
import io.sibyl.actors.compaction.NodeCleanup;
import io.sibyl.actors.streaming.RangeFetcher;
import io.sibyl.actors.streaming.RangeStreamer;
import io.sibyl.actors.streaming.Rebuild;
import io.sibyl.actors.streaming.StreamServer;
import io.sibyl.actors.streaming.StreamSessions;
import io.sibyl.actors.streaming.StreamSettings;
import io.sibyl.actors.repair.RepairService;
import io.sibyl.actors.repair.RepairSettings;
import io.sibyl.actors.schema.DistributedSchemaStore;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.auth.Auth;
import io.sibyl.app.cql.auth.AuthSettings;
import io.sibyl.app.cql.auth.RoleStatements;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.QueryProcessor;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.routes.ClusterRoutes;
import io.sibyl.app.http.routes.CqlRoute;
import io.sibyl.app.http.routes.HintRoutes;
import io.sibyl.app.http.routes.RepairRoutes;
import io.sibyl.app.http.routes.SchemaRoutes;
import io.sibyl.app.http.rows.RowRoutes;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * The services of one cluster layer (one clustered actor system; see {@link ClusterLayer}), wired over
 * the long-lived {@link NodeStorage}: node health, the distributed schema, the replica actors peers
 * reach, the coordinator, hints, repair, and the CQL processor on top. A new set is started each time
 * the cluster layer is restarted; the storage under it stays.
 */
final class NodeServices {
    final ClusterNode cluster;
    final NodeHealthBoard health;
    final SchemaStore schema;
    final DistributedCoordinator coordinator;
    final QueryProcessor processor;
    final HintService hints;
    final RepairService repairs;
    final StreamSessions streams;
    final RangeFetcher rangeStreamer;
    final NodeCleanup cleanup;
    final Auth auth;
    private final NodeSettings settings;

    private NodeServices(NodeSettings settings, ClusterNode cluster, NodeHealthBoard health, SchemaStore schema,
                         DistributedCoordinator coordinator, QueryProcessor processor, HintService hints,
                         RepairService repairs, StreamSessions streams, RangeFetcher rangeStreamer, NodeCleanup cleanup,
                         Auth auth) {
        this.settings = settings;
        this.auth = auth;
        this.streams = streams;
        this.rangeStreamer = rangeStreamer;
        this.cleanup = cleanup;
        this.cluster = cluster;
        this.health = health;
        this.schema = schema;
        this.coordinator = coordinator;
        this.processor = processor;
        this.hints = hints;
        this.repairs = repairs;
    }

    static NodeServices start(NodeSettings settings, Config config, ActorSystem<?> system, ClusterNode cluster,
                              NodeStorage storage) {
        // Schema versions and load of every node, for /v1/cluster and for DDL schema agreement.
        NodeHealthBoard health = new NodeHealthBoard();
        var healthKeeper = system.systemActorOf(NodeHealthKeeper.create(cluster.id(),
                () -> DataDirSize.of(settings.dataDir()), config.getDuration("sibyl.cluster.load_report_interval"), health),
                "sibyl-node-health", io.sibyl.actors.mailbox.MeasuredMailbox.props("NodeHealthKeeper"));
        SchemaStore schema = DistributedSchemaStore.start(system, storage.localSchema, cluster.ringView(), health, healthKeeper,
                config.getDuration("sibyl.cluster.schema_agreement_timeout"));
        // Peers reach this node's storage through the replica actor pool (fixed paths, no discovery);
        // requests this node coordinates go to every replica the ring names, this one included.
        ReplicaActors.spawn(system, storage.replica, schema);
        // Hinted handoff: the coordinator stores hints through the service, which replays them through
        // the coordinator's messaging; the holder breaks that cycle at construction.
        AtomicReference<HintService> hintHolder = new AtomicReference<>();
        HintSink hintSink = (target, mutation) -> hintHolder.get().store(target, mutation);
        DistributedCoordinator coordinator = new DistributedCoordinator(system, cluster.ringView(), schema, storage.replica,
                hintSink, CoordinatorSettings.fromConfig(config));
        HintSettings hintSettings = HintSettings.from(config);
        // Hints for a node that left the ring go to the current owners of each partition: a write at ONE
        // through this coordinator reaches every natural and pending replica (and hints the dead ones).
        HintService hints = HintService.start(system, hintSettings,
                (target, mutation) -> coordinator.sendMutation(target, mutation, hintSettings.deliveryTimeout()),
                (left, mutation) -> coordinator.write(java.util.List.of(mutation),
                        io.sibyl.actors.consistency.ConsistencyLevel.ONE, io.sibyl.actors.consistency.WriteType.SIMPLE),
                cluster.ringView()::current, id -> schema.current().tableById(id), Clock.systemUTC());
        hintHolder.set(hints);
        Runnable stopListening = cluster.ringView().addListener(hints::onRingView);
        // Anti-entropy repair sessions this node coordinates, over the coordinator's messaging.
        RepairService repairs = new RepairService(cluster.ringView(), schema, storage.replica, coordinator.replicaClient(),
                RepairSettings.fromConfig(config));
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "hints-stop", () -> {
            stopListening.run();
            repairs.close();
            hints.close();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        // Logged batches left in this node's batchlog (their coordinator died) are replayed from here.
        BatchlogReplayer batchlog = new BatchlogReplayer(storage.replica.batchlog(), id -> schema.current().tableById(id),
                coordinator::replayBatch, BatchlogSettings.fromConfig(config), System::currentTimeMillis)
                .start(system.scheduler(), system.dispatchers().lookup(DispatcherSelector.blocking()));
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "batchlog-stop", () -> {
            batchlog.close();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        CqlContext ctx = new CqlContext(schema, coordinator, new MicrosClock(), settings.maxValueBytes(), 5000);
        // TRUNCATE reaches every node of the ring (all must be alive), as in Cassandra.
        QueryProcessor processor = new QueryProcessor(ctx, settings.parsedStatementCacheSize(), coordinator::truncate);
        // system_views (Cassandra 5's virtual tables): this node's pools, compactions and settings
        processor.withViews(io.sibyl.app.cql.views.NodeViews.create(() -> poolRows(storage.pools),
                () -> io.sibyl.actors.compaction.Compactor.status(storage.compactor, system.scheduler(), java.time.Duration.ofSeconds(10)),
                config, () -> storage.engine.keyCache().stats(),
                () -> storage.engine.chunkCache().stats()));
        // Roles and permissions live in system_auth, read and written through this same processor.
        AuthSettings authSettings = AuthSettings.from(config);
        Auth auth = new Auth(authSettings, processor::execute);
        processor.enableAuth(auth, new RoleStatements(auth, schema));
        if (authSettings.enabled()) {
            AuthSetup.startWhenJoined(system, cluster, auth, schema, settings.dataDir());
        }
        // Range streaming for topology changes: every node serves its ranges; RangeFetcher pulls them.
        StreamSettings streamSettings = StreamSettings.fromConfig(config);
        StreamSessions streams = storage.streams;
        StreamServer.spawn(system, storage.engine, streamSettings, streams);
        RangeFetcher rangeStreamer = new RangeFetcher(system, storage.replica, cluster.id(),
                id -> cluster.ringView().current().isAlive(id), RangeFetcher.serverByPath(system),
                settings.dataDir().resolve("system").resolve("streams"), streamSettings, streams);
        NodeCleanup cleanup = new NodeCleanup(storage.compactor, system.scheduler(), storage.engine,
                cluster.ringView()::current, schema::current);
        // Topology changes: this node fetches the ranges it gains once it has the cluster's schema.
        // A decommissioning node then hands the hints it holds for down nodes over to a remaining node.
        storage.replica.acceptHints(hintSink);
        RangeFetchPlan ranges = new RangeFetchPlan(cluster.id(), rangeStreamer, () -> keyspaces(schema),
                () -> SchemaWait.agreement(system, cluster.ringView(), schema, health, SCHEMA_WAIT),
                config.getBoolean("sibyl.topology.allow_inconsistent_source"));
        // Before reads move, the LWT decisions still in flight in the gained ranges are finished (Paxos repair):
        // a CAS round that writes nothing but completes an accepted, uncommitted proposal.
        io.sibyl.actors.streaming.PaxosRepairOnMove paxosRepair = new io.sibyl.actors.streaming.PaxosRepairOnMove(
                cluster.id(), ranges, () -> keyspaces(schema), storage.replica.paxos(),
                id -> schema.current().tableById(id),
                (table, key) -> coordinator.cas(io.sibyl.storage.read.SinglePartitionReadCommand.fullPartition(table, key,
                                (int) (System.currentTimeMillis() / 1000)), current -> null,
                        io.sibyl.actors.consistency.ConsistencyLevel.SERIAL,
                        io.sibyl.actors.consistency.ConsistencyLevel.QUORUM));
        cluster.attachStreaming(new io.sibyl.actors.hints.HintHandOff(cluster.id(), paxosRepair, hints,
                (target, mutation) -> coordinator.sendMutation(target, mutation, hintSettings.deliveryTimeout()),
                (holder, target, mutation) -> coordinator.replicaClient().storeHint(holder, target, mutation,
                        hintSettings.deliveryTimeout()),
                HINT_HANDOFF_TIMEOUT));
        return new NodeServices(settings, cluster, health, schema, coordinator, processor, hints, repairs, streams,
                rangeStreamer, cleanup, auth);
    }

    /** How long a decommissioning node may take to hand its hints over (throttled by hinted_handoff_throttle). */
    private static final java.time.Duration HINT_HANDOFF_TIMEOUT = java.time.Duration.ofHours(1);

    /** How long a node that must fetch ranges waits to have the cluster's schema before the change fails. */
    private static final java.time.Duration SCHEMA_WAIT = java.time.Duration.ofSeconds(60);

    private static Map<String, ReplicationStrategy> keyspaces(SchemaStore schema) {
        Schema s = schema.current();
        Map<String, ReplicationStrategy> out = new java.util.TreeMap<>();
        for (KeyspaceMetadata ks : s.keyspaces().values()) {
            out.put(ks.name(), s.strategy(ks.name()));
        }
        return out;
    }

    /** What topology changes (bootstrap, decommission, removenode, replace) pull ranges through. */
    RangeStreamer rangeStreamer() {
        return rangeStreamer;
    }

    /** The routes that need the cluster layer (coordinated requests, schema changes, cluster state, hints, repair). */
    void registerRoutes(HttpApi api) {
        ConsistencyLevel defaultCl = ConsistencyLevel.parse(settings.defaultConsistency());
        new CqlRoute(processor, defaultCl).register(api);
        new SchemaRoutes(schema).register(api);
        new ClusterRoutes(cluster.ringView(), schema, health, cluster.topology()).register(api);
        new TopologyRoutes(cluster, schema).register(api);
        new HintRoutes(hints::stats).register(api);
        new RepairRoutes(repairs, schema).register(api);
        new StreamRoutes(streams, cleanup, new Rebuild(rangeStreamer, cluster.ringView()::current, schema::current),
                schema).register(api);
        new RowRoutes(schema, processor.modifications(), processor.selects(), defaultCl).register(api);
    }

    /** thread_pools rows: the node's pools, then its actors by kind. */
    private static java.util.List<io.sibyl.app.cql.views.NodeViews.PoolRow> poolRows(io.sibyl.app.metrics.ThreadPools pools) {
        java.util.List<io.sibyl.app.cql.views.NodeViews.PoolRow> rows = new java.util.ArrayList<>();
        for (var p : pools.pools()) {
            rows.add(new io.sibyl.app.cql.views.NodeViews.PoolRow(p.name(), p.active(), p.poolSize(),
                    p.completed() < 0 ? null : p.completed(), p.pending()));
        }
        for (var k : pools.actorKinds()) {
            rows.add(new io.sibyl.app.cql.views.NodeViews.PoolRow(k.kind(), null, k.actors(), k.completed(), k.pending()));
        }
        return rows;
    }
}
