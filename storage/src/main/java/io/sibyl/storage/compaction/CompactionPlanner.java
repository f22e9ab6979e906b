package io.sibyl.storage.compaction;

import java.util.Optional;

/**
 * A compaction strategy as a pure function: from a table's SSTables and statistics to the next task
 * (Cassandra's AbstractCompactionStrategy.getNextBackgroundTask, without the side effects). The Compactor
 * asks again after every flush and every finished compaction, so a planner returns one task at a time.
 */
public interface CompactionPlanner {

    Optional<CompactionTask> next(PlanInput input);

    /** About how many tasks remain before the table is settled (for {@code GET /v1/admin/compactions}). */
    int estimatedPendingTasks(PlanInput input);

    /** The operator's major compaction: every available SSTable into one (LCS: split by size). */
    default Optional<CompactionTask> major(PlanInput input) {
        var all = input.available();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CompactionTask(CompactionTask.Kind.MAJOR, CompactionTask.generations(all), 0,
                Long.MAX_VALUE, "major compaction"));
    }

    static CompactionPlanner of(CompactionParams params) {
        return switch (params.strategy()) {
            case SIZE_TIERED -> new SizeTieredPlanner(params);
            case LEVELED -> new LeveledPlanner(params);
            case TIME_WINDOW -> new TimeWindowPlanner(params);
        };
    }
}
