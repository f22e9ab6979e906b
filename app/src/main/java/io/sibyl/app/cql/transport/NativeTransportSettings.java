package io.sibyl.app.cql.transport;

import com.typesafe.config.Config;

/**
 * The {@code sibyl.cql} section: where the native protocol server listens and its limits.
 *
 * @param port                      0 disables the server
 * @param maxFrameBytes             a frame body over this closes the connection (native_transport_max_frame_size)
 * @param maxConcurrentPerConnection requests of one connection in flight at once; more wait in the socket
 * @param preparedStatementsCacheSize prepared statements kept; the least recently used beyond it are evicted
 * @param ioThreads                 the server's Netty event loops, which read, execute and answer requests
 * @param readThreads               threads that execute SELECTs (0: the event loop executes them itself)
 */
public record NativeTransportSettings(String host, int port, long maxFrameBytes, int maxConcurrentPerConnection,
                                      int preparedStatementsCacheSize, int ioThreads, int readThreads) {

    public static NativeTransportSettings from(Config config) {
        Config c = config.getConfig("sibyl.cql");
        String host = c.getString("host");
        if (host.isBlank()) {
            host = config.getString("sibyl.http.host");
        }
        int maxConcurrent = c.getInt("max_concurrent_requests_per_connection");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("sibyl.cql.max_concurrent_requests_per_connection must be at least 1, got "
                    + maxConcurrent);
        }
        return new NativeTransportSettings(host, c.getInt("port"), c.getBytes("max_frame_size"), maxConcurrent,
                c.getInt("prepared_statements_cache_size"), ioThreads(c.getInt("io_threads")),
                readThreads(c.getString("read_threads")));
    }

    /** {@code read_threads}: "auto" (one per core), or a count; 0 executes reads on the event loops. */
    static int readThreads(String configured) {
        if (configured.trim().equals("auto")) {
            return Runtime.getRuntime().availableProcessors();
        }
        int n;
        try {
            n = Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sibyl.cql.read_threads must be auto or a count, got " + configured, e);
        }
        if (n < 0) {
            throw new IllegalArgumentException("sibyl.cql.read_threads must not be negative, got " + n);
        }
        return n;
    }

    /** {@code io_threads}, where 0 means one per core; at least 1. */
    static int ioThreads(int configured) {
        return Math.max(1, configured > 0 ? configured : Runtime.getRuntime().availableProcessors());
    }

    public boolean enabled() {
        return port > 0;
    }
}
