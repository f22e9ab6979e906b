package io.sibyl.app.node;

import com.typesafe.config.Config;
import io.sibyl.actors.compaction.Compactor;
import io.sibyl.actors.flush.MemtableFlusher;
import io.sibyl.actors.flush.StorageShutdown;
import io.sibyl.actors.paxos.PaxosTable;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.replica.SchemaSync;
import io.sibyl.actors.schema.LocalSchemaStore;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.app.http.routes.CompactionRoutes;
import io.sibyl.storage.compaction.CompactionSettings;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;

/**
 * The node's storage, opened once per process on the long-lived actor system (no cluster) and kept
 * while the cluster layer is restarted: schema.json, the storage engine, the local replica, the
 * memtable flusher and the compactor. Closed (flushed) by that system's coordinated shutdown.
 */
final class NodeStorage {
    /** Longest a flush request waits for its SSTables before the request fails (the flush goes on). */
    /** The key or chunk cache as nodetool info shows it (hit_rate null before the first request). */
    static Map<String, Object> keyCacheJson(io.sibyl.storage.sstable.KeyCache.Stats k) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("capacity_bytes", k.capacity());
        m.put("size_bytes", k.size());
        m.put("entries", k.entries());
        m.put("hits", k.hits());
        m.put("requests", k.requests());
        m.put("hit_rate", k.requests() == 0 ? null : k.hitRate());
        return m;
    }

    private static final Duration FLUSH_TIMEOUT = Duration.ofMinutes(5);

    final LocalSchemaStore localSchema;
    final StorageEngine engine;
    final LocalReplica replica;
    final ActorRef<MemtableFlusher.Command> flusher;
    final ActorRef<Compactor.Command> compactor;
    /** Range-streaming sessions of every cluster layer this process ran (GET /v1/admin/streams, metrics). */
    final io.sibyl.actors.streaming.StreamSessions streams = new io.sibyl.actors.streaming.StreamSessions();
    /** The node's pools and actor mailboxes (tpstats, metrics); the node adds its cluster layer's system. */
    final io.sibyl.app.metrics.ThreadPools pools;
    private final ActorSystem<?> system;

    private NodeStorage(ActorSystem<?> system, LocalSchemaStore localSchema, StorageEngine engine, LocalReplica replica,
                        ActorRef<MemtableFlusher.Command> flusher, ActorRef<Compactor.Command> compactor) {
        this.system = system;
        this.localSchema = localSchema;
        this.engine = engine;
        this.replica = replica;
        this.flusher = flusher;
        this.compactor = compactor;
        this.pools = new io.sibyl.app.metrics.ThreadPools(system, engine);
    }

    static NodeStorage open(NodeSettings settings, Config config, ActorSystem<?> system) {
        // schema.json is read synchronously (the engine replays its commit log against it); each
        // cluster layer's distributed store keeps it in step with the cluster's schema.
        LocalSchemaStore localSchema = LocalSchemaStore.open(settings.dataDir());
        StorageEngine engine;
        try {
            engine = StorageEngine.open(settings.dataDir(), StorageSettings.fromConfig(config),
                    PaxosTable.withSystemTables(id -> localSchema.current().tableById(id)), Materializer.matFromSystem(system));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the storage engine in " + settings.dataDir(), e);
        }
        // Flushes memtables under memory pressure and on request; the engine is flushed and closed by
        // this system's CoordinatedShutdown (SIGTERM, stop(), or a failed start terminating it).
        StorageShutdown.register(system, engine);
        engine.schemaDescriber(io.sibyl.app.cql.schema.CqlDescriber::table); // schema.cql of snapshots
        ActorRef<MemtableFlusher.Command> flusher =
                system.systemActorOf(MemtableFlusher.create(engine), "memtable-flusher",
                        io.sibyl.actors.mailbox.MeasuredMailbox.props("MemtableFlusher"));
        SchemaSync.apply(engine, localSchema.current());
        localSchema.addListener(s -> SchemaSync.apply(engine, s));
        ActorRef<Compactor.Command> compactor = system.systemActorOf(Compactor.create(engine,
                CompactionSettings.fromConfig(config)), "compactor", io.sibyl.actors.mailbox.MeasuredMailbox.props("Compactor"));
        return new NodeStorage(system, localSchema, engine, new LocalReplica(engine), flusher, compactor);
    }

    /** Routes that need only this node's storage: they answer whether or not the cluster layer is there. */
    void registerRoutes(HttpApi api) {
        new CompactionRoutes(compactor, system.scheduler()).register(api);
        new io.sibyl.app.http.routes.SnapshotRoutes(engine, localSchema::current,
                io.sibyl.storage.util.BlockingIo.executor(Materializer.matFromSystem(system))).register(api);
        api.post("/v1/admin/flush", r -> {
            r.timeout().useAdminTimeout();
            String ks = r.query("keyspace").orElse(null);
            String t = r.query("table").orElse(null);
            requireExists(ks, t);
            CompletionStage<Void> done = MemtableFlusher.flush(flusher, system.scheduler(), ks, t, FLUSH_TIMEOUT);
            return done.thenApply(v -> Responses.okEmpty());
        });
        api.get("/v1/admin/tables", r -> Responses.doneOk(Map.of("tables", engine.stats())));
        api.get("/v1/admin/tpstats", r -> Compactor.status(compactor, system.scheduler(), Duration.ofSeconds(10)).thenApply(c -> {
            java.util.List<Object> out = new java.util.ArrayList<>();
            for (var p : pools.pools()) {
                out.add(poolJson(p.name(), p.active(), p.pending(), p.completed(), p.poolSize()));
            }
            out.add(poolJson("CompactionExecutor", c.running().size(), c.pendingTasks(), -1, c.concurrentCompactors()));
            java.util.List<Object> actors = new java.util.ArrayList<>();
            for (var k : pools.actorKinds()) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("kind", k.kind());
                m.put("actors", k.actors());
                m.put("pending", k.pending());
                m.put("completed", k.completed());
                m.put("blocked", 0); // mailboxes are unbounded: a sender never blocks
                m.put("dropped", k.dropped());
                actors.add(m);
            }
            return Responses.ok(Map.of("pools", out, "actors", actors, "drained", engine.isDrained(),
                    "key_cache", keyCacheJson(engine.keyCache().stats()),
                    "chunk_cache", keyCacheJson(engine.chunkCache().stats())));
        }));
    }

    private static Map<String, Object> poolJson(String name, long active, long pending, long completed, long size) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("active", active);
        m.put("pending", pending);
        m.put("completed", completed);
        m.put("pool_size", size);
        return m;
    }

    /** 404 for a keyspace or table that does not exist; a table needs its keyspace. */
    private void requireExists(String keyspace, String table) {
        if (table != null && keyspace == null) {
            throw new InvalidRequestException("query parameter 'table' needs 'keyspace'");
        }
        if (keyspace != null && localSchema.current().keyspace(keyspace) == null) {
            throw new NotFoundException("keyspace " + keyspace + " does not exist");
        }
        if (table != null && localSchema.current().table(keyspace, table) == null) {
            throw new NotFoundException("table " + keyspace + "." + table + " does not exist");
        }
    }
}
