package io.sibyl.storage.engine;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.compaction.CompactionCounters;
import io.sibyl.storage.compaction.CompactionParams;
import io.sibyl.storage.compaction.PlanInput;
import io.sibyl.storage.compaction.SSTableInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.flush.MemtableFlushWriter;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The storage of one table on this node (Cassandra's ColumnFamilyStore): the current memtable, the
 * memtables being flushed, and the live SSTables. Writes go to the current memtable; reads merge every
 * source. An in-memory store ({@link #TableStore(TableMetadata)}) has no SSTables and cannot flush.
 *
 * <p>Flush: {@link #flush()} switches in a fresh memtable at commit-log position P (see
 * {@link #switchMemtable()}), streams the old one into an SSTable claiming "every record of this table
 * before P is in SSTables", installs it, then lets the commit log drop what that covers. The SSTables of
 * several flushes of a table are written at once (up to {@code memtable_flush_writers}, node-wide), but
 * each is committed — made complete on disk, installed, its log discarded — only after every older
 * memtable's: the claim holds only if every older memtable is already in an SSTable, so a failed flush is
 * retried before any newer one is committed (the newer one's written files wait for it).
 *
 * <p>Compaction ({@link io.sibyl.storage.compaction.Compaction}) claims live SSTables
 * ({@link #markCompacting}), writes their merge elsewhere, and swaps the set in one step under this
 * object's lock ({@link #replaceSSTables}); a truncate, drop or shutdown meanwhile makes the swap refuse.
 */
public final class TableStore {

    private static final Logger log = LoggerFactory.getLogger(TableStore.class);

    private volatile TableMetadata metadata;
    private volatile Memtable current;
    private final CopyOnWriteArrayList<Memtable> flushing = new CopyOnWriteArrayList<>();
    private final Map<Memtable, CommitLogPosition> switchPositions = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<SSTableReader> sstables = new CopyOnWriteArrayList<>();
    /** Live SSTables a running compaction has claimed (guarded by this). */
    private final Set<SSTableReader> compacting = new HashSet<>();
    private final CompactionCounters compactionCounters = new CompactionCounters();
    private final TableContext context;
    private final SSTableDirectory directory;
    private final ReadThresholds thresholds;
    private final Object flushChainLock = new Object();
    /** The last flush's commit step; each flush commits after the previous one (guarded by flushChainLock). */
    private CompletableFuture<Void> flushChain = CompletableFuture.completedFuture(null);
    /** The commit steps not yet done, oldest first (guarded by flushChainLock): what backpressure waits for. */
    private final ArrayDeque<CompletableFuture<Void>> pendingFlushes = new ArrayDeque<>();
    /** The SSTable written, or being written, for each flushing memtable, until it is committed or dropped. */
    private final Map<Memtable, CompletableFuture<SSTableWriter>> writes = new ConcurrentHashMap<>();
    private volatile boolean dropped;
    private volatile boolean closed;
    /** The replay floor recorded when a compaction removed the SSTable that carried it (see {@link ReplayFloor}). */
    private volatile CommitLogPosition recordedFloor = CommitLogPosition.NONE;

    final LatencyHistogram readLatency = new LatencyHistogram();
    final LatencyHistogram writeLatency = new LatencyHistogram();
    private final LongAdder tombstoneWarnings = new LongAdder();
    private final LongAdder tombstoneFailures = new LongAdder();
    private final LongAdder corruptReads = new LongAdder();
    private final LongAdder tombstonesScanned = new LongAdder();
    private volatile TableMetrics metrics = TableMetrics.NONE;

    /** An in-memory table (no commit log, no SSTables). */
    public TableStore(TableMetadata metadata) {
        this(metadata, null, null, ReadThresholds.DEFAULT);
    }

    TableStore(TableMetadata metadata, TableContext context, SSTableDirectory directory, ReadThresholds thresholds) {
        this.metadata = metadata;
        this.current = new Memtable(metadata);
        this.context = context;
        this.directory = directory;
        this.thresholds = thresholds;
    }

    /**
     * Opens the table's SSTables, deleting debris of interrupted writes and SSTables a truncation already
     * covers (a crash may have stopped the truncate before deleting them).
     */
    void loadSSTables() {
        CommitLogPosition truncatedAt = context.truncations().get(metadata.id());
        recordedFloor = ReplayFloor.load(directory.path());
        for (Descriptor d : directory.cleanupAndList()) {
            SSTableReader r = SSTableReader.open(d, metadata);
            if (!truncatedAt.equals(CommitLogPosition.NONE) && r.stats().commitLogUpperBound().compareTo(truncatedAt) <= 0) {
                log.info("Deleting {}: its data was truncated", d);
                r.markObsolete();
            } else {
                sstables.add(r);
            }
        }
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
        while (!current.tryApply(update)) {
            Thread.onSpinWait(); // the memtable was switched under us; the new one is already current
        }
    }

    public Memtable currentMemtable() {
        return current;
    }

    /**
     * Switches in a fresh memtable; the old one stays readable in the flushing list until {@link #flushed}
     * removes it, and is returned once no write is still being applied to it.
     *
     * <p>The commit-log position P is read <em>before</em> the switch. Writes are applied to a memtable
     * before they are appended to the log, so every record below P belongs to a write already applied to
     * this memtable or an older one, and every write that reaches the new memtable gets a position at or
     * above P. That makes "all of this table's records before P are in the old memtables" true.
     */
    public Memtable switchMemtable() {
        return switchForFlush();
    }

    private synchronized Memtable switchForFlush() {
        CommitLogPosition upper = context == null ? CommitLogPosition.NONE : context.logPosition();
        Memtable old = current;
        switchPositions.put(old, upper);
        flushing.add(old);
        current = new Memtable(metadata);
        old.markSwitched();
        old.awaitPendingWrites();
        return old;
    }

    /** Called when {@code memtable}'s data is readable elsewhere (an SSTable), or was discarded. */
    public void flushed(Memtable memtable) {
        install(memtable, null);
    }

    /** Makes {@code sstable} (null: none) live in place of {@code memtable}; false if the memtable was truncated away. */
    private synchronized boolean install(Memtable memtable, SSTableReader sstable) {
        if (dropped || !flushing.contains(memtable)) {
            if (sstable != null) {
                sstable.markObsolete();
            }
            return false;
        }
        // Add before removing, so a concurrent read sees the data in at least one of them.
        if (sstable != null) {
            sstables.add(sstable);
        }
        flushing.remove(memtable);
        switchPositions.remove(memtable);
        return true;
    }

    public List<Memtable> flushingMemtables() {
        return List.copyOf(flushing);
    }

    public List<SSTableReader> sstables() {
        return List.copyOf(sstables);
    }

    /** Every source a read must merge, newest first (no SSTable references taken: for tests and tools). */
    public List<PartitionSource> sources() {
        List<PartitionSource> s = new ArrayList<>(1 + flushing.size() + sstables.size());
        s.add(current);
        s.addAll(flushing);
        s.addAll(sstables);
        return s;
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
        List<PartitionSource> sources = new ArrayList<>();
        sources.add(current); // memtables before SSTables, as in withSources
        sources.addAll(flushing);
        List<SSTableReader> referenced = referenceSSTables();
        sources.addAll(referenced);
        Runnable release = () -> referenced.forEach(SSTableReader::unref);
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
        // Order matters against a concurrent flush, which adds the SSTable before removing the memtable:
        // look at the memtables first, then the SSTables.
        List<PartitionSource> sources = new ArrayList<>();
        sources.add(current);
        sources.addAll(flushing);
        List<SSTableReader> referenced = referenceSSTables();
        sources.addAll(referenced);
        try {
            ReadResult r = read.apply(sources);
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
            for (SSTableReader r : referenced) {
                r.unref();
            }
            readLatency.recordNanos(System.nanoTime() - start);
        }
    }

    private List<SSTableReader> referenceSSTables() {
        while (true) {
            List<SSTableReader> got = new ArrayList<>(sstables.size());
            boolean all = true;
            for (SSTableReader r : sstables) {
                if (r.tryRef()) {
                    got.add(r);
                } else {
                    all = false; // replaced meanwhile: take a fresh look
                    break;
                }
            }
            if (all) {
                return got;
            }
            got.forEach(SSTableReader::unref);
        }
    }

    /**
     * Flushes the current memtable (and any older one whose flush failed) to SSTables. The memtable is
     * switched now and starts writing as soon as a flush writer is free, also while older flushes of this
     * table are still running; completes when it (and every older one) is live and the commit log has been
     * told.
     */
    public CompletionStage<Void> flush() {
        if (context == null) {
            throw new UnsupportedOperationException("table " + metadata + " is in memory only and cannot flush");
        }
        synchronized (flushChainLock) {
            Memtable switched = dropped ? null : switchForFlush();
            if (switched != null) {
                startWrite(switched);
            }
            CompletableFuture<Void> next = flushChain.handle((x, e) -> (Void) null)
                    .thenComposeAsync(x -> commitUpTo(switched), context.blockingIo());
            flushChain = next;
            pendingFlushes.add(next);
            next.whenComplete((x, e) -> {
                synchronized (flushChainLock) {
                    pendingFlushes.remove(next);
                }
            });
            return next;
        }
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
        if (context == null) {
            return null;
        }
        long bytes = current.liveDataSize();
        if (bytes <= limitBytes) {
            for (Memtable m : flushing) {
                bytes += m.liveDataSize();
            }
            if (bytes <= limitBytes) {
                return null;
            }
        }
        synchronized (flushChainLock) {
            return pendingFlushes.peekFirst();
        }
    }

    /** True while a flush of this table is queued or running. */
    public boolean isFlushing() {
        synchronized (flushChainLock) {
            return !flushChain.isDone();
        }
    }

    /** Flushes of this table switched and not yet committed (failed ones included). */
    public int flushingCount() {
        return flushing.size();
    }

    /**
     * True once, for the current memtable, when it holds more than {@code cleanupBytes}: the write that
     * crosses the threshold asks the flusher to check memory at once instead of at its next tick.
     */
    boolean crossedCleanupThreshold(long cleanupBytes) {
        Memtable m = current;
        return m.liveDataSize() > cleanupBytes && m.claimFlushRequest();
    }

    /** Starts writing {@code m}'s SSTable (up to prepare) once a flush writer is free. */
    private CompletableFuture<SSTableWriter> startWrite(Memtable m) {
        CompletableFuture<SSTableWriter> w = m.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : context.flushWriters().submit(() -> writeSSTable(m));
        writes.put(m, w);
        return w;
    }

    private CompletionStage<SSTableWriter> writeSSTable(Memtable m) {
        if (dropped || !flushing.contains(m)) {
            return CompletableFuture.completedFuture(null); // truncated while waiting for a writer: nothing to write
        }
        CommitLogPosition upper = switchPositions.getOrDefault(m, CommitLogPosition.NONE);
        SSTableWriter writer;
        try {
            writer = SSTableWriter.create(directory.newDescriptor(), metadata, context.sstable(), m.partitionCount(),
                    m.minTimestamp(), upper, 0);
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

    /** Commits, oldest first, every flushing memtable up to {@code target} (the flush's own memtable). */
    private CompletableFuture<Void> commitUpTo(Memtable target) {
        if (target == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<Memtable> order = List.copyOf(flushing);
        int at = order.indexOf(target);
        if (at < 0) {
            abandon(target); // truncated or dropped meanwhile
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Memtable m : order.subList(0, at + 1)) {
            chain = chain.thenCompose(x -> commitOne(m));
        }
        return chain;
    }

    private CompletableFuture<Void> commitOne(Memtable m) {
        if (!flushing.contains(m)) {
            abandon(m); // committed by an earlier flush, or truncated away
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<SSTableWriter> written = writes.get(m);
        if (written == null) {
            written = startWrite(m); // its earlier write failed: write it again before anything newer commits
        }
        long t0 = System.nanoTime();
        return written.handleAsync((writer, e) -> {
            if (e != null) {
                writes.remove(m);
                log.error("Flush of {} failed; the memtable stays in memory and in the commit log", metadata, e);
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
            commit(m, writer, t0);
            return null;
        }, context.blockingIo());
    }

    /** Makes {@code m}'s written SSTable complete on disk and live (null writer: {@code m} was empty). */
    private void commit(Memtable m, SSTableWriter writer, long waitStart) {
        CommitLogPosition upper = switchPositions.getOrDefault(m, CommitLogPosition.NONE);
        if (writer == null) {
            writes.remove(m);
            if (install(m, null)) {
                context.discardLog(metadata.id(), upper);
            }
            return;
        }
        long bytes = m.liveDataSize();
        SSTableReader sstable;
        try {
            sstable = writer.commit(metadata);
        } catch (RuntimeException e) {
            writes.remove(m);
            writer.abort();
            log.error("Flush of {} failed; the memtable stays in memory and in the commit log", metadata, e);
            throw e;
        }
        writes.remove(m);
        if (install(m, sstable)) {
            context.discardLog(metadata.id(), upper);
            metrics.flushed(bytes, sstable.bytesOnDisk());
            compactionCounters.flushed(sstable.uncompressedLength());
            context.flushed(this);
            long now = System.nanoTime();
            log.info("Flushed {}: {} partitions, {} MiB of memtable into {} ({} MiB on disk), {} ms after the switch"
                            + " ({} ms waiting for its write and commit)", metadata, m.partitionCount(), bytes >> 20,
                    sstable.descriptor(), sstable.bytesOnDisk() >> 20, (now - m.switchedAtNanos()) / 1_000_000,
                    (now - waitStart) / 1_000_000);
        }
    }

    /** {@code m} will not be committed (truncated or dropped): deletes its SSTable files once written. */
    private void abandon(Memtable m) {
        CompletableFuture<SSTableWriter> w = writes.remove(m);
        if (w != null) {
            w.thenAccept(writer -> {
                if (writer != null) {
                    writer.abort();
                }
            });
        }
    }

    // ---- compaction (io.sibyl.storage.compaction.Compaction drives these) ----

    /** The table's directory (null in memory). */
    public SSTableDirectory sstableDirectory() {
        return directory;
    }

    public SSTableConfig sstableConfig() {
        return context == null ? SSTableConfig.DEFAULT : context.sstable();
    }

    public CompactionCounters compactionCounters() {
        return compactionCounters;
    }

    public CompactionParams compactionParams() {
        return CompactionParams.forTable(metadata);
    }

    /** What a planner sees of this table now. */
    public synchronized PlanInput planInput(long nowMillis) {
        int gcBefore = (int) Math.max(Integer.MIN_VALUE, nowMillis / 1000 - metadata.params().gcGraceSeconds());
        List<SSTableInfo> infos = new ArrayList<>();
        for (SSTableReader r : sstables) {
            infos.add(SSTableInfo.of(r, gcBefore));
        }
        Set<Integer> busy = new HashSet<>();
        for (SSTableReader r : compacting) {
            busy.add(r.descriptor().generation());
        }
        long memMin = current.minTimestamp();
        for (Memtable m : flushing) {
            memMin = Math.min(memMin, m.minTimestamp());
        }
        return new PlanInput(infos, busy, gcBefore, nowMillis, memMin);
    }

    /**
     * Claims live SSTables for a compaction (each referenced, so its files outlive the compaction's reads);
     * null if one is gone or already claimed.
     */
    public synchronized List<SSTableReader> markCompacting(Collection<Integer> generations) {
        if (dropped || closed || directory == null) {
            return null;
        }
        List<SSTableReader> out = new ArrayList<>();
        for (int g : generations) {
            SSTableReader found = null;
            for (SSTableReader r : sstables) {
                if (r.descriptor().generation() == g) {
                    found = r;
                }
            }
            if (found == null || compacting.contains(found) || out.contains(found)) {
                return null;
            }
            out.add(found);
        }
        List<SSTableReader> refd = new ArrayList<>();
        for (SSTableReader r : out) {
            if (!r.tryRef()) {
                refd.forEach(SSTableReader::unref);
                return null;
            }
            refd.add(r);
        }
        compacting.addAll(out);
        return out;
    }

    /** Ends a compaction's claim (and its references); the SSTables' files go once no read uses them. */
    public void unmarkCompacting(Collection<SSTableReader> inputs) {
        synchronized (this) {
            compacting.removeAll(inputs);
        }
        inputs.forEach(SSTableReader::unref);
    }

    /** The planner's estimate of compactions still due (0 in memory). */
    public int pendingCompactions() {
        if (directory == null) {
            return 0;
        }
        return io.sibyl.storage.compaction.CompactionPlanner.of(compactionParams())
                .estimatedPendingTasks(planInput(System.currentTimeMillis()));
    }

    /** Generations in running compactions. */
    public synchronized Set<Integer> compactingGenerations() {
        Set<Integer> out = new HashSet<>();
        for (SSTableReader r : compacting) {
            out.add(r.descriptor().generation());
        }
        return out;
    }

    /**
     * Atomically (for reads, and across crashes through {@code commit}) replaces {@code removed} by
     * {@code added}: false, with nothing changed, if the table was dropped or truncated meanwhile. Under
     * this lock nothing else changes the SSTable set, so {@code commit} (the transaction log's commit point)
     * and the swap agree. New SSTables go in before old ones leave: a concurrent read sees the data in at
     * least one of them (both at once is harmless, reconciliation being idempotent).
     */
    public synchronized boolean replaceSSTables(Collection<SSTableReader> removed, Collection<SSTableReader> added,
                                                Runnable commit) {
        if (dropped || closed || !sstables.containsAll(removed)) {
            return false;
        }
        if (directory != null) {
            CommitLogPosition before = maxUpperBound(sstables);
            List<SSTableReader> after = new ArrayList<>(sstables);
            after.removeAll(removed);
            after.addAll(added);
            if (maxUpperBound(after).compareTo(before) < 0 && before.compareTo(recordedFloor) > 0) {
                ReplayFloor.store(directory.path(), before); // durable before the old SSTables can go
                recordedFloor = before;
            }
        }
        commit.run();
        sstables.addAll(added);
        sstables.removeAll(removed);
        removed.forEach(SSTableReader::markObsolete);
        return true;
    }

    /**
     * Discards all data of the table. A durable table records the commit-log position first, so replay
     * after a crash neither brings back records before it nor keeps SSTables that hold only such data.
     */
    public synchronized void truncate() {
        CommitLogPosition at = context == null ? CommitLogPosition.NONE : context.logPosition();
        discardMemtables();
        List<SSTableReader> gone = List.copyOf(sstables);
        sstables.clear();
        if (context != null) {
            context.truncations().record(metadata.id(), at);
            gone.forEach(SSTableReader::markObsolete);
            context.discardLog(metadata.id(), at);
        }
    }

    private void discardMemtables() {
        Memtable old = current;
        current = new Memtable(metadata);
        old.markSwitched();
        old.awaitPendingWrites();
        flushing.clear();
        switchPositions.clear();
        for (Memtable m : List.copyOf(writes.keySet())) {
            abandon(m); // their files go once written; their commit steps find nothing to do
        }
    }

    /** DROP TABLE: discards everything and deletes the table's directory. */
    synchronized void drop() {
        dropped = true;
        discardMemtables();
        List<SSTableReader> gone = List.copyOf(sstables);
        sstables.clear();
        gone.forEach(SSTableReader::markObsolete);
        if (context != null) {
            directory.deleteAll();
            if (context.commitLog() != null) {
                context.commitLog().forgetTable(metadata.id());
            }
            context.truncations().remove(metadata.id());
        }
    }

    /** Node shutdown: releases the SSTables' files (without deleting them). */
    void closeSSTables() {
        synchronized (this) {
            closed = true; // a compaction finishing now rolls back rather than swap files it could not delete
        }
        for (SSTableReader r : sstables) {
            r.close();
        }
    }

    private static CommitLogPosition maxUpperBound(List<SSTableReader> readers) {
        CommitLogPosition p = CommitLogPosition.NONE;
        for (SSTableReader r : readers) {
            p = CommitLogPosition.max(p, r.stats().commitLogUpperBound());
        }
        return p;
    }

    /**
     * Replay skips this table's records before this position: they are in its SSTables, were truncated, or
     * were flushed into SSTables a compaction has since purged away (the recorded floor).
     */
    CommitLogPosition replayFrom() {
        CommitLogPosition p = CommitLogPosition.max(context.truncations().get(metadata.id()), recordedFloor);
        for (SSTableReader r : sstables) {
            p = CommitLogPosition.max(p, r.stats().commitLogUpperBound());
        }
        return p;
    }

    public TableStats stats() {
        Memtable m = current;
        long memBytes = m.liveDataSize();
        long memPartitions = m.partitionCount();
        List<Memtable> fl = flushingMemtables();
        for (Memtable f : fl) {
            memBytes += f.liveDataSize();
            memPartitions += f.partitionCount();
        }
        long bytes = 0;
        long partitions = memPartitions;
        long falsePositives = 0;
        long truePositives = 0;
        long bloomBytes = 0;
        long droppable = 0;
        int gcBefore = (int) (System.currentTimeMillis() / 1000) - metadata.params().gcGraceSeconds();
        List<SSTableReader> live = sstables();
        for (SSTableReader r : live) {
            bytes += r.bytesOnDisk();
            partitions += r.stats().partitionCount();
            falsePositives += r.bloomFalsePositives();
            truePositives += r.bloomTruePositives();
            bloomBytes += r.bloomFilterBytes();
            droppable += r.stats().estimatedDroppableTombstones(gcBefore);
        }
        double ratio = falsePositives + truePositives == 0 ? 0 : falsePositives / (double) (falsePositives + truePositives);
        return new TableStats(metadata.keyspace(), metadata.name(), metadata.id(), memBytes, memPartitions, fl.size(),
                live.size(), bytes, partitions, falsePositives, ratio, bloomBytes, droppable, readLatency.snapshot(),
                writeLatency.snapshot(), tombstoneWarnings.sum(), tombstoneFailures.sum(), corruptReads.sum(),
                tombstonesScanned.sum(), compactionCounters.snapshot(pendingCompactions()));
    }
}
