package io.sibyl.app.node;

import com.typesafe.config.Config;
import io.sibyl.app.cli.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starts real nodes inside a test JVM: one-node clusters on free ports whose shutdown leaves the JVM running. */
public final class TestNodes {
    private TestNodes() {
    }

    /** The node settings for a test: HTTP and cluster on any free port, data in {@code dataDir}, then {@code extra}. */
    public static Config config(Path dataDir, Map<String, Object> extra) {
        Map<String, Object> flags = new HashMap<>();
        flags.put("sibyl.http.port", 0);
        flags.put("sibyl.data_dir", dataDir.toString());
        flags.put("sibyl.cluster.port", 0);
        flags.put("sibyl.cql.port", 0); // off unless a test asks: nodes of parallel tests would share 9042
        flags.put("sibyl.cluster.exit_jvm_on_shutdown", "off");
        flags.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        flags.putAll(extra);
        return ConfigLoader.load(null, flags);
    }

    /** Starts a node with {@link #config} and waits until it has joined its one-node cluster. */
    public static SibylNode start(Path dataDir, Map<String, Object> extra) throws Exception {
        Config config = config(dataDir, extra);
        SibylNode node = SibylNode.start(NodeSettings.from(config), config);
        node.awaitReady(Duration.ofSeconds(30));
        return node;
    }

    /** A port free now (for the CQL port, which the node cannot take as 0 and report). */
    public static int freePort() throws java.io.IOException {
        return io.sibyl.launcher.NodePorts.restartSafe();
    }

    /**
     * The settings of a node with PasswordAuthenticator and CassandraAuthorizer (cheap bcrypt, failed logins not
     * throttled below 1,000 a minute), then {@code extra}.
     */
    public static Map<String, Object> passwordAuth(Map<String, Object> extra) {
        Map<String, Object> flags = new HashMap<>();
        flags.put("sibyl.auth.authenticator", "PasswordAuthenticator");
        flags.put("sibyl.auth.authorizer", "CassandraAuthorizer");
        flags.put("sibyl.auth.bcrypt_cost", 4);
        flags.put("sibyl.auth.max_failed_logins_per_minute", 1000);
        flags.putAll(extra);
        return flags;
    }

    /** The generated password of the superuser {@code sibyl}, once the node has written it (within 30 s). */
    public static String initialSuperuserPassword(Path dataDir) throws Exception {
        Path file = dataDir.resolve("initial-superuser-password");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!java.nio.file.Files.exists(file) || java.nio.file.Files.readString(file).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no initial superuser password file in " + dataDir);
            }
            Thread.sleep(50);
        }
        return java.nio.file.Files.readString(file).strip();
    }

    /**
     * Makes the cluster down {@code node} (as the split brain resolver would): its cluster layer ends and,
     * with rejoin_after_down, the node starts a fresh one in the same process. Returns the ended layer's
     * membership, to tell it from the next one.
     */
    public static io.sibyl.actors.cluster.ClusterNode downClusterLayer(SibylNode node) {
        io.sibyl.actors.cluster.ClusterNode before = node.cluster();
        var cluster = org.apache.pekko.cluster.typed.Cluster.get(node.clusterSystem());
        cluster.manager().tell(new org.apache.pekko.cluster.typed.Down(cluster.selfMember().address()));
        return before;
    }
}
