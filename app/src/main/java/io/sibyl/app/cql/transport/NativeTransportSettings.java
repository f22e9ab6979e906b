package io.sibyl.app.cql.transport;

import com.typesafe.config.Config;

/**
 * The {@code sibyl.cql} section: where the native protocol server listens and its limits.
 *
 * @param port                      0 disables the server
 * @param maxFrameBytes             a frame body over this closes the connection (native_transport_max_frame_size)
 * @param maxConcurrentPerConnection requests of one connection in flight at once; more wait in the socket
 * @param preparedStatementsCacheSize prepared statements kept; the least recently used beyond it are evicted
 */
public record NativeTransportSettings(String host, int port, long maxFrameBytes, int maxConcurrentPerConnection,
                                      int preparedStatementsCacheSize) {

    public static NativeTransportSettings from(Config config) {
        Config c = config.getConfig("sibyl.cql");
        String host = c.getString("host");
        if (host.isBlank()) {
            host = config.getString("sibyl.http.host");
        }
        return new NativeTransportSettings(host, c.getInt("port"), c.getBytes("max_frame_size"),
                c.getInt("max_concurrent_requests_per_connection"), c.getInt("prepared_statements_cache_size"));
    }

    public boolean enabled() {
        return port > 0;
    }
}
