package io.sibyl.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where this node lives in the cluster: the {@code sibyl.cluster} section plus {@code sibyl.data_dir}.
 *
 * <p>{@link #toPekkoConfig()} turns these into the Pekko settings that depend on them. The
 * cluster provider itself is switched on there and not in reference.conf, so that every other
 * ActorSystem on the class path (unit tests, tools) stays local and does not try to bind port 7000.
 *
 * @param host            address the node binds and advertises for inter-node traffic
 * @param port            inter-node (Artery TCP) port
 * @param seeds           {@code host:port} of the seed nodes; empty means this node seeds itself
 * @param dc              data center name (fixed at first start)
 * @param rack            rack name (fixed at first start)
 * @param numTokens       vnodes per node (fixed at first start)
 * @param dataDir         the node's data directory; cluster state lives under {@code system/}
 * @param exitJvmOnShutdown whether Pekko's coordinated shutdown ends the JVM (see reference.conf:
 *                        a node downed by the split brain resolver must not linger as a zombie)
 * @param ringWriteTimeout how long a ring metadata write waits for a majority before settling for
 *                        the local write that gossip spreads later
 * @param rejoinAfterDown whether a node that the cluster downed (split brain resolver) restarts its
 *                        actor system in the same process and rejoins through the seeds, instead of
 *                        ending (see {@code sibyl start}); while it is out it still serves what needs
 *                        only its own replicas
 * @param faultInjection  test only: Artery test mode, so that {@link PartitionSwitch} can cut this
 *                        node off from others (a network partition without root or netns)
 * @param rejoining       this actor system replaces one the cluster downed: join through the seeds
 *                        other than this node, never form a cluster of its own (no split brain)
 * @param allocateTokensRf the replication factor a new node joining a ring with NORMAL nodes evens its
 *                        tokens out for ({@code allocate_tokens_for_local_replication_factor}, Cassandra
 *                        4+); 0 = random tokens
 * @param replaceNode     the id of the dead node a new node (empty data directory) replaces, taking its
 *                        tokens ({@code sibyl start --replace}); null for none
 * @param rejoinPeers     when rejoining: the other nodes this node last saw ({@link KnownPeers}), joined
 *                        through besides the configured seeds other than itself
 * @param rejoinAttempt   how long one actor system of a rejoining node tries to join before a fresh one
 *                        takes over ({@code sibyl.cluster.rejoin_attempt})
 */
