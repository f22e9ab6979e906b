package io.sibyl.app.node;

import com.typesafe.config.Config;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.app.metrics.NodeMetrics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Sibyl node: the actor system, the storage engine, and the HTTP endpoint. */
public final class SibylNode {
    private static final Logger log = LoggerFactory.getLogger(SibylNode.class);

    private final NodeSettings settings;
    private final ActorSystem<Void> system;
    private final ServerBinding binding;

    private SibylNode(NodeSettings settings, ActorSystem<Void> system, ServerBinding binding) {
        this.settings = settings;
        this.system = system;
        this.binding = binding;
    }

    public static SibylNode start(NodeSettings settings, Config config) throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(settings.dataDir());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "sibyl", config);
        try {
            Materializer mat = Materializer.matFromSystem(system);
            AtomicBoolean readyFlag = new AtomicBoolean(false);
            NodeMetrics metrics = new NodeMetrics(settings.nodeName());
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "metrics-close",
                    () -> CompletableFuture.supplyAsync(() -> { metrics.close(); return Done.getInstance(); }));
            HttpApi api = new HttpApi(mat, settings.maxRequestBytes(), metrics.http());
            NodeServices services = NodeServices.start(settings, config, system);
            metrics.bindStorage(services.engine);
            metrics.registerRoute(api);
            services.registerRoutes(api);
            api.get("/health", r -> Responses.doneOk(Map.of("status", "UP", "node", settings.nodeName())));
            api.get("/ready", r -> Responses.done(readyFlag.get()
                    ? Responses.ok(Map.of("status", "READY"))
                    : Responses.json(503, Map.of("status", "STARTING"))));
            ServerBinding binding = Http.get(system)
                    .newServerAt(settings.httpHost(), settings.httpPort())
                    .bind(api)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            SibylNode node = new SibylNode(settings, system, binding);
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
                    () -> binding.unbind().thenApply(x -> Done.getInstance()));
            readyFlag.set(true);
            log.info("Sibyl node {} serving HTTP on {} (data in {}), started in {} ms",
                    settings.nodeName(), binding.localAddress(), settings.dataDir(),
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
            return node;
        } catch (Exception e) {
            // One clear line for the operator (e.g. a corrupt commit log naming file and offset); the trace follows.
            log.error("Sibyl node {} failed to start: {}", settings.nodeName(), e.getMessage());
            system.terminate();
            throw e;
        }
    }

    public int httpPort() {
        return binding.localAddress().getPort();
    }

    public NodeSettings settings() {
        return settings;
    }

    public void awaitTermination() throws Exception {
        system.getWhenTerminated().toCompletableFuture().get();
    }

    /** Clean shutdown (the same path SIGTERM takes): unbind, flush, close. */
    public CompletableFuture<Done> stop() {
        return CoordinatedShutdown.get(system)
                .runAll(CoordinatedShutdown.unknownReason())
                .toCompletableFuture();
    }
}
