package io.sibyl.actors.streaming;

import com.typesafe.config.Config;

import java.time.Duration;

/**
 * Range streaming settings ({@code sibyl.streaming}, documented in config/sibyl.conf).
 *
 * @param throughputOutboundBytesPerSec what one node sends at most, over all its outgoing streams together
 *                                      ({@code stream_throughput_outbound}, MiB/s; 0 unthrottled; see
 *                                      {@link OutboundThrottle})
 * @param chunkBytes                    payload bytes per chunk (each carries a CRC32); well below Artery's frame size
 * @param pieceBytes                    a partition larger than this travels as several mutations of about this size
 * @param idleTimeout                   a stream that delivers no chunk for this long fails (the source is stuck or gone)
 * @param requestTimeout                how long the source may take to accept a range request
 * @param parallelism                   how many ranges a node fetches at once from one source node
 *                                      ({@code sibyl.streaming.parallelism})
 */
public record StreamSettings(long throughputOutboundBytesPerSec, int chunkBytes, int pieceBytes, Duration idleTimeout,
                             Duration requestTimeout, int parallelism) {

    /** Default of {@code sibyl.streaming.parallelism}. */
    public static final int DEFAULT_PARALLELISM = 2;

    public StreamSettings(long throughputOutboundBytesPerSec, int chunkBytes, int pieceBytes, Duration idleTimeout,
                          Duration requestTimeout) {
        this(throughputOutboundBytesPerSec, chunkBytes, pieceBytes, idleTimeout, requestTimeout, DEFAULT_PARALLELISM);
    }

    public StreamSettings {
        if (throughputOutboundBytesPerSec < 0) {
            throw new IllegalArgumentException("stream_throughput_outbound must not be negative");
        }
        if (chunkBytes < 1024 || chunkBytes > 192 * 1024) {
            throw new IllegalArgumentException("streaming chunk_size must be between 1 KiB and 192 KiB, not " + chunkBytes);
        }
        if (pieceBytes < 1024) {
            throw new IllegalArgumentException("streaming partition_piece_size must be at least 1 KiB");
        }
        if (parallelism < 1 || parallelism > 64) {
            throw new IllegalArgumentException("sibyl.streaming.parallelism must be between 1 and 64, not " + parallelism);
        }
    }

    public static StreamSettings defaults() {
        return new StreamSettings(24L << 20, 64 * 1024, 256 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public static StreamSettings fromConfig(Config config) {
        Config c = config.getConfig("sibyl.streaming");
        double mib = c.getDouble("stream_throughput_outbound");
        if (mib < 0) {
            throw new IllegalArgumentException("sibyl.streaming.stream_throughput_outbound must not be negative, not " + mib);
        }
        return new StreamSettings((long) (mib * (1 << 20)), (int) c.getBytes("chunk_size").longValue(),
                (int) c.getBytes("partition_piece_size").longValue(), c.getDuration("idle_timeout"),
                c.getDuration("request_timeout"), c.hasPath("parallelism") ? c.getInt("parallelism") : DEFAULT_PARALLELISM);
    }

    public StreamSettings withThroughput(long bytesPerSec) {
        return new StreamSettings(bytesPerSec, chunkBytes, pieceBytes, idleTimeout, requestTimeout, parallelism);
    }

    public StreamSettings withParallelism(int n) {
        return new StreamSettings(throughputOutboundBytesPerSec, chunkBytes, pieceBytes, idleTimeout, requestTimeout, n);
    }
}
