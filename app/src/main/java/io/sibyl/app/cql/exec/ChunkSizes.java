package io.sibyl.app.cql.exec;

import io.sibyl.actors.consistency.ReadFailureException;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.read.ReadResult;

import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many rows one fetch of a paged read may ask the replicas for, per table. A replica answer must
 * fit in one inter-node message ({@code sibyl.replica.max_response_bytes}, else the replica answers
 * RESPONSE_TOO_LARGE); a page of 5,000 rows of 1 KiB does not. So each fetch asks for as many rows as
 * fit in {@link #TARGET_BYTES} at the mean row size seen on this table's last fetch, and a fetch that
 * still comes back too large is retried with half the rows (the table's size then stays at that half
 * until a fetch measures rows again). The page the client sees keeps its size: a page is made of as
 * many fetches as it takes.
 */
final class ChunkSizes {

    /** The answer size aimed at: well under the default 900 KiB message limit, so rows may grow. */
    static final long TARGET_BYTES = 384 * 1024;
    static final int MAX_CHUNK = 5_000;

    private final ConcurrentHashMap<UUID, Integer> caps = new ConcurrentHashMap<>();

    /** The most rows a fetch on this table should ask for. */
    int cap(UUID table) {
        return caps.getOrDefault(table, MAX_CHUNK);
    }

    /** Learns the mean row size from an answer of {@code rows} rows. */
    void measured(UUID table, ReadResult result, int rows) {
        if (rows < 8) {
            return; // too few rows to say much; a lone large row must not shrink every later fetch to 1
        }
        long bytes = 0;
        for (PartitionUpdate p : result.partitions()) {
            bytes += p.dataSize();
        }
        long perRow = Math.max(1, bytes / rows);
        int cap = (int) Math.max(1, Math.min(MAX_CHUNK, TARGET_BYTES / perRow));
        if (cap == cap(table)) {
            return; // the usual case: no write to the shared map on every fetch
        }
        if (cap == MAX_CHUNK) {
            caps.remove(table);
        } else {
            caps.put(table, cap);
        }
    }

    /** After an answer of {@code asked} rows was too large: the size to retry with, or 0 to give up. */
    int tooLarge(UUID table, int asked) {
        int half = asked / 2;
        if (half < 1) {
            return 0;
        }
        caps.merge(table, half, Math::min);
        return half;
    }

    /** Whether a read failed only because some replica's answer exceeded the message limit. */
    static boolean isTooLarge(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof ReadFailureException f && f.isResponseTooLarge();
    }
}
