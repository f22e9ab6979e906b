package io.sibyl.app.node;

import com.typesafe.config.Config;
import io.sibyl.actors.compaction.Compactor;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.coordinator.Coordinator;
import io.sibyl.actors.coordinator.LocalCoordinator;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.replica.SchemaSync;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.schema.LocalSchemaStore;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.QueryProcessor;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.app.http.rows.RowRoutes;
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

/** The services of one node, wired together: schema, storage engine, replica, coordinator, CQL. */
final class NodeServices implements AutoCloseable {
    final LocalSchemaStore schema;
    final StorageEngine engine;
    final LocalReplica replica;
    final Coordinator coordinator;
    final QueryProcessor processor;
    private final NodeSettings settings;
    private ActorRef<Compactor.Command> compactor;
    private ActorSystem<?> system;

    private NodeServices(NodeSettings settings, LocalSchemaStore schema, StorageEngine engine, LocalReplica replica,
                         Coordinator coordinator, QueryProcessor processor) {
        this.settings = settings;
        this.schema = schema;
        this.engine = engine;
        this.replica = replica;
        this.coordinator = coordinator;
        this.processor = processor;
    }

    static NodeServices start(NodeSettings settings, Config config, ActorSystem<?> system) {
        LocalSchemaStore schema = LocalSchemaStore.open(settings.dataDir());
        StorageEngine engine;
        try {
            engine = StorageEngine.open(settings.dataDir(), StorageSettings.fromConfig(config),
                    id -> schema.current().tableById(id), Materializer.matFromSystem(system));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the storage engine in " + settings.dataDir(), e);
        }
        SchemaSync.apply(engine, schema.current());
        schema.addListener(s -> SchemaSync.apply(engine, s));
        LocalReplica replica = new LocalReplica(engine);
        NodeInfo self = new NodeInfo(NodeId.of(settings.nodeName()), settings.httpHost(), settings.httpPort(), 0, "dc1", "rack1");
        Coordinator coordinator = new LocalCoordinator(replica, schema, self);
        CqlContext ctx = new CqlContext(schema, coordinator, new MicrosClock(), settings.maxValueBytes(), 5000);
        QueryProcessor processor = new QueryProcessor(ctx, settings.parsedStatementCacheSize(), table -> {
            engine.truncate(table.id());
            return CompletableFuture.completedFuture(null);
        });
        NodeServices services = new NodeServices(settings, schema, engine, replica, coordinator, processor);
        services.system = system;
        services.compactor = system.systemActorOf(Compactor.create(engine,
                io.sibyl.storage.compaction.CompactionSettings.fromConfig(config)), "compactor", Props.empty());
        return services;
    }

    void registerRoutes(HttpApi api) {
        ConsistencyLevel defaultCl = ConsistencyLevel.parse(settings.defaultConsistency());
        new CqlRoute(processor, defaultCl).register(api);
        new SchemaRoutes(schema).register(api);
        new CompactionRoutes(compactor, system.scheduler()).register(api);
        api.post("/v1/admin/flush", r -> {
            var ks = r.query("keyspace");
            var t = r.query("table");
            CompletionStage<Void> done = ks.isPresent() && t.isPresent()
                    ? engine.flush(ks.get(), t.get()) : engine.flushAll();
            return done.thenApply(v -> Responses.okEmpty());
        });
        api.get("/v1/admin/tables", r -> Responses.doneOk(Map.of("tables", engine.stats())));
        new RowRoutes(schema, processor.modifications(), processor.selects(), defaultCl).register(api);
    }

    @Override
    public void close() {
        engine.close();
    }
}
