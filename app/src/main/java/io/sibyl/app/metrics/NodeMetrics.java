package io.sibyl.app.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.RequestMetrics;
import io.sibyl.storage.engine.StorageEngine;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The node's metrics (Micrometer, rendered for Prometheus at {@code GET /metrics}): HTTP requests by route
 * and status, the storage engine's per-table and commit-log meters, and the JVM's memory, GC, threads and
 * CPU. One registry per node, so several nodes in one JVM (tests) do not mix their numbers.
 */
public final class NodeMetrics implements AutoCloseable {

    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final ContentType PROMETHEUS_TEXT = ContentTypes.parse(CONTENT_TYPE);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final HttpMetrics http = new HttpMetrics(registry);
    private final java.util.List<Runnable> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();

    public NodeMetrics(String nodeName) {
        registry.config().commonTags("node", nodeName);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** What {@link HttpApi} reports requests to. */
    public RequestMetrics http() {
        return http;
    }

    /** Meters the storage engine: commit log, memtables, SSTables, flushes, reads and writes per table. */
    /** Hints held for other nodes (sums over targets; per target at GET /v1/admin/hints). */
    public void bindHints(java.util.function.Supplier<java.util.List<io.sibyl.actors.hints.HintTargetStats>> stats) {
        HintMetrics.bind(registry, stats);
        beforeScrape.add(HintMetrics.bindByTarget(registry, stats));
    }

    /** Counts the coordinator's speculative read retries per table. */
    public void bindCoordinator(io.sibyl.actors.coordinator.DistributedCoordinator coordinator) {
        CoordinatorMetrics.bind(registry, coordinator);
    }

    /** Range streaming totals (per session at GET /v1/admin/streams). */
    public void bindStreaming(io.sibyl.actors.streaming.StreamSessions sessions) {
        StreamingMetrics.bind(registry, sessions);
    }

    public void bindStorage(StorageEngine engine) {
        StorageMetrics.bind(registry, engine);
    }

    /** Adds {@code GET /metrics}. */
    public void registerRoute(HttpApi api) {
        api.get("/metrics", r -> CompletableFuture.completedFuture(HttpResponse.create()
                .withEntity(HttpEntities.create(PROMETHEUS_TEXT, scrape().getBytes(StandardCharsets.UTF_8)))));
    }

    /**
     * {@code sibyl_dispatcher_active_threads}, {@code sibyl_dispatcher_queued_tasks} and
     * {@code sibyl_dispatcher_pool_threads}, tagged {@code dispatcher}: the Pekko dispatchers'
     * pools (see {@link ThreadPools}), read at scrape time.
     */
    public void bindDispatchers(ThreadPools pools) {
        bindActorKinds(pools);
        for (String id : ThreadPools.DISPATCHERS) {
            if (pools.dispatcher(id) == null) {
                continue;
            }
            io.micrometer.core.instrument.Gauge.builder("sibyl.dispatcher.active.threads", pools, p -> value(p, id, ThreadPools.Pool::active))
                    .description("threads of the dispatcher running a task").tag("dispatcher", id).register(registry);
            io.micrometer.core.instrument.Gauge.builder("sibyl.dispatcher.queued.tasks", pools, p -> value(p, id, ThreadPools.Pool::pending))
                    .description("tasks (actor mailboxes to run, futures) queued on the dispatcher").tag("dispatcher", id).register(registry);
            io.micrometer.core.instrument.Gauge.builder("sibyl.dispatcher.pool.threads", pools, p -> value(p, id, ThreadPools.Pool::poolSize))
                    .description("threads in the dispatcher's pool").tag("dispatcher", id).register(registry);
        }
    }

    /**
     * {@code sibyl_actor_mailbox_pending}, {@code sibyl_actors} and {@code sibyl_actor_messages_completed_total},
     * tagged {@code kind}: the mailboxes of Sibyl's actors per kind (see {@link ThreadPools#actorKinds()}).
     */
    private void bindActorKinds(ThreadPools pools) {
        for (var k : pools.actorKinds()) {
            String kind = k.kind();
            io.micrometer.core.instrument.Gauge.builder("sibyl.actor.mailbox.pending", pools, p -> kind(p, kind).pending())
                    .description("messages waiting in the mailboxes of the actors of this kind").tag("kind", kind).register(registry);
            io.micrometer.core.instrument.Gauge.builder("sibyl.actors", pools, p -> kind(p, kind).actors())
                    .description("actors of this kind alive").tag("kind", kind).register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("sibyl.actor.messages.completed", pools, p -> kind(p, kind).completed())
                    .description("messages the actors of this kind have taken from their mailboxes").tag("kind", kind).register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("sibyl.actor.messages.dropped", pools, p -> kind(p, kind).dropped())
                    .description("messages left in a mailbox when its actor stopped").tag("kind", kind).register(registry);
        }
    }

    private static io.sibyl.actors.mailbox.ActorKindStats kind(ThreadPools pools, String kind) {
        return pools.actorKinds().stream().filter(k -> k.kind().equals(kind)).findFirst()
                .orElse(new io.sibyl.actors.mailbox.ActorKindStats(kind, 0, 0, 0, 0));
    }

    private static double value(ThreadPools pools, String id, java.util.function.ToLongFunction<ThreadPools.Pool> f) {
        ThreadPools.Pool p = pools.dispatcher(id);
        return p == null ? Double.NaN : f.applyAsLong(p);
    }

    /** Every meter in the Prometheus text format. */
    public String scrape() {
        for (Runnable r : beforeScrape) {
            r.run();
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
