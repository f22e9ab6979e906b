package io.sibyl.app.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lingering close for an oversized request body, as nginx does: the rest of the body is read and
 * discarded before the {@code 413 PAYLOAD_TOO_LARGE} answer is sent. A client that writes its whole body
 * before reading (Python's urllib, many SDKs) otherwise sees a connection reset instead of the 413: the
 * server closed with unread data in its receive buffer. Draining stops at {@link #bound} bytes, after
 * {@link #MAX_TIME} in all, or after {@link #IDLE} without data; the answer follows in every case
 * (then pekko-http closes the connection, the body not being fully read).
 */
final class OversizedBodyDrain {
    private static final Logger log = LoggerFactory.getLogger(OversizedBodyDrain.class);
    /** Longest time spent discarding one body (nginx's lingering_time). */
    static final Duration MAX_TIME = Duration.ofSeconds(30);
    /** Longest wait for the next bytes while discarding (nginx's lingering_timeout). */
    static final Duration IDLE = Duration.ofSeconds(5);
    /** At least this much is discarded, however small the body limit. */
    static final long MIN_BOUND = 64L * 1024 * 1024;

    private OversizedBodyDrain() {
    }

    /** Bytes discarded at most for a node whose body limit is {@code maxBodyBytes}: twice the limit, at least 64 MiB. */
    static long bound(long maxBodyBytes) {
        return Math.max(MIN_BOUND, maxBodyBytes > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * maxBodyBytes);
    }

    /**
     * Discards the rest of {@code body} ({@code alreadyRead} bytes of it consumed before) within the
     * bounds; completes normally whatever happened (the caller answers 413 next).
     */
    static CompletionStage<Void> drain(Source<ByteString, ?> body, long alreadyRead, long bound, Materializer mat) {
        long remaining = Math.max(0, bound - alreadyRead);
        return body
                .limitWeighted(remaining, bytes -> (long) bytes.size())
                .idleTimeout(IDLE)
                .completionTimeout(MAX_TIME)
                .runWith(Sink.ignore(), mat)
                .handle((done, err) -> {
                    if (err != null) {
                        log.debug("stopped discarding an oversized request body: {}", err.toString());
                    }
                    return (Void) null;
                });
    }

    static CompletionStage<Void> none() {
        return CompletableFuture.completedFuture(null);
    }
}
