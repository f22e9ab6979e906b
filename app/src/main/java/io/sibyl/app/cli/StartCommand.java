package io.sibyl.app.cli;

import com.typesafe.config.Config;
import io.sibyl.app.node.NodeSettings;
import io.sibyl.app.node.SibylNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sibyl start}: runs one node in the foreground until SIGTERM/SIGINT. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Run a Sibyl node in the foreground.")
public final class StartCommand implements Callable<Integer> {

    @Option(names = "--http-port", description = "HTTP port (default 8080)")
    Integer httpPort;

    @Option(names = "--http-host", description = "HTTP address to bind (default 127.0.0.1)")
    String httpHost;

    @Option(names = "--data-dir", description = "Data directory (default ./data)")
    Path dataDir;

    @Option(names = "--config", description = "A sibyl.conf-style HOCON file (default: config/sibyl.conf if present)")
    Path configFile;

    @Option(names = "--node-name", description = "This node's name (default: derived from host and port)")
    String nodeName;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (httpPort != null) flags.put("sibyl.http.port", httpPort);
        if (httpHost != null) flags.put("sibyl.http.host", httpHost);
        if (dataDir != null) flags.put("sibyl.data_dir", dataDir.toString());
        if (nodeName != null) flags.put("sibyl.node_name", nodeName);
        Config config = ConfigLoader.load(configFile, flags);
        SibylNode node = SibylNode.start(NodeSettings.from(config), config);
        node.awaitTermination();
        return 0;
    }
}
