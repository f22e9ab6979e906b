package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shows the compactions of a table (or keyspace, or all) running on a node while a blocking admin request
 * (compact, cleanup: both rewrite SSTables through the compactor) is in flight: bytes done of bytes total
 * from {@code GET /v1/admin/compactions}, through {@link Progress}.
 */
final class CompactionProgress {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CompactionProgress() {
    }

    /** Polls every {@code poll} until {@code done} completes (null {@code p}: no progress shown, just waits). */
    static void await(NodeClient c, CompletableFuture<?> done, Progress p, String keyspace, String table, Duration poll)
            throws InterruptedException {
        while (!done.isDone()) {
            if (p != null) {
                show(c, p, keyspace, table);
            }
            try {
                done.get(poll.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still running: show progress again
            } catch (java.util.concurrent.ExecutionException e) {
                return; // the caller reads the failure from the future
            }
        }
    }

    private static void show(NodeClient c, Progress p, String keyspace, String table) throws InterruptedException {
        JsonNode running;
        try {
            HttpResponse<String> r = c.get("/v1/admin/compactions");
            if (r.statusCode() != 200) {
                return; // progress is best effort; the request itself reports failures
            }
            running = JSON.readTree(r.body()).path("running");
        } catch (java.io.IOException e) {
            return; // as above: the node may be busy; the next poll tries again
        }
        long d = 0;
        long t = 0;
        int n = 0;
        for (JsonNode r : running) {
            if ((keyspace == null || keyspace.equals(r.path("keyspace").asText()))
                    && (table == null || table.equals(r.path("table").asText()))) {
                d += r.path("bytes_done").asLong();
                t += r.path("bytes_total").asLong();
                n++;
            }
        }
        if (n > 0) {
            p.update(d, t, n + " running");
        }
    }
}
