package io.sibyl.storage.compaction;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.Descriptor;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.sstable.SSTableWriter;
import io.sibyl.storage.sstable.TransactionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/**
 * Runs one {@link CompactionTask} on one table, on the calling thread (the Compactor gives it a
 * compaction thread; reads and writes go on meanwhile against the old SSTables).
 *
 * <p>Steps, each leaving a state a crash may stop in (see {@link TransactionLog}): start the transaction
 * log naming the inputs; write the merged, purged partitions into new SSTables, logging each output's
 * generation before creating it; commit the log; swap the SSTable set in the {@link TableStore} (new ones
 * added before old ones leave, so a concurrent read always sees the data); the old SSTables' files are
 * deleted when the last read using them finishes, and then the log.
 */
public final class Compaction {

    private static final Logger log = LoggerFactory.getLogger(Compaction.class);

    /** Points of a compaction at which tests simulate a crash. */
    public enum Step { LOG_STARTED, OUTPUT_WRITTEN, COMMITTED, SWAPPED }

    /** Called at each {@link Step}; a test throws an {@link Error} here to stop as a crash would (no cleanup). */
    @FunctionalInterface
    public interface StepHook {
        StepHook NONE = s -> { };

        void reached(Step step);
    }

    /** What a finished compaction did. */
    public record Result(boolean swapped, List<Integer> outputs, long bytesRead, long bytesWritten, long tombstonesPurged) {
    }

    private final UUID id = UUID.randomUUID();
    private final TableStore table;
    private final TableMetadata metadata;
    private final CompactionTask task;
    private final List<SSTableReader> inputs;
    private final Set<SSTableReader> inputSet;
    private final CompactionThrottle throttle;
    private final int nowInSec;
    private final int gcBefore;
    private final StepHook hook;
    private final long totalBytes;
    /** Tokens whose partitions the output keeps (all but for cleanup). */
    private final LongPredicate keepToken;
    private volatile long partitionsDropped;
    private volatile CompactionIterator iterator;
    private volatile long bytesWritten;
    private volatile boolean stopRequested;

    private Compaction(TableStore table, CompactionTask task, List<SSTableReader> inputs, CompactionThrottle throttle,
                       long nowMillis, StepHook hook, LongPredicate keepToken) {
        this.keepToken = keepToken;
        this.table = table;
        this.metadata = table.metadata();
        this.task = task;
        this.inputs = inputs;
        this.inputSet = new HashSet<>(inputs);
        this.throttle = throttle;
        this.nowInSec = (int) (nowMillis / 1000);
        this.gcBefore = (int) Math.max(Integer.MIN_VALUE, nowMillis / 1000 - metadata.params().gcGraceSeconds());
        this.hook = hook;
        this.totalBytes = inputs.stream().mapToLong(SSTableReader::uncompressedLength).sum();
    }

    /**
     * Claims the task's inputs (marks them compacting and references them); empty if any is no longer live or
     * already in another compaction — the plan is stale, ask the planner again.
     */
    public static Optional<Compaction> prepare(TableStore table, CompactionTask task, CompactionThrottle throttle,
                                               long nowMillis, StepHook hook) {
        return prepare(table, task, throttle, nowMillis, hook, t -> true);
    }

    /**
     * As {@link #prepare(TableStore, CompactionTask, CompactionThrottle, long, StepHook)}, writing only the
     * partitions whose token {@code keepToken} accepts (cleanup: the tokens this node replicates).
     */
    public static Optional<Compaction> prepare(TableStore table, CompactionTask task, CompactionThrottle throttle,
                                               long nowMillis, StepHook hook, LongPredicate keepToken) {
        List<SSTableReader> in = table.markCompacting(task.inputs());
        return in == null ? Optional.empty()
                : Optional.of(new Compaction(table, task, in, throttle, nowMillis, hook, keepToken));
    }

    /** Partitions left out of the output because their token was not kept (cleanup). */
    public long partitionsDropped() {
        return partitionsDropped;
    }

    public static Optional<Compaction> prepare(TableStore table, CompactionTask task, CompactionThrottle throttle) {
        return prepare(table, task, throttle, System.currentTimeMillis(), StepHook.NONE);
    }

    public UUID id() {
        return id;
    }

    public TableStore table() {
        return table;
    }

    public CompactionTask task() {
        return task;
    }

    public CompactionProgress progress() {
        CompactionIterator it = iterator;
        long done = it == null ? 0 : Math.min(totalBytes, it.bytesRead());
        return new CompactionProgress(id, metadata.keyspace(), metadata.name(), task.kind().name(), inputs.size(), done,
                totalBytes, bytesWritten, task.reason());
    }

    /** Asks a running compaction to stop; it rolls back (the inputs stay live). */
    public void stop() {
        stopRequested = true;
    }

