package io.sibyl.app.node;

import com.typesafe.config.Config;
import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.actors.cluster.RangeFetchPlan;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.streaming.RangeStreamer;
import io.sibyl.app.http.routes.TopologyRoutes;
import io.sibyl.actors.cluster.NodeHealthBoard;
import io.sibyl.actors.cluster.NodeHealthKeeper;
import io.sibyl.actors.compaction.Compactor;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.coordinator.Coordinator;
import io.sibyl.actors.coordinator.CoordinatorSettings;
import io.sibyl.actors.coordinator.DistributedCoordinator;
import io.sibyl.actors.hints.HintService;
import io.sibyl.actors.hints.HintSettings;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.app.http.routes.HintRoutes;
import io.sibyl.app.http.routes.RepairRoutes;
import io.sibyl.actors.repair.RepairService;
import io.sibyl.actors.repair.RepairSettings;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import io.sibyl.actors.paxos.PaxosTable;
import io.sibyl.actors.replica.ReplicaActors;
import io.sibyl.actors.flush.MemtableFlusher;
import io.sibyl.actors.flush.StorageShutdown;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.replica.SchemaSync;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.schema.DistributedSchemaStore;
import io.sibyl.actors.schema.LocalSchemaStore;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.QueryProcessor;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.app.http.rows.RowRoutes;
import io.sibyl.app.http.routes.ClusterRoutes;
import io.sibyl.app.http.routes.CompactionRoutes;
import io.sibyl.app.http.routes.CqlRoute;
import io.sibyl.app.http.routes.SchemaRoutes;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.stream.Materializer;

/** The services of one node, wired together: cluster, schema, storage engine, replica, coordinator, CQL. */
final class NodeServices implements AutoCloseable {
    final ClusterNode cluster;
    final NodeHealthBoard health;
    final SchemaStore schema;
    final StorageEngine engine;
    final LocalReplica replica;
    final Coordinator coordinator;
    final QueryProcessor processor;
    final ActorRef<MemtableFlusher.Command> flusher;
    final HintService hints;
    private final NodeSettings settings;
    private final ActorSystem<?> system;
    final ActorRef<Compactor.Command> compactor;
    final RepairService repairs;

    private NodeServices(NodeSettings settings, ActorSystem<?> system, ClusterNode cluster, NodeHealthBoard health,
                         SchemaStore schema, StorageEngine engine, LocalReplica replica, Coordinator coordinator,
                         QueryProcessor processor, ActorRef<MemtableFlusher.Command> flusher, HintService hints,
                         ActorRef<Compactor.Command> compactor, RepairService repairs) {
        this.settings = settings;
        this.repairs = repairs;
        this.compactor = compactor;
        this.hints = hints;
        this.system = system;
        this.cluster = cluster;
        this.health = health;
        this.flusher = flusher;
        this.schema = schema;
        this.engine = engine;
        this.replica = replica;
        this.coordinator = coordinator;
        this.processor = processor;
    }

