package io.sibyl.storage.compaction;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Single-SSTable tombstone compactions (Cassandra's worthDroppingTombstones): an SSTable older than
 * {@code tombstone_compaction_interval} whose droppable-tombstone ratio passes {@code tombstone_threshold}
 * is rewritten alone, purging what it can. Unless {@code unchecked_tombstone_compaction}, it is chosen only
 * if no overlapping SSTable holds data as old as its newest write — otherwise its tombstones would still
 * shadow data elsewhere and the rewrite would purge nothing.
 */
final class TombstoneCompactions {

    private TombstoneCompactions() {
    }

    static Optional<CompactionTask> candidate(PlanInput input, CompactionParams params, List<SSTableInfo> among) {
        long minAgeMillis = params.tombstoneCompactionIntervalSeconds() * 1000;
        return among.stream()
                .filter(s -> input.nowMillis() - s.createdAtMillis() >= minAgeMillis)
                .filter(s -> s.droppableTombstoneRatio() > params.tombstoneThreshold())
                .filter(s -> params.uncheckedTombstoneCompaction() || purgeable(s, input))
                .max(Comparator.comparingDouble(SSTableInfo::droppableTombstoneRatio))
                .map(s -> new CompactionTask(CompactionTask.Kind.TOMBSTONE, List.of(s.generation()), s.level(),
                        Long.MAX_VALUE, String.format("droppable tombstone ratio %.2f", s.droppableTombstoneRatio())));
    }

    private static boolean purgeable(SSTableInfo s, PlanInput input) {
        if (input.memtableMinTimestamp() <= s.maxTimestamp()) {
            return false;
        }
        for (SSTableInfo o : input.sstables()) {
            if (o.generation() != s.generation() && o.overlaps(s) && o.minTimestamp() <= s.maxTimestamp()) {
                return false;
            }
        }
        return true;
    }
}
