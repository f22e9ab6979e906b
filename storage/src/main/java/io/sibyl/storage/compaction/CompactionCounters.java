package io.sibyl.storage.compaction;

import java.util.concurrent.atomic.LongAdder;

/** The running totals behind {@link CompactionStats}, one per table. */
public final class CompactionCounters {

    private final LongAdder completed = new LongAdder();
    private final LongAdder flushed = new LongAdder();
    private final LongAdder read = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder purged = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    public void flushed(long bytes) {
        flushed.add(bytes);
    }

    void compacted(long bytesRead, long bytesWritten, long tombstonesPurged) {
        completed.increment();
        read.add(bytesRead);
        written.add(bytesWritten);
        purged.add(tombstonesPurged);
    }

    void dropped(int sstables) {
        completed.increment();
        dropped.add(sstables);
    }

    public CompactionStats snapshot(int pendingTasks) {
        long f = flushed.sum();
        long w = written.sum();
        double amplification = f == 0 ? 1.0 : (f + w) / (double) f;
        return new CompactionStats(completed.sum(), f, read.sum(), w, amplification, purged.sum(), dropped.sum(),
                pendingTasks);
    }
}
