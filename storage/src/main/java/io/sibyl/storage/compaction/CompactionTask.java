package io.sibyl.storage.compaction;

import java.util.List;

/**
 * One compaction a planner chose: which SSTables to merge, at which level the output lands and how large
 * each output SSTable may grow (LCS splits its output; others write one SSTable).
 *
 * @param inputs         generations of the SSTables to replace
 * @param outputLevel    the level written into every output's statistics
 * @param maxOutputBytes uncompressed data bytes after which a new output SSTable is started
 */
public record CompactionTask(Kind kind, List<Integer> inputs, int outputLevel, long maxOutputBytes, String reason) {

    public enum Kind {
        /** Merge the inputs into new SSTables. */
        MERGE,
        /** Single-SSTable rewrite to purge droppable tombstones. */
        TOMBSTONE,
        /** Operator-requested merge of everything (nodetool compact). */
        MAJOR,
        /** The inputs hold only data expired past gc_grace and shadowing nothing elsewhere: delete them unread. */
        DROP_EXPIRED,
        /**
         * Operator-requested single-SSTable rewrite keeping only partitions whose token this node still
         * replicates (nodetool cleanup); the filter is given to {@link Compaction#prepare}.
         */
        CLEANUP
    }

    public CompactionTask {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a compaction needs inputs");
        }
    }

    public static CompactionTask merge(List<SSTableInfo> in, int level, String reason) {
        return new CompactionTask(Kind.MERGE, generations(in), level, Long.MAX_VALUE, reason);
    }

    /** Cleanup of one SSTable (its level kept). */
    public static CompactionTask cleanup(int generation, int level) {
        return new CompactionTask(Kind.CLEANUP, List.of(generation), level, Long.MAX_VALUE, "cleanup");
    }

    static List<Integer> generations(List<SSTableInfo> in) {
        return in.stream().map(SSTableInfo::generation).toList();
    }
}
