package io.sibyl.app.node;

import com.typesafe.config.Config;
import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.actors.cluster.ClusterSettings;
import io.sibyl.actors.cluster.PartitionSwitch;
import io.sibyl.actors.hints.HintSettings;
import io.sibyl.app.cql.transport.NativeProtocolServer;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.routes.FaultRoutes;
import io.sibyl.app.http.Responses;
import io.sibyl.app.metrics.NodeMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

/**
 * One running Sibyl node: the actor system (a Pekko Cluster member; with no seeds it forms a
 * one-node cluster), the storage engine, and the HTTP endpoint. {@code /ready} answers READY once
 * the node has joined the cluster and knows its own ring record.
 */
public final class SibylNode {
    private static final Logger log = LoggerFactory.getLogger(SibylNode.class);

    private final NodeSettings settings;
    private final ActorSystem<Void> system;
    private final ServerBinding binding;

    private final ClusterNode cluster;
    private NativeProtocolServer nativeServer;

    private SibylNode(NodeSettings settings, ActorSystem<Void> system, ServerBinding binding, ClusterNode cluster) {
        this.settings = settings;
        this.cluster = cluster;
        this.system = system;
        this.binding = binding;
    }

    public static SibylNode start(NodeSettings settings, Config config) throws Exception {
        return start(settings, config, false);
    }

    /**
     * @param rejoining this start replaces an actor system the cluster downed: join through the
     *                  other seeds only (see {@link ClusterSettings#forRejoin()})
     */
    public static SibylNode start(NodeSettings settings, Config config, boolean rejoining) throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(settings.dataDir());
        ClusterSettings clusterSettings = rejoining ? ClusterSettings.from(config).forRejoin() : ClusterSettings.from(config);
        // The ring record advertises the HTTP port before it is bound: resolve "any port" first.
        int httpPort = settings.httpPort() == 0 ? freePort(settings.httpHost()) : settings.httpPort();
        // The hint journal's directory and the cluster's address are part of the actor system's config.
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME,
                HintSettings.from(config).toPekkoConfig()
                        .withFallback(clusterSettings.toPekkoConfig())
                        .withFallback(config));
        try {
            if (clusterSettings.faultInjection()) {
                log.warn("fault injection is ON (sibyl.cluster.fault_injection): for tests only");
                PartitionSwitch.apply(system);
            }
            // Joining runs in the background while the storage engine opens.
            ClusterNode cluster = ClusterNode.start(system, clusterSettings, settings.dataDir(), httpPort);
            Materializer mat = Materializer.matFromSystem(system);
            AtomicBoolean started = new AtomicBoolean(false);
            NodeMetrics metrics = new NodeMetrics(settings.nodeName());
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "metrics-close",
                    () -> CompletableFuture.supplyAsync(() -> { metrics.close(); return Done.getInstance(); }));
            HttpApi api = new HttpApi(mat, settings.maxRequestBytes(), metrics.http());
            NodeServices services = NodeServices.start(settings, config, system, cluster);
            metrics.bindStorage(services.engine);
            metrics.bindHints(services.hints::stats);
            metrics.registerRoute(api);
            services.registerRoutes(api);
            if (clusterSettings.faultInjection()) {
                new FaultRoutes(system).register(api);
            }
            String nodeId = cluster.identity().id().value();
            api.get("/health", r -> Responses.doneOk(Map.of("status", "UP", "node", settings.nodeName(), "id", nodeId)));
            api.get("/ready", r -> Responses.done(started.get() && cluster.ringView().current().isSelfUp()
                    ? Responses.ok(Map.of("status", "READY", "id", nodeId))
                    : Responses.json(503, Map.of("status", started.get() ? "JOINING" : "STARTING", "id", nodeId))));
            ServerBinding binding = Http.get(system)
                    .newServerAt(settings.httpHost(), httpPort)
                    .bind(api)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            SibylNode node = new SibylNode(settings, system, binding, cluster);
            // The CQL native protocol, on the same executor as POST /v1/cql (sibyl.cql.port, 0 = off).
            node.nativeServer = NativeProtocolServer.startForNode(system, config, services.processor, services.schema,
                    cluster.ringView(), ClusterSettings.SYSTEM_NAME, httpPort, settings.parsedStatementCacheSize());
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
                    () -> binding.unbind().thenApply(x -> Done.getInstance()));
            started.set(true);
            log.info("Sibyl node {} ({}) serving HTTP on {} (data in {}), cluster {}:{}, started in {} ms",
                    settings.nodeName(), nodeId, binding.localAddress(), settings.dataDir(), clusterSettings.host(),
                    clusterSettings.port(), Duration.ofNanos(System.nanoTime() - t0).toMillis());
            cluster.awaitUp(Duration.ofDays(365)).thenRun(() -> log.info("node {} joined the cluster; ready {} ms after start",
                    nodeId, Duration.ofNanos(System.nanoTime() - t0).toMillis()));
            return node;
        } catch (Exception e) {
            // One clear line for the operator (e.g. a corrupt commit log naming file and offset); the trace follows.
            log.error("Sibyl node {} failed to start: {}", settings.nodeName(), e.getMessage());
            system.terminate();
            throw e;
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    public int httpPort() {
        return binding.localAddress().getPort();
    }

    /** The bound CQL native protocol port, or 0 when the server is disabled. */
    public int cqlPort() {
        return nativeServer == null ? 0 : nativeServer.localAddress().getPort();
    }

    /** Waits until the node has joined its cluster and knows its own ring record (what /ready reports). */
    public void awaitReady(Duration timeout) throws Exception {
        cluster.awaitUp(timeout).toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    public ClusterNode cluster() {
        return cluster;
    }

    public NodeSettings settings() {
        return settings;
    }

    /**
     * After a failed rejoin attempt: whether some other node of the ring answers over HTTP and none of
     * them is a cluster member, so that this node may form the cluster again (see {@link RejoinPolicy}).
     */
    public boolean othersFormNoCluster() {
        RejoinPolicy.Census c = RejoinPolicy.census(cluster.ringView().current());
        log.info("rejoin census of node {}: {} other nodes answered, {} of them cluster members",
                settings.nodeName(), c.answered(), c.members());
        return c.mayFormCluster();
    }

    /** Why a node's actor system ended. */
    public enum End {
        /** The cluster downed this node (split brain resolver, operator): it may rejoin as itself. */
        DOWNED,
        /** A rejoining node could not reach any seed in time: it may try again with a fresh system. */
        JOIN_FAILED,
        /** Stopped (SIGTERM, stop()) or failed otherwise. */
        STOPPED
    }

    /** Waits until the actor system has ended, and tells why (see rejoin_after_down). */
    public End awaitTermination() throws Exception {
        system.getWhenTerminated().toCompletableFuture().get();
        CoordinatedShutdown.Reason reason = CoordinatedShutdown.get(system).getShutdownReason().orElse(null);
        if (CoordinatedShutdown.clusterDowningReason().equals(reason)) {
            return End.DOWNED;
        }
        if (CoordinatedShutdown.clusterJoinUnsuccessfulReason().equals(reason)) {
            return End.JOIN_FAILED;
        }
        return End.STOPPED;
    }

    /** Clean shutdown (the same path SIGTERM takes): unbind, flush, close. */
    public CompletableFuture<Done> stop() {
        return CoordinatedShutdown.get(system)
                .runAll(CoordinatedShutdown.unknownReason())
                .toCompletableFuture();
    }
}
