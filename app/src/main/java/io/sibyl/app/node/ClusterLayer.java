package io.sibyl.app.node;

import com.typesafe.config.Config;
import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.actors.cluster.ClusterSettings;
import io.sibyl.actors.cluster.KnownPeers;
import io.sibyl.actors.cluster.PartitionSwitch;
import io.sibyl.actors.hints.HintSettings;
import io.sibyl.actors.tls.TlsSettings;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.routes.FaultRoutes;
import io.sibyl.app.tls.NodeTls;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a node that a membership event may restart: the clustered actor system (a Pekko Cluster
 * member) with the membership and ring keeper, the replica actors, the coordinator's messaging, hints
 * and repair ({@link NodeServices}). When the cluster downs the node, this whole layer ends and
 * {@link SibylNode} starts a fresh one in the same process; the HTTP listener, the CQL native protocol
 * server and {@link NodeStorage} stay (docs/adr: "long-lived node, swappable cluster layer").
 */
final class ClusterLayer {
    private static final Logger log = LoggerFactory.getLogger(ClusterLayer.class);

    /** Why a cluster layer's actor system ended. */
    enum End {
        /** The cluster downed this node (split brain resolver, operator): it may rejoin as itself. */
        DOWNED,
        /** A rejoining layer could not reach any seed in time: another may try with a fresh system. */
        JOIN_FAILED,
        /** Stopped (SIGTERM, stop()) or failed otherwise. */
        STOPPED
    }

    final ActorSystem<Void> system;
    final ClusterNode cluster;
    final NodeServices services;
    private final ClusterSettings clusterSettings;
    private final NodeTls tls;

    private ClusterLayer(ActorSystem<Void> system, ClusterNode cluster, NodeServices services, ClusterSettings clusterSettings,
                         NodeTls tls) {
        this.system = system;
        this.tls = tls;
        this.cluster = cluster;
        this.services = services;
        this.clusterSettings = clusterSettings;
    }

    /**
     * Starts a clustered actor system and its services over {@code storage}.
     *
     * @param rejoining   this node has been a member before (a layer the cluster downed, or a restarted
     *                    process with its data): join through the other seeds and known peers only,
     *                    never by joining itself (see {@link ClusterSettings#forRejoin(java.util.List)})
     * @param onShutdown  run first when this layer's system starts shutting down, for whatever reason
     *                    (the node then stops routing requests to it)
     */
    static ClusterLayer start(NodeSettings settings, Config config, NodeStorage storage, int httpPort, NodeTls tls,
                              boolean rejoining,
                              Runnable onShutdown) throws Exception {
        ClusterSettings base = ClusterSettings.from(config);
        ClusterSettings clusterSettings = rejoining ? base.forRejoin(KnownPeers.read(base.dataDir())) : base;
        // The hint journal's directory and the cluster's address are part of the actor system's config;
        // inter-node TLS (sibyl.cluster.tls.enabled) replaces the plain tcp transport ClusterSettings sets.
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME,
                HintSettings.from(config).toPekkoConfig()
                        .withFallback(TlsSettings.arteryConfig(config))
                        .withFallback(clusterSettings.toPekkoConfig())
                        .withFallback(config));
        try {
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "sibyl-detach-http",
                    () -> {
                        onShutdown.run();
                        return CompletableFuture.completedFuture(Done.getInstance());
                    });
            if (clusterSettings.faultInjection()) {
                log.warn("fault injection is ON (sibyl.cluster.fault_injection): for tests only");
                PartitionSwitch.apply(system);
            }
            // Joining runs in the background while the services start.
            // the native port is published with the node's other addresses (system.peers_v2 of every node)
            int nativePort = io.sibyl.app.cql.transport.NativeTransportSettings.from(config).port();
            ClusterNode cluster = ClusterNode.start(system, clusterSettings, settings.dataDir(), httpPort, nativePort, true);
            NodeServices services = NodeServices.start(settings, config, system, cluster, storage);
            return new ClusterLayer(system, cluster, services, clusterSettings, tls);
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
    }

    /** The routes this layer serves (on top of the node's own and the storage's). */
    void registerRoutes(HttpApi api) {
        services.registerRoutes(api);
        new io.sibyl.app.http.routes.PeerMetricsRoutes(cluster.ringView(), tls).register(api);
        if (clusterSettings.faultInjection()) {
            new FaultRoutes(system, services.coordinator).register(api);
        }
    }

    /** Waits until this layer's actor system has ended, and tells why (see rejoin_after_down). */
    End awaitEnd() throws Exception {
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

    CompletableFuture<Done> stop() {
        return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture();
    }

    /**
     * After a failed rejoin attempt: whether some other node of the ring answers over HTTP and none of
     * them is a cluster member, so that this node may form the cluster again (see {@link RejoinPolicy}).
     */
    boolean othersFormNoCluster() {
        RejoinPolicy.Census c = RejoinPolicy.census(cluster.ringView().current(), tls);
        log.info("rejoin census: {} other nodes answered, {} of them cluster members", c.answered(), c.members());
        return c.mayFormCluster();
    }

    /** Whether this node is the first seed: the only one the census may let form the cluster (see RejoinPolicy). */
    boolean isFirstSeed() {
        return clusterSettings.isFirstSeed();
    }
}