    /** Runs the compaction to the end; the inputs are released whatever happens. */
    public Result run() {
        long t0 = System.nanoTime();
        try {
            TransactionLog txn = TransactionLog.begin(table.sstableDirectory().path(), task.inputs());
            hook.reached(Step.LOG_STARTED);
            if (task.kind() == CompactionTask.Kind.DROP_EXPIRED) {
                boolean swapped = commitAndSwap(txn, List.of());
                if (swapped) {
                    table.compactionCounters().dropped(inputs.size());
                    log.info("Dropped {} fully expired SSTables of {}: {}", inputs.size(), metadata, task.inputs());
                }
                return new Result(swapped, List.of(), 0, 0, 0);
            }
            List<SSTableReader> outputs = new ArrayList<>();
            try {
                writeOutputs(txn, outputs);
            } catch (Exception e) {
                outputs.forEach(SSTableReader::markObsolete);
                txn.abort();
                throw e;
            }
            boolean swapped;
            try {
                swapped = commitAndSwap(txn, outputs);
            } catch (RuntimeException e) {
                if (!txn.isCommitted()) { // e.g. the commit line's fsync failed: roll back, the inputs stay
                    outputs.forEach(SSTableReader::markObsolete);
                    txn.abort();
                }
                throw e;
            }
            long purged = iterator.tombstonesPurged();
            if (swapped) {
                table.compactionCounters().compacted(totalBytes, bytesWritten, purged);
                log.info("Compacted {} ({}): {} SSTables, {} bytes into {} SSTables, {} bytes, {} tombstones purged, "
                                + "{} partitions dropped, in {} ms", metadata, task.reason(), inputs.size(), totalBytes,
                        outputs.size(), bytesWritten, purged, partitionsDropped, (System.nanoTime() - t0) / 1_000_000);
            }
            return new Result(swapped, outputs.stream().map(r -> r.descriptor().generation()).toList(), totalBytes,
                    bytesWritten, purged);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompactionInterruptedException("compaction of " + metadata + " interrupted");
        } catch (IOException e) {
            throw new UncheckedIOException("compaction of " + metadata + " failed", e);
        } finally {
            table.unmarkCompacting(inputs);
        }
    }

    private void writeOutputs(TransactionLog txn, List<SSTableReader> outputs) throws IOException, InterruptedException {
        long basets = Long.MAX_VALUE;
        long partitions = 0;
        CommitLogPosition upper = CommitLogPosition.NONE;
        for (SSTableReader r : inputs) {
            basets = Math.min(basets, r.stats().minTimestamp());
            partitions += r.stats().partitionCount();
            upper = CommitLogPosition.max(upper, r.stats().commitLogUpperBound());
        }
        long expectedPerOutput = partitions;
        if (task.maxOutputBytes() != Long.MAX_VALUE && totalBytes > 0) {
            expectedPerOutput = Math.max(1, Math.min(partitions, partitions * task.maxOutputBytes() / totalBytes + 1));
        }
        CompactionIterator it = new CompactionIterator(metadata, inputs, nowInSec, gcBefore, this::maxPurgeableTimestamp);
        iterator = it;
        SSTableWriter writer = null;
        long writtenBefore = 0;
        try {
            while (it.hasNext()) {
                if (stopRequested || Thread.currentThread().isInterrupted()) {
                    throw new CompactionInterruptedException("compaction of " + metadata + " stopped");
                }
                UnfilteredRowIterator p = it.next();
                if (!keepToken.test(p.key().token())) {
                    while (p.hasNext()) { // consume it: the scanners read their files sequentially
                        p.next();
                    }
                    partitionsDropped++;
                    continue;
                }
                if (writer == null) {
                    Descriptor d = table.sstableDirectory().newDescriptor();
                    txn.addOutput(d.generation());
                    writer = SSTableWriter.create(d, metadata, table.sstableConfig(), expectedPerOutput,
                            basets == Long.MAX_VALUE ? 0 : basets, upper, task.outputLevel());
                    writtenBefore = 0;
                }
                writer.append(p);
                long now = writer.dataBytesWritten();
                bytesWritten += now - writtenBefore;
                throttle.acquire(now - writtenBefore);
                writtenBefore = now;
                if (now >= task.maxOutputBytes()) {
                    outputs.add(writer.finish(metadata));
                    writer = null;
                    hook.reached(Step.OUTPUT_WRITTEN);
                }
            }
            if (writer != null) {
                outputs.add(writer.finish(metadata));
                writer = null;
                hook.reached(Step.OUTPUT_WRITTEN);
            }
        } catch (Exception e) {
            if (writer != null) {
                writer.abort();
            }
            throw e;
        }
    }

    private boolean commitAndSwap(TransactionLog txn, List<SSTableReader> outputs) {
        boolean swapped = table.replaceSSTables(inputs, outputs, () -> {
            txn.commit();
            hook.reached(Step.COMMITTED);
        });
        if (!swapped) {
            // The table was truncated or dropped meanwhile: the inputs are gone already, so are the outputs.
            outputs.forEach(SSTableReader::markObsolete);
            txn.abort();
            return false;
        }
        hook.reached(Step.SWAPPED);
        // The log may go once every replaced SSTable's files are deleted (after the reads using them finish).
        // If one was only closed (node shutdown), its files remain: keep the log, the next start deletes them.
        List<CompletableFuture<Boolean>> released = inputs.stream().map(r -> r.onRelease().toCompletableFuture()).toList();
        CompletableFuture.allOf(released.toArray(new CompletableFuture[0])).thenRun(() -> {
            if (released.stream().allMatch(CompletableFuture::join)) {
                txn.delete();
            } else {
                txn.close();
            }
        });
        return true;
    }

    /**
     * The oldest write that a source outside this compaction may hold for {@code key}: a tombstone at or
     * above it may still shadow data there, so it must be kept.
     */
    private long maxPurgeableTimestamp(DecoratedKey key) {
        // Memtables before SSTables: a flush adds its SSTable before its memtable leaves, so this order
        // cannot miss data moving from one to the other.
        long min = table.currentMemtable().minTimestamp();
        for (Memtable m : table.flushingMemtables()) {
            min = Math.min(min, m.minTimestamp());
        }
        for (SSTableReader r : table.sstables()) {
            if (!inputSet.contains(r) && r.mightContain(key)) {
                min = Math.min(min, r.stats().minTimestamp());
            }
        }
        return min;
    }
}