    /**
     * @param rangeStreamer pulls ranges from other nodes in topology changes (bootstrap, decommission,
     *                      removenode); null in a build without one: a change that needs to fetch data
     *                      then fails (and is rolled back) with a message saying so
     */
    static NodeServices start(NodeSettings settings, Config config, ActorSystem<?> system, ClusterNode cluster,
                              RangeStreamer rangeStreamer) {
        // Schema versions and load of every node, for /v1/cluster and for DDL schema agreement.
        NodeHealthBoard health = new NodeHealthBoard();
        var healthKeeper = system.systemActorOf(NodeHealthKeeper.create(cluster.identity().id(),
                () -> DataDirSize.of(settings.dataDir()), config.getDuration("sibyl.cluster.load_report_interval"), health),
                "sibyl-node-health", Props.empty());
        // schema.json is read synchronously (the engine replays its commit log against it); the
        // distributed store, started once the engine follows schema.json, keeps it in step with
        // the cluster's schema.
        LocalSchemaStore localSchema = LocalSchemaStore.open(settings.dataDir());
        StorageEngine engine;
        try {
            engine = StorageEngine.open(settings.dataDir(), StorageSettings.fromConfig(config),
                    PaxosTable.withSystemTables(id -> localSchema.current().tableById(id)), Materializer.matFromSystem(system));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the storage engine in " + settings.dataDir(), e);
        }
        // Flushes memtables under memory pressure and on request; the engine is flushed and closed by
        // CoordinatedShutdown (SIGTERM, stop(), or a failed start terminating the actor system).
        StorageShutdown.register(system, engine);
        ActorRef<MemtableFlusher.Command> flusher =
                system.systemActorOf(MemtableFlusher.create(engine), "memtable-flusher", Props.empty());
        SchemaSync.apply(engine, localSchema.current());
        localSchema.addListener(s -> SchemaSync.apply(engine, s));
        SchemaStore schema = DistributedSchemaStore.start(system, localSchema, cluster.ringView(), health, healthKeeper,
                config.getDuration("sibyl.cluster.schema_agreement_timeout"));
        LocalReplica replica = new LocalReplica(engine);
        // Peers reach this node's storage through the replica actor pool (fixed paths, no discovery);
        // requests this node coordinates go to every replica the ring names, this one included.
        ReplicaActors.spawn(system, replica, schema);
        // Hinted handoff: the coordinator stores hints through the service, which replays them through
        // the coordinator's messaging; the holder breaks that cycle at construction.
        AtomicReference<HintService> hintHolder = new AtomicReference<>();
        HintSink hintSink = (target, mutation) -> hintHolder.get().store(target, mutation);
        DistributedCoordinator coordinator = new DistributedCoordinator(system, cluster.ringView(), schema, replica,
                hintSink, CoordinatorSettings.fromConfig(config));
        HintSettings hintSettings = HintSettings.from(config);
        HintService hints = HintService.start(system, hintSettings,
                (target, mutation) -> coordinator.sendMutation(target, mutation, hintSettings.deliveryTimeout()),
                cluster.ringView()::current, id -> schema.current().tableById(id), Clock.systemUTC());
        hintHolder.set(hints);
        Runnable stopListening = cluster.ringView().addListener(hints::onRingView);
        // Anti-entropy repair sessions this node coordinates, over the coordinator's messaging.
        RepairService repairs = new RepairService(cluster.ringView(), schema, replica, coordinator.replicaClient(),
                RepairSettings.fromConfig(config));
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "hints-stop", () -> {
            stopListening.run();
            repairs.close();
            hints.close();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        CqlContext ctx = new CqlContext(schema, coordinator, new MicrosClock(), settings.maxValueBytes(), 5000);
        // TRUNCATE reaches every node of the ring (all must be alive), as in Cassandra.
        QueryProcessor processor = new QueryProcessor(ctx, settings.parsedStatementCacheSize(), coordinator::truncate);
        ActorRef<Compactor.Command> compactor = system.systemActorOf(Compactor.create(engine,
                io.sibyl.storage.compaction.CompactionSettings.fromConfig(config)), "compactor", Props.empty());
        // Topology changes: this node fetches the ranges it gains once it has the cluster's schema.
        RangeStreamer streamer = rangeStreamer != null ? rangeStreamer : NO_STREAMER;
        cluster.attachStreaming(new RangeFetchPlan(cluster.identity().id(), streamer, () -> keyspaces(schema),
                () -> SchemaWait.agreement(system, cluster.ringView(), schema, health, SCHEMA_WAIT),
                config.getBoolean("sibyl.topology.allow_inconsistent_source")));
        return new NodeServices(settings, system, cluster, health, schema, engine, replica, coordinator, processor,
                flusher, hints, compactor, repairs);
    }

    /** How long a node that must fetch ranges waits to have the cluster's schema before the change fails. */
    private static final java.time.Duration SCHEMA_WAIT = java.time.Duration.ofSeconds(60);

    private static final RangeStreamer NO_STREAMER = (session, source, keyspace, ranges) -> CompletableFuture.failedFuture(
            new IllegalStateException("this build has no range streamer: keyspace " + keyspace + " cannot be fetched "
                    + "from " + source.id()));

    private static Map<String, ReplicationStrategy> keyspaces(SchemaStore schema) {
        Schema s = schema.current();
        Map<String, ReplicationStrategy> out = new java.util.TreeMap<>();
        for (KeyspaceMetadata ks : s.keyspaces().values()) {
            out.put(ks.name(), s.strategy(ks.name()));
        }
        return out;
    }

    void registerRoutes(HttpApi api) {
        ConsistencyLevel defaultCl = ConsistencyLevel.parse(settings.defaultConsistency());
        new CqlRoute(processor, defaultCl).register(api);
        new SchemaRoutes(schema).register(api);
        new ClusterRoutes(cluster.ringView(), schema, health, cluster.topology()).register(api);
        new TopologyRoutes(cluster, schema).register(api);
        new CompactionRoutes(compactor, system.scheduler()).register(api);
        api.post("/v1/admin/flush", r -> {
            String ks = r.query("keyspace").orElse(null);
            String t = r.query("table").orElse(null);
            requireExists(ks, t);
            CompletionStage<Void> done = MemtableFlusher.flush(flusher, system.scheduler(), ks, t, FLUSH_TIMEOUT);
            return done.thenApply(v -> Responses.okEmpty());
        });
        new HintRoutes(hints::stats).register(api);
        new RepairRoutes(repairs, schema).register(api);
        api.get("/v1/admin/tables", r -> Responses.doneOk(Map.of("tables", engine.stats())));
        new RowRoutes(schema, processor.modifications(), processor.selects(), defaultCl).register(api);
    }

    /** 404 for a keyspace or table that does not exist; a table needs its keyspace. */
    private void requireExists(String keyspace, String table) {
        if (table != null && keyspace == null) {
            throw new InvalidRequestException("query parameter 'table' needs 'keyspace'");
        }
        if (keyspace != null && schema.current().keyspace(keyspace) == null) {
            throw new NotFoundException("keyspace " + keyspace + " does not exist");
        }
        if (table != null && schema.current().table(keyspace, table) == null) {
            throw new NotFoundException("table " + keyspace + "." + table + " does not exist");
        }
    }

    /** Longest a flush request waits for its SSTables before the request fails (the flush goes on). */
    private static final java.time.Duration FLUSH_TIMEOUT = java.time.Duration.ofMinutes(5);

    @Override
    public void close() {
        engine.close();
    }
}
