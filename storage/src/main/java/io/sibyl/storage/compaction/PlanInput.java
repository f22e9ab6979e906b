package io.sibyl.storage.compaction;

import java.util.List;
import java.util.Set;

/**
 * Everything a planner looks at for one table, at one moment.
 *
 * @param sstables             the live SSTables
 * @param compacting           generations already in a running compaction (planners never pick them again)
 * @param gcBefore             now − gc_grace_seconds, in seconds: older tombstones may be purged
 * @param nowMillis            wall clock (TWCS windows, tombstone compaction interval)
 * @param memtableMinTimestamp the smallest timestamp in the unflushed memtables (Long.MAX_VALUE if none);
 *                             data there can be shadowed by tombstones in SSTables
 */
public record PlanInput(List<SSTableInfo> sstables, Set<Integer> compacting, int gcBefore, long nowMillis,
                        long memtableMinTimestamp) {

    public PlanInput {
        sstables = List.copyOf(sstables);
        compacting = Set.copyOf(compacting);
    }

    public static PlanInput of(List<SSTableInfo> sstables, int gcBefore, long nowMillis) {
        return new PlanInput(sstables, Set.of(), gcBefore, nowMillis, Long.MAX_VALUE);
    }

    /** The SSTables a new compaction may use. */
    public List<SSTableInfo> available() {
        return sstables.stream().filter(s -> !compacting.contains(s.generation())).toList();
    }
}
