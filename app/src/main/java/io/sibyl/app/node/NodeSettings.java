package io.sibyl.app.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** The node process's own settings (the {@code sibyl} section), read once at start. */
public record NodeSettings(
        String nodeName,
        Path dataDir,
        String httpHost,
        int httpPort,
        long maxRequestBytes,
        long maxValueBytes,
        Duration requestTimeout,
        Duration adminRequestTimeout,
        int maxConcurrentRequests,
        String defaultConsistency,
        int parsedStatementCacheSize) {

    public static NodeSettings from(Config config) {
        Config s = config.getConfig("sibyl");
        String host = s.getString("http.host");
        int port = s.getInt("http.port");
        String name = s.getString("node_name");
        if (name.isBlank()) name = host + ":" + port;
        return new NodeSettings(
                name,
                Path.of(s.getString("data_dir")).toAbsolutePath().normalize(),
                host,
                port,
                s.getBytes("http.max_request_bytes"),
                s.getBytes("http.max_value_bytes"),
                s.getDuration("http.request_timeout"),
                s.getDuration("http.admin_request_timeout"),
                s.getInt("http.max_concurrent_requests"),
                s.getString("default_consistency"),
                s.getInt("parsed_statement_cache_size"));
    }
}
