package io.sibyl.app.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sibyl.actors.streaming.StreamSessions;

/**
 * Range streaming in /metrics: bytes and partitions this node received and sent for topology changes
 * (per session at GET /v1/admin/streams; session ids as labels would grow without bound).
 */
final class StreamingMetrics {
    private StreamingMetrics() {
    }

    static void bind(MeterRegistry registry, StreamSessions sessions) {
        FunctionCounter.builder("sibyl_streaming_received_bytes", sessions, StreamSessions::bytesReceived)
                .description("chunk bytes received by incoming range streams").baseUnit("bytes").register(registry);
        FunctionCounter.builder("sibyl_streaming_sent_bytes", sessions, StreamSessions::bytesSent)
                .description("chunk bytes sent by outgoing range streams").baseUnit("bytes").register(registry);
        FunctionCounter.builder("sibyl_streaming_received_partitions", sessions, StreamSessions::partitionsReceived)
                .description("partitions received by incoming range streams").register(registry);
        FunctionCounter.builder("sibyl_streaming_sent_partitions", sessions, StreamSessions::partitionsSent)
                .description("partitions sent by outgoing range streams (counted as each range ends)").register(registry);
        Gauge.builder("sibyl_streaming_sessions_running", sessions, StreamSessions::running)
                .description("stream sessions in progress, incoming and outgoing").register(registry);
    }
}
