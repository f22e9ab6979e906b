package io.sibyl.storage.engine;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.compaction.CompactionCounters;
import io.sibyl.storage.compaction.CompactionParams;
import io.sibyl.storage.compaction.CompactionPlanner;
import io.sibyl.storage.compaction.PlanInput;
import io.sibyl.storage.compaction.SSTableInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.flush.FlushPipeline;
import io.sibyl.storage.flush.MemtableFlushWriter;
import io.sibyl.storage.lifecycle.Tracker;
import io.sibyl.storage.lifecycle.View;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.MergeIterator;
import io.sibyl.storage.read.PartitionMerger;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.PartitionScan;
import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.ReadThresholds;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.read.TombstoneOverwhelmingException;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.CorruptSSTableException;
import io.sibyl.storage.sstable.Descriptor;
import io.sibyl.storage.sstable.SSTableConfig;
import io.sibyl.storage.sstable.SSTableDirectory;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.sstable.SSTableWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The storage of one table on this node (Cassandra's ColumnFamilyStore), the facade the rest of Sibyl
 * calls. Writes go to the current memtable; reads merge every source of one {@link View}. The parts live
 * elsewhere, each with its invariant: the memtables and the live/compacting SSTable set in the
 * {@link Tracker}, the order in which flushes become live in the {@link FlushPipeline}.
 *
 * <p>Flush: {@link #flush()} switches in a fresh memtable at commit-log position P (see
 * {@link #switchMemtable()}), streams the old one into an SSTable claiming "every record of this table
 * before P is in SSTables", installs it, then lets the commit log drop what that covers.
 *
 * <p>Compaction ({@link io.sibyl.storage.compaction.Compaction}) claims live SSTables
 * ({@link #markCompacting}), writes their merge elsewhere, and swaps the set in one step
 * ({@link #replaceSSTables}); a truncate, drop or shutdown meanwhile makes the swap refuse.
 */
public final class TableStore {

    private static final Logger log = LoggerFactory.getLogger(TableStore.class);

    private volatile TableMetadata metadata;
    private final TableContext context;
    private final SSTableDirectory directory;
    private final ReadThresholds thresholds;
    private final Tracker tracker;
    private final FlushPipeline<Memtable, SSTableWriter> flushes;
    private final CompactionCounters compactionCounters = new CompactionCounters();

    final LatencyHistogram readLatency = new LatencyHistogram();
    final LatencyHistogram writeLatency = new LatencyHistogram();
    private final LongAdder tombstoneWarnings = new LongAdder();
    private final LongAdder tombstoneFailures = new LongAdder();
    private final LongAdder corruptReads = new LongAdder();
    private final LongAdder tombstonesScanned = new LongAdder();
    private volatile TableMetrics metrics = TableMetrics.NONE;

    TableStore(TableMetadata metadata, TableContext context, SSTableDirectory directory, ReadThresholds thresholds) {
        this.metadata = metadata;
        this.context = context;
        this.directory = directory;
        this.thresholds = thresholds;
        this.tracker = new Tracker(new Memtable(metadata), directory.path(), context.keyCache(), context.chunkCache());
        this.flushes = new FlushPipeline<>(metadata.toString(), new FlushSteps(), context.blockingIo());
    }

    /**
     * Opens the table's SSTables, deleting debris of interrupted writes and SSTables a truncation already
     * covers (a crash may have stopped the truncate before deleting them).
     */
    void loadSSTables() {
        CommitLogPosition truncatedAt = context.truncations().get(metadata.id());
        List<SSTableReader> live = new ArrayList<>();
        for (Descriptor d : directory.cleanupAndList()) {
            SSTableReader r = SSTableReader.open(d, metadata);
            if (!truncatedAt.equals(CommitLogPosition.NONE) && r.stats().commitLogUpperBound().compareTo(truncatedAt) <= 0) {
                log.info("Deleting {}: its data was truncated", d);
                r.markObsolete();
            } else {
                live.add(r);
            }
        }
        tracker.load(live);
    }

    public TableMetadata metadata() {
        return metadata;
    }

    /** Where this table reports reads, writes and flushes (see {@link StorageEngine#metrics}). */
    void metrics(TableMetrics m) {
        this.metrics = m;
    }

    TableMetrics metrics() {
        return metrics;
    }

    /** ALTER TABLE: the same table (same id) with new columns or params. */
    public void updateMetadata(TableMetadata newMetadata) {
        if (!newMetadata.id().equals(metadata.id())) {
            throw new IllegalArgumentException("table id changed from " + metadata.id() + " to " + newMetadata.id());
        }
        this.metadata = newMetadata;
    }

    public void apply(PartitionUpdate update) {
        if (!update.tableId().equals(metadata.id())) {
            throw new IllegalArgumentException("update for " + update.metadata() + " applied to " + metadata);
        }
        while (!tracker.view().current().tryApply(update)) {
            Thread.onSpinWait(); // the memtable was switched under us; the new one is already current
        }
    }

    public Memtable currentMemtable() {
        return tracker.view().current();
    }

    /**
     * Switches in a fresh memtable; the old one stays readable in the flushing list until it is flushed,
     * and is returned once no write is still being applied to it.
     *
     * <p>The commit-log position P is read <em>before</em> the switch. Writes are applied to a memtable
     * before they are appended to the log, so every record below P belongs to a write already applied to
     * this memtable or an older one, and every write that reaches the new memtable gets a position at or
     * above P. That makes "all of this table's records before P are in the old memtables" true.
     */
    public Memtable switchMemtable() {
        return tracker.switchMemtable(new Memtable(metadata), context::logPosition);
    }

    public List<Memtable> flushingMemtables() {
        return tracker.view().flushing();
    }

    public List<SSTableReader> sstables() {
        return tracker.view().live();
    }

    /** Every source a read must merge (no SSTable references taken: for tests and tools). */
    public List<PartitionSource> sources() {
        return tracker.view().sources();
    }

    public ReadResult read(SinglePartitionReadCommand command) {
        return withSources(s -> command.execute(s, thresholds));
    }

    public ReadResult scan(PartitionRangeReadCommand command) {
        return withSources(s -> command.execute(s, thresholds));
    }

    /**
     * A scan that ignores the tombstone thresholds: repair hashes (and streams) every tombstone, and a
     * Merkle tree that failed on a tombstone-heavy range would leave the range unrepaired forever.
     */
    public ReadResult scanUnbounded(PartitionRangeReadCommand command) {
        return withSources(s -> command.execute(s, ReadThresholds.NONE));
    }

    /**
     * Every partition in {@code range}, tombstones included (as {@link #scanUnbounded}), read lazily: what
     * range streaming sends. The SSTables read stay referenced until the scan is closed.
     */
    public PartitionScan openScan(KeyRange range) {
        View view = tracker.selectAndReference(); // memtables before SSTables, as in withSources
        List<PartitionSource> sources = view.sources();
        Runnable release = () -> Tracker.release(view);
        try {
            if (range.isEmpty()) {
                return new PartitionScan(java.util.Collections.emptyIterator(), release);
            }
            List<java.util.Iterator<UnfilteredRowIterator>> scans = new ArrayList<>(sources.size());
            for (PartitionSource s : sources) {
                scans.add(s.range(range, ClusteringFilter.ALL));
            }
            TableMetadata md = metadata;
            MergeIterator<UnfilteredRowIterator, UnfilteredRowIterator> merged = MergeIterator.of(scans,
                    java.util.Comparator.comparing(UnfilteredRowIterator::key),
                    versions -> PartitionMerger.merge(md, versions, false));
            return new PartitionScan(merged, release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private ReadResult withSources(Function<List<PartitionSource>, ReadResult> read) {
        long start = System.nanoTime();
        View view = tracker.selectAndReference();
        try {
            ReadResult r = read.apply(view.sources());
            long tombstones = r.stats().tombstonesScanned();
            if (tombstones > 0) {
                tombstonesScanned.add(tombstones);
            }
            metrics.read(System.nanoTime() - start, tombstones);
            if (r.stats().tombstoneWarning()) {
                tombstoneWarnings.increment();
                log.warn("{}", r.stats().warnings().get(0));
            }
            return r;
        } catch (TombstoneOverwhelmingException e) {
            tombstoneFailures.increment();
            tombstonesScanned.add(e.tombstones());
            metrics.tombstoneFailure(e.tombstones());
            log.error("{}", e.getMessage());
            throw e;
        } catch (CorruptSSTableException e) {
            corruptReads.increment();
            metrics.corruptSSTableRead();
            log.error("Read failed: {}", e.getMessage());
            throw e;
        } finally {
            Tracker.release(view);
            readLatency.recordNanos(System.nanoTime() - start);
        }
    }

    // ---- flush (the FlushPipeline orders the commits; FlushSteps below are what each does) ----

    /**
     * Flushes the current memtable (and any older one whose flush failed) to SSTables. The memtable is
     * switched now and starts writing as soon as a flush writer is free, also while older flushes of this
     * table are still running; completes when it (and every older one) is live and the commit log has been
     * told.
     */
    public CompletionStage<Void> flush() {
        return flushes.flush(() -> tracker.isDropped() ? null : switchMemtable());
    }

    /**
     * Write backpressure (Cassandra blocks writes on a full memtable pool the same way): when this table's
     * memtables, current and flushing, hold more than {@code limitBytes} and a flush is running, the
     * future of the oldest flush (the next to free memory), which a write should wait for; otherwise null.
     * Without it, ingest on busy cores outran the flush, memtables filled the heap and the GC took more
     * CPU than the requests. Never waits when no flush is running, so a node without a flusher cannot
     * stall its writes; below the limit it costs one size read.
     */
    CompletableFuture<Void> memoryBackpressure(long limitBytes) {
        return tracker.view().memtableBytes() <= limitBytes ? null : flushes.oldestPending();
    }

    /** True while a flush of this table is queued or running. */
    public boolean isFlushing() {
        return flushes.isFlushing();
    }

    /** Flushes of this table switched and not yet committed (failed ones included). */
    public int flushingCount() {
        return tracker.view().flushing().size();
    }

    /**
     * True once, for the current memtable, when it holds more than {@code cleanupBytes}: the write that
     * crosses the threshold asks the flusher to check memory at once instead of at its next tick.
     */
    boolean crossedCleanupThreshold(long cleanupBytes) {
        Memtable m = tracker.view().current();
        return m.liveDataSize() > cleanupBytes && m.claimFlushRequest();
    }

    /** Writes a flushing memtable into an SSTable and makes it live; the pipeline calls these in order. */
    private final class FlushSteps implements FlushPipeline.Steps<Memtable, SSTableWriter> {

        @Override
        public List<Memtable> pending() {
            return tracker.view().flushing();
        }

        /** Writes {@code m}'s SSTable (up to prepare) once a flush writer is free; null for an empty memtable. */
        @Override
        public CompletableFuture<SSTableWriter> write(Memtable m) {
            return m.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : context.flushWriters().submit(() -> writeSSTable(m));
        }

        private CompletionStage<SSTableWriter> writeSSTable(Memtable m) {
            if (tracker.isDropped() || !tracker.isFlushing(m)) {
                return CompletableFuture.completedFuture(null); // truncated while waiting for a writer: nothing to write
            }
            SSTableWriter writer;
            try {
                writer = SSTableWriter.create(directory.newDescriptor(), metadata, context.sstable(), m.partitionCount(),
                        m.minTimestamp(), m.commitLogUpperBound(), 0);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new UncheckedIOException("cannot start flushing " + metadata, e));
            }
            long t0 = System.nanoTime();
            return MemtableFlushWriter.prepare(m, writer, context.materializer()).thenApply(w -> {
                log.debug("Wrote {} partitions of {} in {} ms", m.partitionCount(), metadata,
                        (System.nanoTime() - t0) / 1_000_000);
                return w;
            });
        }

        /** Makes {@code m}'s written SSTable complete on disk and live (null writer: {@code m} was empty). */
        @Override
        public void commit(Memtable m, SSTableWriter writer, long waitStart) {
            CommitLogPosition upper = m.commitLogUpperBound();
            if (writer == null) {
                if (tracker.replaceFlushed(m, null)) {
                    context.discardLog(metadata.id(), upper);
                }
                return;
            }
            long bytes = m.liveDataSize();
            SSTableReader sstable;
            try {
                sstable = writer.commit(metadata);
            } catch (RuntimeException e) {
                writer.abort();
                throw e;
            }
            if (tracker.replaceFlushed(m, sstable)) {
                context.discardLog(metadata.id(), upper);
                metrics.flushed(bytes, sstable.bytesOnDisk());
                compactionCounters.flushed(sstable.uncompressedLength());
                context.flushed(TableStore.this);
                long now = System.nanoTime();
                log.info("Flushed {}: {} partitions, {} MiB of memtable into {} ({} MiB on disk), {} ms after the switch"
                                + " ({} ms waiting for its write and commit)", metadata, m.partitionCount(), bytes >> 20,
                        sstable.descriptor(), sstable.bytesOnDisk() >> 20, (now - m.switchedAtNanos()) / 1_000_000,
                        (now - waitStart) / 1_000_000);
            }
        }

        /** {@code m} will not be committed (truncated or dropped): deletes its SSTable files once written. */
        @Override
        public void abandon(Memtable m, SSTableWriter writer) {
            if (writer != null) {
                writer.abort();
            }
        }
    }

    // ---- compaction (io.sibyl.storage.compaction.Compaction drives these) ----

    /** The table's directory. */
    public SSTableDirectory sstableDirectory() {
        return directory;
    }

    public SSTableConfig sstableConfig() {
        return context.sstable();
    }

    public CompactionCounters compactionCounters() {
        return compactionCounters;
    }

    public CompactionParams compactionParams() {
        return CompactionParams.forTable(metadata);
    }

    /** What a planner sees of this table now. */
    public PlanInput planInput(long nowMillis) {
        View v = tracker.view();
        int gcBefore = (int) Math.max(Integer.MIN_VALUE, nowMillis / 1000 - metadata.params().gcGraceSeconds());
        List<SSTableInfo> infos = new ArrayList<>();
        for (SSTableReader r : v.live()) {
            infos.add(SSTableInfo.of(r, gcBefore));
        }
        long memMin = v.current().minTimestamp();
        for (Memtable m : v.flushing()) {
            memMin = Math.min(memMin, m.minTimestamp());
        }
        return new PlanInput(infos, v.compactingGenerations(), gcBefore, nowMillis, memMin);
    }

    /** See {@link Tracker#tryMarkCompacting}: null if one is gone or already claimed. */
    public List<SSTableReader> markCompacting(Collection<Integer> generations) {
        return tracker.tryMarkCompacting(generations);
    }

    /** Ends a compaction's claim (and its references); the SSTables' files go once no read uses them. */
    public void unmarkCompacting(Collection<SSTableReader> inputs) {
        tracker.unmarkCompacting(inputs);
    }

    /** The planner's estimate of compactions still due. */
    public int pendingCompactions() {
        return CompactionPlanner.of(compactionParams()).estimatedPendingTasks(planInput(System.currentTimeMillis()));
    }

    /** Generations in running compactions. */
    public Set<Integer> compactingGenerations() {
        return tracker.view().compactingGenerations();
    }

    /** See {@link Tracker#replaceSSTables}: false, with nothing changed, if the table was dropped or truncated meanwhile. */
    public boolean replaceSSTables(Collection<SSTableReader> removed, Collection<SSTableReader> added, Runnable commit) {
        return tracker.replaceSSTables(removed, added, commit);
    }

    // ---- truncate, drop, shutdown ----

    // truncate and drop are synchronized so that their durable records (truncation, directory) do not interleave.

    /**
     * Discards all data of the table. The commit-log position is recorded first, so replay after a crash
     * neither brings back records before it nor keeps SSTables that hold only such data.
     */
    public synchronized void truncate() {
        CommitLogPosition at = context.logPosition();
        View gone = tracker.reset(new Memtable(metadata));
        flushes.abandonAll();
        context.truncations().record(metadata.id(), at);
        gone.live().forEach(tracker::markObsolete);
        context.discardLog(metadata.id(), at);
    }

    // ---- snapshots and refresh ----

    /**
     * Hard-links every live SSTable into {@code snapshots/<tag>/} with {@code schemaCql}. The View's SSTables
     * are referenced first, so a compaction finishing meanwhile cannot delete a file before it is linked;
     * SSTables flushed or compacted after that are not in the snapshot. Flush first to include the memtables.
     */
    public io.sibyl.storage.snapshot.Snapshot snapshot(String tag, String schemaCql) {
        Path dir = io.sibyl.storage.snapshot.SnapshotDirectory.create(directory.path(), tag, metadata.keyspace(), metadata.name());
        View view = tracker.selectAndReference();
        try {
            List<String> files = new ArrayList<>();
            for (SSTableReader r : view.live()) {
                files.addAll(io.sibyl.storage.snapshot.SnapshotDirectory.link(r.descriptor(), dir));
            }
            io.sibyl.storage.snapshot.SnapshotDirectory.finish(dir, schemaCql, files);
            log.info("Snapshot {} of {}: {} SSTables linked into {}", tag, metadata, view.live().size(), dir);
        } finally {
            Tracker.release(view);
        }
        return io.sibyl.storage.snapshot.SnapshotDirectory.describe(dir, metadata.keyspace(), metadata.name());
    }

    /**
     * Loads SSTables an operator placed in the table's directory (nodetool refresh): each complete
     * generation that is neither live nor being deleted gets a fresh generation and becomes live. A
     * truncation record is replaced by an equal replay floor first, so restored SSTables older than the
     * truncation are not deleted at the next start while replay still skips what was truncated. Returns
     * the SSTables loaded.
     */
    public synchronized List<SSTableReader> refresh() {
        Set<Integer> live = new java.util.HashSet<>();
        for (SSTableReader r : tracker.view().live()) {
            live.add(r.descriptor().generation());
        }
        List<Descriptor> found = new ArrayList<>();
        for (Descriptor d : directory.listComplete()) {
            if (!live.contains(d.generation()) && !tracker.isObsoleting(d.generation())) {
                found.add(d);
            }
        }
        if (found.isEmpty()) {
            return List.of();
        }
        CommitLogPosition truncatedAt = context.truncations().get(metadata.id());
        if (!truncatedAt.equals(CommitLogPosition.NONE)) {
            tracker.raiseReplayFloor(truncatedAt); // durable before the record goes
            context.truncations().remove(metadata.id());
        }
        List<SSTableReader> opened = new ArrayList<>();
        try {
            for (Descriptor d : found) {
                opened.add(SSTableReader.open(directory.adopt(d), metadata));
            }
        } catch (RuntimeException e) {
            opened.forEach(SSTableReader::close);
            throw e;
        }
        if (!tracker.addSSTables(opened)) {
            opened.forEach(SSTableReader::close);
            throw new IllegalStateException("table " + metadata + " was dropped or shut down during refresh");
        }
        log.info("Refresh of {}: loaded {}", metadata, opened);
        context.flushed(this); // new SSTables: compaction may be due
        return opened;
    }

    /** DROP TABLE: discards everything and deletes the table's directory. */
    synchronized void drop() {
        View gone = tracker.drop(new Memtable(metadata));
        flushes.abandonAll();
        gone.live().forEach(tracker::markObsolete);
        directory.deleteAll();
        context.forgetTable(metadata.id());
        context.truncations().remove(metadata.id());
    }

    /** Node shutdown: releases the SSTables' files (without deleting them). */
    void closeSSTables() {
        tracker.close();
        for (SSTableReader r : tracker.view().live()) {
            r.close();
        }
    }

    /**
     * Replay skips this table's records before this position: they are in its SSTables, were truncated, or
     * were flushed into SSTables a compaction has since purged away (the recorded floor).
     */
    CommitLogPosition replayFrom() {
        return CommitLogPosition.max(context.truncations().get(metadata.id()), tracker.replayFloor());
    }

    public TableStats stats() {
        View v = tracker.view();
        long memBytes = v.memtableBytes();
        long memPartitions = v.current().partitionCount();
        for (Memtable f : v.flushing()) {
            memPartitions += f.partitionCount();
        }
        long bytes = 0;
        long partitions = memPartitions;
        long falsePositives = 0;
        long truePositives = 0;
        long bloomBytes = 0;
        long droppable = 0;
        int gcBefore = (int) (System.currentTimeMillis() / 1000) - metadata.params().gcGraceSeconds();
        for (SSTableReader r : v.live()) {
            bytes += r.bytesOnDisk();
            partitions += r.stats().partitionCount();
            falsePositives += r.bloomFalsePositives();
            truePositives += r.bloomTruePositives();
            bloomBytes += r.bloomFilterBytes();
            droppable += r.stats().estimatedDroppableTombstones(gcBefore);
        }
        double ratio = falsePositives + truePositives == 0 ? 0 : falsePositives / (double) (falsePositives + truePositives);
        return new TableStats(metadata.keyspace(), metadata.name(), metadata.id(), memBytes, memPartitions,
                v.flushing().size(), v.live().size(), bytes, partitions, falsePositives, ratio, bloomBytes, droppable,
                readLatency.snapshot(), writeLatency.snapshot(), tombstoneWarnings.sum(), tombstoneFailures.sum(),
                corruptReads.sum(), tombstonesScanned.sum(), compactionCounters.snapshot(pendingCompactions()));
    }
}
