package io.sibyl.app.cli;

import com.typesafe.config.Config;
import io.sibyl.app.cql.auth.InsecureBindCheck;
import io.sibyl.app.node.NodeSettings;
import io.sibyl.app.node.SibylNode;
import io.sibyl.launcher.PidFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code sibyl start}: runs one cluster node in the foreground until SIGTERM/SIGINT. Without
 * {@code --seeds} the node seeds itself (a one-node cluster others can join).
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Run a Sibyl node in the foreground.")
public final class StartCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(StartCommand.class);

    @Option(names = "--http-port", description = "HTTP port (default 8080)")
    Integer httpPort;

    @Option(names = "--http-host", description = "HTTP address to bind (default 127.0.0.1)")
    String httpHost;

    @Option(names = "--cql-port", description = "CQL native protocol port for the Cassandra drivers and cqlsh (default 9042; 0 disables it)")
    Integer cqlPort;

    @Option(names = "--data-dir", description = "Data directory (default ./data)")
    Path dataDir;

    @Option(names = "--config", description = "A sibyl.conf-style HOCON file (default: config/sibyl.conf if present)")
    Path configFile;

    @Option(names = "--node-name", description = "This node's name in logs (default: derived from host and port)")
    String nodeName;

    @Option(names = "--cluster-port", description = "Inter-node (cluster) port (default 7000)")
    Integer clusterPort;

    @Option(names = "--cluster-host", description = "Address bound and advertised for inter-node traffic (default 127.0.0.1)")
    String clusterHost;

    @Option(names = "--seeds", description = "Seed nodes as host:port,host:port (default: none, this node forms its own cluster)")
    String seeds;

    @Option(names = "--dc", description = "Data center name, fixed at first start (default dc1)")
    String dc;

    @Option(names = "--allow-inconsistent-source", description = "When joining, fetch a range from another live "
            + "replica if the one that loses it is down (may miss writes only it acknowledged; repair afterwards)")
    boolean allowInconsistentSource;

    @Option(names = "--rack", description = "Rack name, fixed at first start (default rack1)")
    String rack;

    @Option(names = "--replace", paramLabel = "NODE_ID", description = "First start only (empty data directory): "
            + "take over the tokens of this dead NORMAL node and fetch its data from the other replicas before "
            + "serving reads (docs/operations.md, Replacing a dead node). Refused if that node is alive, unknown, "
            + "not NORMAL, or another topology change runs.")
    String replace;

    @Option(names = "--allow-insecure", description = "Start even though HTTP or the native protocol binds a "
            + "non-loopback address with authentication off (sibyl.auth.authenticator = AllowAllAuthenticator)")
    boolean allowInsecure;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (httpPort != null) flags.put("sibyl.http.port", httpPort);
        if (httpHost != null) flags.put("sibyl.http.host", httpHost);
        if (cqlPort != null) flags.put("sibyl.cql.port", cqlPort);
        if (dataDir != null) flags.put("sibyl.data_dir", dataDir.toString());
        if (nodeName != null) flags.put("sibyl.node_name", nodeName);
        if (clusterPort != null) flags.put("sibyl.cluster.port", clusterPort);
        if (clusterHost != null) flags.put("sibyl.cluster.host", clusterHost);
        if (seeds != null) flags.put("sibyl.cluster.seeds", seeds);
        if (dc != null) flags.put("sibyl.cluster.dc", dc);
        if (rack != null) flags.put("sibyl.cluster.rack", rack);
        if (allowInconsistentSource) flags.put("sibyl.topology.allow_inconsistent_source", true);
        if (replace != null) flags.put("sibyl.topology.replace_node", replace);
        Config config = ConfigLoader.load(configFile, flags);
        String insecure = InsecureBindCheck.problem(config);
        if (insecure != null) {
            if (!allowInsecure) {
                System.err.println("error: " + insecure);
                log.error("{}", insecure);
                return 2;
            }
            log.warn("--allow-insecure: {}", insecure);
        }
        NodeSettings settings = NodeSettings.from(config);
        // A node the cluster downs restarts its cluster layer in this process (SibylNode); HTTP and
        // storage stay. The process ends on SIGTERM, or when the cluster layer cannot be restarted.
        // before the node serves, so whoever sees it ready also finds its pid (first start is told by the
        // identity file, not by an empty directory)
        writePidFile(settings.dataDir());
        SibylNode node = SibylNode.start(settings, config);
        node.awaitTermination();
        if (node.cluster().topology().joinRefused()) {
            // e.g. a removed node started again: a failure for supervisors, not a clean stop (docs/operations.md)
            System.err.println("node refused by the cluster: " + node.cluster().topology().registration());
            return 1;
        }
        return 0;
    }

    /**
     * {@code <data dir>/sibyl.pid} (docs/operations.md): for supervisors and {@code sibyl verify --target-data-dirs}.
     * Written before the node starts serving; removed on any exit that runs shutdown hooks; after a kill -9 it
     * stays, and readers check the process lives.
     */
    private static void writePidFile(Path dataDir) throws java.io.IOException {
        Path file = PidFile.in(dataDir);
        long pid = ProcessHandle.current().pid();
        PidFile.write(file, pid);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                PidFile.deleteIfOwn(file, pid);
            } catch (java.io.IOException e) {
                log.warn("could not remove the pid file {}", file, e);
            }
        }, "sibyl-pid-file"));
    }
}
