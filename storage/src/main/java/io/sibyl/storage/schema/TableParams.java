package io.sibyl.storage.schema;

import java.util.Map;
import java.util.TreeMap;

/**
 * The WITH options of a table.
 *
 * @param defaultTimeToLive seconds applied to writes without USING TTL; 0 for none
 * @param gcGraceSeconds    how long tombstones are kept before compaction may purge them
 * @param compaction        the compaction options, {@code class} naming the strategy
 * @param droppedColumns    dropped column name → drop timestamp (µs); cells of that name written at or
 *                          before it are ignored, even after the column is re-added
 * @param comment           free text
 * @param speculativeRetry  when a read coordinator asks one more replica ({@code speculative_retry})
 */
public record TableParams(int defaultTimeToLive, int gcGraceSeconds, Map<String, String> compaction,
                          Map<String, Long> droppedColumns, String comment, SpeculativeRetry speculativeRetry) {

    public static final int DEFAULT_GC_GRACE_SECONDS = 864_000;

    public static final TableParams DEFAULT = new TableParams(0, DEFAULT_GC_GRACE_SECONDS,
            Map.of("class", "SizeTieredCompactionStrategy"), Map.of(), "", SpeculativeRetry.DEFAULT);

    /** The options without {@code speculative_retry} (its default). */
    public TableParams(int defaultTimeToLive, int gcGraceSeconds, Map<String, String> compaction,
                       Map<String, Long> droppedColumns, String comment) {
        this(defaultTimeToLive, gcGraceSeconds, compaction, droppedColumns, comment, SpeculativeRetry.DEFAULT);
    }

    public TableParams {
        if (defaultTimeToLive < 0) {
            throw new IllegalArgumentException("default_time_to_live must not be negative");
        }
        if (gcGraceSeconds < 0) {
            throw new IllegalArgumentException("gc_grace_seconds must not be negative");
        }
        compaction = Map.copyOf(compaction);
        droppedColumns = java.util.Collections.unmodifiableMap(new TreeMap<>(droppedColumns));
        comment = comment == null ? "" : comment;
        speculativeRetry = speculativeRetry == null ? SpeculativeRetry.DEFAULT : speculativeRetry;
    }

    public TableParams withDefaultTimeToLive(int seconds) {
        return new TableParams(seconds, gcGraceSeconds, compaction, droppedColumns, comment, speculativeRetry);
    }

    public TableParams withGcGraceSeconds(int seconds) {
        return new TableParams(defaultTimeToLive, seconds, compaction, droppedColumns, comment, speculativeRetry);
    }

    public TableParams withCompaction(Map<String, String> options) {
        return new TableParams(defaultTimeToLive, gcGraceSeconds, options, droppedColumns, comment, speculativeRetry);
    }

    public TableParams withComment(String text) {
        return new TableParams(defaultTimeToLive, gcGraceSeconds, compaction, droppedColumns, text, speculativeRetry);
    }

    public TableParams withSpeculativeRetry(SpeculativeRetry retry) {
        return new TableParams(defaultTimeToLive, gcGraceSeconds, compaction, droppedColumns, comment, retry);
    }

    public TableParams withDroppedColumn(String name, long dropTimestampMicros) {
        TreeMap<String, Long> d = new TreeMap<>(droppedColumns);
        d.merge(name, dropTimestampMicros, Math::max);
        return new TableParams(defaultTimeToLive, gcGraceSeconds, compaction, d, comment, speculativeRetry);
    }
}
