package io.sibyl.app.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.actors.cluster.ClusterSettings;
import io.sibyl.actors.cluster.KnownPeers;
import io.sibyl.actors.cluster.NodeIdentity;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.coordinator.DetachedCoordinator;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.CqlContext;
import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.QueryProcessor;
import io.sibyl.app.cql.transport.NativeBackend;
import io.sibyl.app.cql.transport.NativeProtocolServer;
import io.sibyl.app.errors.ClusterLayerAwayException;
import io.sibyl.app.http.AdmissionLimit;
import io.sibyl.app.cql.auth.AuthSettings;
import io.sibyl.app.http.HttpAccess;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.app.http.SwappableHandler;
import io.sibyl.app.http.routes.ClusterRoutes;
import io.sibyl.app.http.routes.CqlRoute;
import io.sibyl.app.http.routes.DashboardRoutes;
import io.sibyl.app.http.routes.SchemaRoutes;
import io.sibyl.app.http.rows.RowRoutes;
import io.sibyl.app.metrics.NodeMetrics;
import io.sibyl.app.tls.NodeTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Sibyl node, in two parts (docs/adr: "long-lived node, swappable cluster layer"):
 * <ul>
 *   <li>long-lived, for the life of the process: an actor system without cluster provider
 *       ({@value #LOCAL_SYSTEM_NAME}) carrying the HTTP listener (a {@link SwappableHandler}), the
 *       CQL native protocol server (its services swapped in a {@link NativeBackend}), the
 *       storage ({@link NodeStorage}: engine, local replica, flusher, compactor) and the metrics;</li>
 *   <li>swappable: the {@link ClusterLayer} (clustered actor system, membership, ring, replica actors,
 *       coordinator, hints, repair, CQL processor). When the cluster downs the node the layer ends, and
 *       with {@code rejoin_after_down} a fresh one is started in the same process.</li>
 * </ul>
 * While no layer serves (between the downing and the new layer knowing the ring), requests go to a
 * detached API: reads this node can serve alone (ONE/LOCAL_ONE of keys it holds) are answered from
 * local storage, everything else is {@code UNAVAILABLE} at once. {@code /ready} answers READY once
 * the current layer has joined the cluster and knows its own ring record.
 */
public final class SibylNode {
    private static final Logger log = LoggerFactory.getLogger(SibylNode.class);
    static final String LOCAL_SYSTEM_NAME = "sibyl-node";
    private static final int RESTART_ATTEMPTS = 5;
    /** Longest a new layer runs beside the detached API before it takes the requests even without the ring. */
    private static final Duration RING_WAIT = Duration.ofSeconds(10);

    private final NodeSettings settings;
    private final Config config;
    private final ActorSystem<Void> localSystem;
    private final NodeStorage storage;
    private final NodeMetrics metrics;
    private final SwappableHandler handler;
    /** The services the native protocol server uses, swapped with the HTTP API's. */
    private final NativeBackend nativeBackend;
    /** The CQL native protocol server; null when disabled (sibyl.cql.port = 0). */
    private volatile NativeProtocolServer nativeServer;
    private final int httpPort;
    private final boolean rejoinAfterDown;
    private volatile ServerBinding binding;
    /** The cluster layer serving requests; null while detached. */
    private volatile ClusterLayer layer;
    /** The newest cluster layer started (serving, or waiting to know the ring). */
    private volatile ClusterLayer newest;
    private volatile boolean stopping;
    private final String nodeId;
    /** TLS of the HTTP and native listeners, loaded once (a bad file fails the start). */
    private final NodeTls tls;

    private SibylNode(NodeSettings settings, Config config, ActorSystem<Void> localSystem, NodeStorage storage,
                      NodeMetrics metrics, int httpPort, NodeTls tls, ClusterLayer first) {
        this.tls = tls;
        this.settings = settings;
        this.config = config;
        this.localSystem = localSystem;
        this.storage = storage;
        this.metrics = metrics;
        this.httpPort = httpPort;
        this.rejoinAfterDown = ClusterSettings.from(config).rejoinAfterDown();
        this.nodeId = first.cluster.id().value();
        this.layer = first;
        this.newest = first;
        this.handler = new SwappableHandler(apiFor(first));
        this.nativeBackend = new NativeBackend(first.services.processor, first.services.schema, first.cluster.ringView());
    }

    public static SibylNode start(NodeSettings settings, Config config) throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(settings.dataDir());
        NodeTls tls = NodeTls.from(config);
        // The ring record advertises the HTTP port before it is bound: resolve "any port" first.
        int httpPort = settings.httpPort() == 0 ? freePort(settings.httpHost()) : settings.httpPort();
        Config localConfig = config.withValue("pekko.http.server.request-timeout",
                ConfigValueFactory.fromAnyRef(settings.requestTimeout().toMillis() + "ms"));
        ActorSystem<Void> localSystem = ActorSystem.create(Behaviors.empty(), LOCAL_SYSTEM_NAME, localConfig);
        try {
            NodeMetrics metrics = new NodeMetrics(settings.nodeName());
            CoordinatedShutdown.get(localSystem).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "metrics-close",
                    () -> CompletableFuture.supplyAsync(() -> { metrics.close(); return Done.getInstance(); }));
            NodeStorage storage = NodeStorage.open(settings, config, localSystem);
            metrics.bindStorage(storage.engine);
            metrics.bindStreaming(storage.streams);
            metrics.bindDispatchers(storage.pools);
            SibylNode[] self = new SibylNode[1];
            // A node that has been a member before rejoins through the others and never joins itself first:
            // a restarted first seed would otherwise form a second cluster beside the running one.
            boolean rejoining = restartsAsMember(config);
            // a layer that shuts down before the node is built has no API to detach from yet
            ClusterLayer first = ClusterLayer.start(settings, config, storage, httpPort, tls, rejoining, () -> {
                if (self[0] != null) self[0].detach();
            });
            SibylNode node = new SibylNode(settings, config, localSystem, storage, metrics, httpPort, tls, first);
            self[0] = node;
            storage.pools.actorSystems(() -> {
                ClusterLayer l = node.layer;
                return l == null ? List.of(localSystem) : List.of(localSystem, l.system);
            });
            metrics.bindHints(() -> {
                ClusterLayer l = node.layer;
                return l == null ? List.of() : l.services.hints.stats();
            });
            ServerBuilder server = Http.get(localSystem).newServerAt(settings.httpHost(), httpPort);
            if (node.tls.http()) {
                server = server.enableHttps(node.tls.httpsServer());
            }
            node.binding = server
                    .bind(new AdmissionLimit(node.handler, settings.maxConcurrentRequests(),
                            Materializer.matFromSystem(localSystem)))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            CoordinatedShutdown.get(localSystem).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
                    () -> node.binding.unbind().thenApply(x -> Done.getInstance()));
            // The CQL native protocol (sibyl.cql.port, 0 = off), on the same executor as POST /v1/cql. It lives
            // here, not in the cluster layer: a layer restart swaps its services and drivers stay connected.
            node.nativeServer = NativeProtocolServer.startForNode(localSystem, config, node.nativeBackend,
                    ClusterSettings.SYSTEM_NAME, httpPort, settings.parsedStatementCacheSize(), tls);
            if (node.nativeServer != null) {
                node.nativeServer.readPool().ifPresent(p -> storage.pools.register("Native-Transport-Reads", p));
            }
            // The cluster layer goes down before the storage flushes and closes.
            CoordinatedShutdown.get(localSystem).addTask(CoordinatedShutdown.PhaseServiceStop(), "cluster-layer-stop",
                    () -> node.stopClusterLayer());
            Thread supervisor = new Thread(node::superviseClusterLayer, "sibyl-cluster-layer-supervisor");
            supervisor.setDaemon(true);
            supervisor.start();
            log.info("Sibyl node {} ({}) serving {} on {} (data in {}), started in {} ms",
                    settings.nodeName(), node.nodeId, node.tls.http() ? "HTTPS" : "HTTP", node.binding.localAddress(), settings.dataDir(),
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
            first.cluster.awaitUp(Duration.ofDays(365)).thenRun(() -> log.info("node {} joined the cluster; ready {} ms after start",
                    node.nodeId, Duration.ofNanos(System.nanoTime() - t0).toMillis()));
            return node;
        } catch (Exception e) {
            // One clear line for the operator (e.g. a corrupt commit log naming file and offset); the trace follows.
            log.error("Sibyl node {} failed to start: {}", settings.nodeName(), e.getMessage());
            localSystem.terminate();
            throw e;
        }
    }

    /**
     * Whether this node's first cluster layer rejoins: it has an identity (it has been a member) and someone
     * to rejoin through (a configured seed other than itself, or a node it last saw).
     */
    static boolean restartsAsMember(Config config) {
        ClusterSettings cs = ClusterSettings.from(config);
        if (!Files.exists(NodeIdentity.file(cs.dataDir()))) {
            return false;
        }
        List<ClusterSettings.HostPort> peers = KnownPeers.read(cs.dataDir());
        if (!cs.hasOtherSeeds(peers)) {
            return false;
        }
        log.info("this node has been a cluster member before: it rejoins through the other seeds {} and the nodes it "
                + "last saw {}, and does not form a cluster of its own (attempts of {} s)", cs.seeds(), peers,
                cs.rejoinAttempt().toSeconds());
        return true;
    }

    /** The API while {@code l} serves: the node's and the storage's routes, and the layer's. */
    private HttpApi apiFor(ClusterLayer l) {
        HttpApi api = nodeApi(() -> isServing(l.cluster.ringView().current()), () -> l.cluster.ringView().current().isSelfUp());
        api.withAccess(new HttpAccess(l.services.auth, l.services.auth.settings().metricsOpen()));
        metrics.bindCoordinator(l.services.coordinator); // each layer's coordinator counts into the same per-table meters
        l.registerRoutes(api);
        return api;
    }

    /**
     * The API while no cluster layer serves: local reads a single replica may answer, from the last ring
     * view the layer had; {@code /v1/cluster} as the layer last saw it; every other request UNAVAILABLE at
     * once (see {@link DetachedCoordinator}).
     */
    private HttpApi detachedApi(ClusterLayer last) {
        RingView lastView = last.cluster.ringView().current();
        HttpApi api = nodeApi(() -> false, () -> false);
        // Roles cannot be read while no cluster layer serves: with authentication on, only the open routes answer.
        AuthSettings auth = AuthSettings.from(config);
        if (auth.enabled()) {
            api.withAccess(new HttpAccess(null, auth.metricsOpen()));
        }
        SchemaStore schema = new DetachedSchemaStore(storage.localSchema);
        CqlContext ctx = new CqlContext(schema, new DetachedCoordinator(lastView, schema, storage.replica), new MicrosClock(),
                settings.maxValueBytes(), 5000);
        QueryProcessor processor = new QueryProcessor(ctx, settings.parsedStatementCacheSize(),
                t -> CompletableFuture.failedFuture(new ClusterLayerAwayException("TRUNCATE")));
        ConsistencyLevel defaultCl = ConsistencyLevel.parse(settings.defaultConsistency());
        new CqlRoute(processor, defaultCl).register(api);
        nativeBackend.detach(processor, schema, lastView);
        new SchemaRoutes(schema).register(api);
        new RowRoutes(schema, processor.modifications(), processor.selects(), defaultCl).register(api);
        // the ended layer's ring holder and health board are no longer updated: its last view
        new ClusterRoutes(last.cluster.ringView(), schema, last.services.health, last.cluster.topology()).register(api);
        api.otherwise(r -> {
            throw new ClusterLayerAwayException(r.http().method().value() + " " + r.http().getUri().path());
        });
        return api;
    }

    /**
     * Routes every API has: health, readiness, metrics, and those of the storage. {@code /ready} is 200 once
     * the node serves (UN); its {@code member} says whether it is an up cluster member at all, which a
     * bootstrapping (UJ), leaving or moving node also is though not ready (the rejoin census counts it).
     */
    private HttpApi nodeApi(java.util.function.BooleanSupplier joined, java.util.function.BooleanSupplier member) {
        HttpApi api = new HttpApi(Materializer.matFromSystem(localSystem), settings.maxRequestBytes(), metrics.http())
                .withTimeouts(settings.requestTimeout(), settings.adminRequestTimeout());
        metrics.registerRoute(api);
        storage.registerRoutes(api);
        new DashboardRoutes().register(api);
        api.get("/health", r -> Responses.doneOk(Map.of("status", "UP", "node", settings.nodeName(), "id", nodeId)));
        api.get("/ready", r -> Responses.done(joined.getAsBoolean()
                ? Responses.ok(Map.of("status", "READY", "id", nodeId, "member", true))
                : Responses.json(503, Map.of("status", "JOINING", "id", nodeId, "member", member.getAsBoolean()))));
        return api;
    }

    /** The serving layer is shutting down: requests go to the detached API from now on. */
    private void detach() {
        ClusterLayer l = layer;
        if (l == null) {
            return;
        }
        layer = null;
        handler.set(detachedApi(l));
        log.warn("node {}: cluster layer shutting down; until a new one serves, local reads at ONE are served and the rest answers UNAVAILABLE", nodeId);
    }

    /**
     * Runs on its own thread for the life of the node: waits for the cluster layer to end and, when the
     * cluster downed it (rejoin_after_down), starts a fresh one joining through the other seeds.
     */
    private void superviseClusterLayer() {
        try {
            while (true) {
                ClusterLayer current = newest;
                ClusterLayer.End end = current.awaitEnd();
                if (stopping) {
                    return;
                }
                boolean rejoin = true;
                if (end == ClusterLayer.End.STOPPED || (end == ClusterLayer.End.DOWNED && !rejoinAfterDown)) {
                    log.warn("node {}: cluster layer ended ({}); stopping the node", nodeId, end);
                    stop();
                    return;
                } else if (end == ClusterLayer.End.DOWNED) {
                    log.warn("node {} was downed by the cluster; restarting its cluster layer and rejoining through the seeds", nodeId);
                } else if (current.isFirstSeed() && current.othersFormNoCluster()) {
                    // the others restarted after a crash and wait for this node (the first seed) to form the
                    // cluster; only the first seed may, so that a whole-cluster restart forms exactly one
                    log.warn("node {} could not rejoin, and the nodes that answer are not cluster members: "
                            + "starting as a seed again", nodeId);
                    rejoin = false;
                } else {
                    log.warn("node {} could not rejoin within {} s; trying again with a fresh cluster layer",
                            nodeId, ClusterSettings.from(config).rejoinAttempt().toSeconds());
                }
                RingView last = current.cluster.ringView().current();
                ClusterLayer next = restartClusterLayer(rejoin);
                newest = next;
                awaitRingKnown(next, last);
                if (stopping) {
                    next.stop();
                    return;
                }
                layer = next;
                handler.set(apiFor(next));
                nativeBackend.attach(next.services.processor, next.services.schema, next.cluster.ringView());
                log.info("node {}: new cluster layer serves requests (ring of {} nodes)", nodeId,
                        next.cluster.ringView().current().ring().nodeCount());
            }
        } catch (Exception e) {
            log.error("node {}: the cluster layer could not be restarted; stopping the node", nodeId, e);
            stop();
        }
    }

    /** Starts a cluster layer again, retrying while the old system's ports are released. */
    private ClusterLayer restartClusterLayer(boolean rejoining) throws Exception {
        Exception last = null;
        for (int attempt = 1; attempt <= RESTART_ATTEMPTS && !stopping; attempt++) {
            try {
                return ClusterLayer.start(settings, config, storage, httpPort, tls, rejoining, this::detach);
            } catch (Exception e) {
                last = e;
                log.warn("restart attempt {} of the cluster layer of node {} failed: {}", attempt, nodeId, e.toString());
                Thread.sleep(1000L * attempt);
            }
        }
        throw last != null ? last : new IllegalStateException("node stopping");
    }

    /**
     * A fresh layer reads the ring from its durable store in the background: it takes the requests once it
     * knows as many nodes as the old layer did (or has joined), so that it never coordinates with a ring
     * of itself alone; the detached API serves meanwhile.
     */
    private void awaitRingKnown(ClusterLayer next, RingView previous) throws InterruptedException {
        long deadline = System.nanoTime() + RING_WAIT.toNanos();
        int known = previous.ring().nodeCount();
        while (!stopping && System.nanoTime() < deadline) {
            RingView v = next.cluster.ringView().current();
            if (v.isSelfUp() || v.ring().nodeCount() >= known) {
                return;
            }
            Thread.sleep(100);
        }
        log.warn("node {}: new cluster layer does not know the ring after {} s; it takes the requests anyway",
                nodeId, RING_WAIT.toSeconds());
    }

    private CompletionStage<Done> stopClusterLayer() {
        stopping = true;
        ClusterLayer l = newest;
        return l == null ? CompletableFuture.completedFuture(Done.getInstance()) : l.stop();
    }

    /** Ready once this node is UN: a member, and NORMAL in the cluster metadata (a joining node is UJ until its bootstrap has finished). */
    private static boolean isServing(io.sibyl.actors.cluster.RingView view) {
        return view.isSelfUp() && view.state(view.selfId()) == io.sibyl.actors.cluster.NodeState.UN;
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
        NativeProtocolServer s = nativeServer;
        return s == null ? 0 : s.localAddress().getPort();
    }

    /** Waits until the node has joined its cluster and knows its own ring record (what /ready reports). */
    public void awaitReady(Duration timeout) throws Exception {
        newest.cluster.awaitUp(timeout).toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /** The current cluster layer's membership and ring (the newest one, while a new one is starting). */
    public ClusterNode cluster() {
        return newest.cluster;
    }

    /** The CQL native protocol server, or null when disabled. */
    public NativeProtocolServer nativeServer() {
        return nativeServer;
    }

    /** The newest cluster layer's actor system (tests down it to make the node restart its layer). */
    ActorSystem<Void> clusterSystem() {
        return newest.system;
    }

    public NodeSettings settings() {
        return settings;
    }

    /** Waits until the node has stopped (SIGTERM, stop(), or a cluster layer that could not be restarted). */
    public void awaitTermination() throws Exception {
        localSystem.getWhenTerminated().toCompletableFuture().get();
    }

    /** Clean shutdown (the same path SIGTERM takes): unbind, stop the cluster layer, flush, close. */
    public CompletableFuture<Done> stop() {
        stopping = true;
        return CoordinatedShutdown.get(localSystem)
                .runAll(CoordinatedShutdown.unknownReason())
                .toCompletableFuture();
    }

    /** The schema while detached: readable; a change needs the cluster and is refused. */
    private record DetachedSchemaStore(SchemaStore local) implements SchemaStore {
        @Override
        public Schema current() {
            return local.current();
        }

        @Override
        public CompletionStage<Schema> update(UnaryOperator<Schema> change) {
            return CompletableFuture.failedFuture(new ClusterLayerAwayException("a schema change"));
        }

        /** The detached API lives seconds, and the schema does not change meanwhile: nothing to tell. */
        @Override
        public void addListener(Consumer<Schema> listener) {
        }
    }
}
