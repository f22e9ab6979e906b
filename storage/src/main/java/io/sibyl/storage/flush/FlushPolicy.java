package io.sibyl.storage.flush;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * When to flush for memory, as Cassandra's memtable_cleanup_threshold: once the unflushed (current)
 * memtables of all tables together hold more than {@code memtable_cleanup_threshold × memtable_heap_space},
 * flush the largest one. Memtables already being flushed do not count: their memory is on its way out.
 * A table whose earlier flush is still running is switched and flushed again all the same (the flushes
 * queue for the flush writers), so a bulk load never waits for one flush to end before the next memtable
 * can start on its way to disk. Pure function, so the rule is tested without actors.
 */
public final class FlushPolicy {

    /** One table's current memtable. */
    public record MemtableUsage(UUID tableId, long bytes) {
    }

    private FlushPolicy() {
    }

    public static Optional<UUID> tableToFlush(List<MemtableUsage> usage, long cleanupBytes) {
        long total = 0;
        for (MemtableUsage u : usage) {
            total += u.bytes();
        }
        if (total <= cleanupBytes) {
            return Optional.empty();
        }
        return usage.stream().filter(u -> u.bytes() > 0)
                .max(Comparator.comparingLong(MemtableUsage::bytes)).map(MemtableUsage::tableId);
    }
}