public record ClusterSettings(
        String host,
        int port,
        List<HostPort> seeds,
        String dc,
        String rack,
        int numTokens,
        Path dataDir,
        boolean exitJvmOnShutdown,
        Duration ringWriteTimeout,
        boolean rejoinAfterDown,
        boolean faultInjection,
        boolean rejoining,
        int allocateTokensRf,
        String replaceNode,
        List<HostPort> rejoinPeers,
        Duration rejoinAttempt) {

    /**
     * JVM flags a node needs: the durable ring store (Pekko Distributed Data on LMDB, via lmdbjava)
     * reads the address of direct buffers from java.nio internals. Without them the store fails
     * with a fatal error that ends the JVM, so {@link #toPekkoConfig()} checks first.
     */
    public static final List<String> JVM_FLAGS = List.of(
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    /** Default of {@code sibyl.cluster.rejoin_attempt}: how long one actor system of a rejoining node tries to join. */
    public static final Duration REJOIN_ATTEMPT = Duration.ofSeconds(20);

    /** The ActorSystem name every Sibyl node uses; seed addresses are built with it. */
    public static final String SYSTEM_NAME = "sibyl";

    /** A {@code host:port} pair. */
    public record HostPort(String host, int port) {
        public HostPort {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** Parses {@code host:port} or {@code [ipv6]:port}. */
        public static HostPort parse(String text) {
            String s = text.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException("seed must be host:port, was '" + text + "'");
            }
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seed must be host:port, was '" + text + "'");
            }
            return new HostPort(host, port);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public ClusterSettings {
        Objects.requireNonNull(host, "host");
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(dc, "dc");
        Objects.requireNonNull(rack, "rack");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(ringWriteTimeout, "ringWriteTimeout");
        if (host.isBlank()) {
            throw new IllegalArgumentException("sibyl.cluster.host must not be blank");
        }
        // 0 lets the OS pick (tests only: seeds could not find such a node).
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sibyl.cluster.port out of range: " + port);
        }
        if (dc.isBlank() || rack.isBlank()) {
            throw new IllegalArgumentException("sibyl.cluster.dc and sibyl.cluster.rack must not be blank");
        }
        if (numTokens < 1 || numTokens > 1024) {
            throw new IllegalArgumentException("sibyl.cluster.num_tokens must be in 1..1024, was " + numTokens);
        }
        if (allocateTokensRf < 0) {
            throw new IllegalArgumentException("sibyl.cluster.allocate_tokens_for_local_replication_factor must be "
                    + ">= 0 (0 = random tokens), was " + allocateTokensRf);
        }
        rejoinPeers = List.copyOf(rejoinPeers);
        Objects.requireNonNull(rejoinAttempt, "rejoinAttempt");
        if (rejoinAttempt.isNegative() || rejoinAttempt.isZero()) {
            throw new IllegalArgumentException("sibyl.cluster.rejoin_attempt must be positive, was " + rejoinAttempt);
        }
        if (replaceNode != null && replaceNode.isBlank()) {
            replaceNode = null;
        }
    }

    /** Reads {@code sibyl.cluster.*} and {@code sibyl.data_dir}. */
    public static ClusterSettings from(Config config) {
        Config c = config.getConfig("sibyl.cluster");
        return new ClusterSettings(
                c.getString("host"),
                c.getInt("port"),
                seeds(c),
                c.getString("dc"),
                c.getString("rack"),
                c.getInt("num_tokens"),
                Path.of(config.getString("sibyl.data_dir")).toAbsolutePath().normalize(),
                c.getBoolean("exit_jvm_on_shutdown"),
                c.getDuration("ring_write_timeout"),
                c.getBoolean("rejoin_after_down"),
                c.getBoolean("fault_injection"),
                false,
                c.hasPath("allocate_tokens_for_local_replication_factor")
                        ? c.getInt("allocate_tokens_for_local_replication_factor") : 3,
                config.hasPath("sibyl.topology.replace_node") ? config.getString("sibyl.topology.replace_node") : null,
                List.of(),
                c.hasPath("rejoin_attempt") ? c.getDuration("rejoin_attempt") : REJOIN_ATTEMPT);
    }

    /** The settings for an actor system that replaces one the cluster downed (see {@code rejoining}). */
    public ClusterSettings forRejoin() {
        return forRejoin(List.of());
    }

    /**
     * The settings for an actor system that joins a cluster this node was a member of before (downed, or
     * the process restarted): through the configured seeds other than itself and {@code peers}, the
     * other nodes it last saw; never by joining itself.
     */
    public ClusterSettings forRejoin(List<HostPort> peers) {
        return new ClusterSettings(host, port, seeds, dc, rack, numTokens, dataDir, exitJvmOnShutdown,
                ringWriteTimeout, rejoinAfterDown, faultInjection, true, allocateTokensRf, replaceNode, peers,
                rejoinAttempt);
    }

    /**
     * Whether a restarted node has anyone to rejoin through: a configured seed other than itself, or
     * one of {@code peers}. Without, it is a one-node cluster and forms it again itself.
     */
    public boolean hasOtherSeeds(List<HostPort> peers) {
        return !othersThan(seeds).isEmpty() || !othersThan(peers).isEmpty();
    }

    /**
     * Whether this node is the first seed ({@code seeds} empty or naming this node first): the only node
     * Pekko lets form a cluster by joining itself, and so the only one the rejoin census may let do so.
     */
    public boolean isFirstSeed() {
        return seeds.isEmpty() || isSelf(seeds.get(0));
    }

    private boolean isSelf(HostPort hp) {
        return hp.port() == port && hp.host().equals(host);
    }

    private List<HostPort> othersThan(List<HostPort> list) {
        return list.stream().filter(hp -> !isSelf(hp)).toList();
    }

    // The command line passes "a:1,b:2" as one string; config files write a list. Accept both.
    private static List<HostPort> seeds(Config c) {
        List<String> raw = new ArrayList<>();
        if (c.getValue("seeds").valueType() == ConfigValueType.LIST) {
            raw.addAll(c.getStringList("seeds"));
        } else {
            for (String s : c.getString("seeds").split(",")) {
                raw.add(s);
            }
        }
        List<HostPort> out = new ArrayList<>();
        for (String s : raw) {
            if (!s.isBlank()) {
                out.add(HostPort.parse(s));
            }
        }
        return out;
    }

    /**
     * The seed node addresses; this node alone when no seeds are configured. When rejoining, the
     * seeds other than this node (if there are any): a downed node that joined itself would form a
     * second cluster that never merges with the first.
     */
    public List<String> seedAddresses() {
        List<HostPort> list = seeds.isEmpty() ? List.of(new HostPort(host, port)) : seeds;
        if (rejoining) {
            java.util.LinkedHashSet<HostPort> others = new java.util.LinkedHashSet<>(othersThan(list));
            others.addAll(othersThan(rejoinPeers));
            if (!others.isEmpty()) {
                list = List.copyOf(others);
            }
        }
        List<String> out = new ArrayList<>();
        for (HostPort hp : list) {
            out.add("pekko://" + SYSTEM_NAME + "@" + hp);
        }
        return out;
    }

    /** Where the node's cluster metadata lives: {@code <data_dir>/system}. */
    public Path systemDir() {
        return dataDir.resolve("system");
    }

    /**
     * The Pekko settings that follow from these: cluster provider, Artery TCP on host/port, seed
     * nodes, the durable distributed-data directory, and whether shutdown exits the JVM. Use as
     * {@code settings.toPekkoConfig().withFallback(config)}.
     *
     * @throws IllegalStateException if this JVM was started without {@link #JVM_FLAGS}
     */
    public Config toPekkoConfig() {
        requireJvmFlags();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pekko.actor.provider", "cluster");
        m.put("pekko.remote.artery.transport", "tcp");
        m.put("pekko.remote.artery.canonical.hostname", host);
        m.put("pekko.remote.artery.canonical.port", port);
        m.put("pekko.cluster.seed-nodes", port == 0 && seeds.isEmpty() ? List.of() : seedAddresses());
        // A path not ending in "ddata" is used as is; one that does would get the port appended,
        // and a node whose port changed would then forget the ring it had stored.
        m.put("pekko.cluster.distributed-data.durable.lmdb.dir",
                systemDir().resolve("ddata").resolve("lmdb").toString());
        // With rejoin_after_down, `sibyl start` decides after the actor system ended: restart when the
        // cluster downed it, else end the process.
        // A rejoining system whose join fails must not end the JVM either: the node tries again and may
        // form the cluster after the rejoin census; `sibyl start` ends the process when the node stops.
        m.put("pekko.coordinated-shutdown.exit-jvm", exitJvmOnShutdown && !rejoinAfterDown && !rejoining ? "on" : "off");
        if (faultInjection) {
            m.put("pekko.remote.artery.advanced.test-mode", "on");
        }
        if (rejoining) {
            // A rejoining node whose join does not go through in this long ends this actor system, and
            // `sibyl start` starts a fresh one (new connections, new handshakes) to try again.
            m.put("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes", rejoinAttempt.toMillis() + "ms");
        }
        return ConfigFactory.parseMap(m, "sibyl.cluster settings");
    }

    /** Fails with the flags to add when the durable store could not work in this JVM. */
    public static void requireJvmFlags() {
        Module javaBase = java.nio.Buffer.class.getModule();
        Module self = ClusterSettings.class.getModule();
        if (!javaBase.isOpen("java.nio", self) || !javaBase.isOpen("sun.nio.ch", self)) {
            throw new IllegalStateException("This JVM cannot run a Sibyl cluster node: the durable ring store "
                    + "(Pekko Distributed Data on LMDB) needs the JVM flags " + String.join(" ", JVM_FLAGS)
                    + " (the sibyl.jar manifest carries them for java -jar; add them when using -cp).");
        }
    }
}
