package io.sibyl.storage.commitlog;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.util.BlockingIo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.serialization.MutationSerializer;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The live commit log: appends mutations to fixed-size segment files with group commit, and deletes
 * segments once their data is flushed.
 *
 * <p>Appends go to one writer thread (ADR 040) through a lock-free queue: the writer takes everything
 * that queued up while its previous write and fsync ran (up to 1 MiB) as the next batch, writes it and
 * fsyncs once. A request thread only enqueues, and wakes the writer only when the writer found the queue
 * empty and went to sleep; under load the writer is busy with the previous fsync and nobody is woken per
 * request. The writer hands each batch's completions to the default dispatcher as one task.
 *
 * <p>Positions: the writer assigns each record its position and marks its tables dirty in the segment
 * before publishing the new end as {@link #currentPosition()}. So a position P read at any moment splits
 * the records into those already assigned (below P) and those assigned later (at or above P) — the
 * memtable switch relies on that (see {@code TableStore.switchMemtable}).
 *
 * <p>Invariant: a segment is deleted only after every table dirty in it has flushed past its last
 * record there ({@link #discardCompletedSegments}) and it is no longer being written.
 */
public final class CommitLog {

    private static final Logger log = LoggerFactory.getLogger(CommitLog.class);

    /** Appends queued and not yet taken by the writer beyond which new ones fail (the old queue's 4,096 + 65,536 offers). */
    private static final int MAX_QUEUED = 4096 + (1 << 16);
    private static final long MAX_BATCH_BYTES = 1 << 20;
    private static final int INITIAL_BATCH_BUFFER = 256 * 1024;
    private static final int MAX_CACHED_BATCH_BUFFER = 4 << 20;

    /**
     * What one append hands the writer: one record per mutation (a bulk request's group of mutations shares
     * one queue element and one future), and the future, completed with the last record's position.
     */
    private static final class Pending {
        final Mutation[] mutations;
        final byte[][] payloads;
        final CompletableFuture<CommitLogPosition> done = new CompletableFuture<>();
        final long weight;

        Pending(Mutation[] mutations, byte[][] payloads) {
            this.mutations = mutations;
            this.payloads = payloads;
            long w = 0;
            for (byte[] payload : payloads) {
                w += payload.length + CommitLogFormat.RECORD_OVERHEAD;
            }
            this.weight = w;
        }

        long weight() {
            return weight;
        }
    }

    /** Creates a preallocated segment file under its spare name (a test hook; normally {@link CommitLogSegment#prepare}). */
    @FunctionalInterface
    interface SegmentPreparer {
        Path prepare(Path dir, long id, int capacity) throws IOException;
    }

    private final Path dir;
    private final CommitLogConfig config;
    private final SegmentPreparer preparer;
    /** The spare segment being prepared or ready (its id and file). Writer thread only (and open/close). */
    private volatile long spareId;
    private volatile CompletableFuture<Path> spare;
    private volatile long spareMisses;
    private volatile long spareFailures;
    private final ExecutionContextExecutor blockingIo;
    /** Runs what waits on a batch's durability (the requests' completions), off the writer thread. */
    private final ExecutionContextExecutor completions;
    private final ConcurrentSkipListMap<Long, CommitLogSegment> segments = new ConcurrentSkipListMap<>();
    /** Appends waiting for the writer, and their count (bounded by {@link #MAX_QUEUED}). */
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread writer;
    /** The writer found the queue empty and is parking (or parked): an append must wake it. */
    private volatile boolean writerSleeping;
    /** The writer has stopped (closed): whoever finds an append still queued fails it. */
    private volatile boolean writerStopped;
    private final CompletableFuture<Void> writerDone = new CompletableFuture<>();
    private final Cancellable periodicSync;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile CommitLogSegment active;
    private volatile CommitLogPosition current;
    private volatile Throwable failure;
    private volatile boolean closing;
    private long nextSegmentId;
    private long lastSyncNanos;
    /** Written by the writer only (see {@link #batchBuffer}). */
    private ByteBuffer batchBuffer;
    // Written by the writer only; read by stats.
    private volatile long syncs;
    private volatile long recordsWritten;
    private volatile long appendsWritten;
    private volatile long bytesWritten;

    private CommitLog(Path dir, CommitLogConfig config, long firstSegmentId, Materializer mat,
                      SegmentPreparer preparer) throws IOException {
        this.dir = dir;
        this.config = config;
        this.preparer = preparer;
        this.blockingIo = mat.system().dispatchers().lookup(BlockingIo.DISPATCHER);
        this.completions = mat.system().dispatcher();
        Files.createDirectories(dir);
        deleteLeftoverSpares();
        this.nextSegmentId = firstSegmentId;
        long firstId = nextSegmentId++;
        this.active = CommitLogSegment.activate(dir, preparer.prepare(dir, firstId, config.segmentSize()), firstId,
                config.segmentSize());
        segments.put(active.id(), active);
        prepareSpare();
        this.current = new CommitLogPosition(active.id(), active.position());
        this.writer = new Thread(this::writeLoop, "sibyl-commitlog-writer-" + dir.getFileName());
        writer.setDaemon(true);
        writer.start();
        this.periodicSync = config.sync() == CommitLogSync.PERIODIC
                ? mat.system().scheduler().scheduleWithFixedDelay(config.syncPeriod(), config.syncPeriod(),
                        this::periodicSync, blockingIo)
                : null;
        log.info("Commit log open in {} (sync {}, segment {} bytes), first segment {}", dir,
                config.sync().name().toLowerCase(), config.segmentSize(), active.file().getFileName());
    }

    /**
     * Opens a log that writes new segments starting at id {@code firstSegmentId}, which must be above every
     * id used before on this node (old segments must have been replayed and cleared first).
     */
    public static CommitLog open(Path dir, CommitLogConfig config, long firstSegmentId, Materializer mat) throws IOException {
        return new CommitLog(dir, config, firstSegmentId, mat, CommitLogSegment::prepare);
    }

    static CommitLog open(Path dir, CommitLogConfig config, long firstSegmentId, Materializer mat,
                          SegmentPreparer preparer) throws IOException {
        return new CommitLog(dir, config, firstSegmentId, mat, preparer);
    }

    /** Spare segments a crash left behind hold no record (they were never used): delete them. */
    private void deleteLeftoverSpares() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(CommitLogFormat.SPARE_SUFFIX)).toList()) {
                Files.deleteIfExists(f);
                log.info("Deleted unused spare commit log segment {}", f.getFileName());
            }
        }
    }

    /** Starts preparing the next segment in the background (Cassandra's CommitLogSegmentManager keeps one spare). */
    private void prepareSpare() {
        long id = nextSegmentId++;
        spareId = id;
        spare = CompletableFuture.supplyAsync(() -> {
            try {
                return preparer.prepare(dir, id, config.segmentSize());
            } catch (IOException e) {
                spareFailures++;
                log.error("Could not prepare the spare commit log segment {} (the next segment switch creates one inline)",
                        id, e);
                throw new java.io.UncheckedIOException(e);
            }
        }, blockingIo);
    }

    /**
     * Appends a mutation; the stage completes with its position once it is durable per the sync mode (or
     * fails with {@link CommitLogFailedException} / {@link MutationTooLargeException}).
     */
    public CompletionStage<CommitLogPosition> append(Mutation mutation) {
        byte[] payload;
        try {
            checkWritable();
            payload = serialize(mutation);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return append(mutation, payload);
    }

    /** Fails if the log refuses writes (failed earlier, or closed). */
    public void checkWritable() {
        if (failure != null || closing) {
            throw new CommitLogFailedException(
                    closing ? "commit log is closed" : "commit log failed earlier and refuses writes", failure);
        }
    }

    /** The largest serialized mutation a record may hold (half a segment). */
    public int maxMutationSize() {
        return config.maxMutationSize();
    }

    /** The record payload of a mutation; throws {@link MutationTooLargeException} past half a segment. */
    public byte[] serialize(Mutation mutation) {
        byte[] payload = MutationSerializer.serialize(mutation);
        if (payload.length > config.maxMutationSize()) {
            throw new MutationTooLargeException(payload.length, config.maxMutationSize());
        }
        return payload;
    }

    /** Appends a mutation already serialized by {@link #serialize}. */
    public CompletionStage<CommitLogPosition> append(Mutation mutation, byte[] payload) {
        return append(new Pending(new Mutation[] {mutation}, new byte[][] {payload}));
    }

    /**
     * Appends mutations already serialized by {@link #serialize}, one record each, in order, as one element of
     * the writer's queue: the stage completes (with the last record's position) once all are durable. A bulk
     * request's rows take one queue offer and one future instead of one per row.
     */
    public CompletionStage<CommitLogPosition> appendAll(List<Mutation> mutations, List<byte[]> payloads) {
        if (mutations.size() != payloads.size() || mutations.isEmpty()) {
            throw new IllegalArgumentException(mutations.size() + " mutations but " + payloads.size() + " payloads");
        }
        return append(new Pending(mutations.toArray(new Mutation[0]), payloads.toArray(new byte[0][])));
    }

    private CompletionStage<CommitLogPosition> append(Pending p) {
        if (failure != null || closing) {
            return CompletableFuture.failedFuture(new CommitLogFailedException(
                    closing ? "commit log is closed" : "commit log failed earlier and refuses writes", failure));
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            return CompletableFuture.failedFuture(new CommitLogFailedException("commit log did not accept the write ("
                    + MAX_QUEUED + " appends already waiting for the writer)", null));
        }
        queue.offer(p);
        if (writerSleeping) {
            LockSupport.unpark(writer);
        }
        if (writerStopped) {
            failQueued(); // closed between the check above and the offer: nobody else would answer it
        }
        return p.done;
    }

    /**
     * The writer: takes everything queued (up to {@link #MAX_BATCH_BYTES}, at least one append) as a batch,
     * writes and syncs it, and repeats; parks while the queue is empty. Exits once closing and drained.
     */
    private void writeLoop() {
        try {
            while (true) {
                Pending first = queue.poll();
                if (first == null) {
                    writerSleeping = true;
                    first = queue.poll(); // an append that saw writerSleeping false enqueued before this poll
                    if (first == null) {
                        if (closing) {
                            break;
                        }
                        LockSupport.park(this);
                        writerSleeping = false;
                        continue;
                    }
                    writerSleeping = false;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                long weight = first.weight();
                Pending next;
                while (weight < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
                    batch.add(next);
                    weight += next.weight();
                }
                queued.addAndGet(-batch.size());
                writeBatch(batch);
            }
        } catch (Throwable t) {
            failure = t;
            log.error("Commit log writer stopped unexpectedly; refusing all further writes", t);
        } finally {
            writerStopped = true;
            failQueued();
            writerDone.complete(null);
        }
    }

    /** Fails every append still queued (the writer has stopped). */
    private void failQueued() {
        Pending p;
        while ((p = queue.poll()) != null) {
            queued.decrementAndGet();
            p.done.completeExceptionally(new CommitLogFailedException(
                    failure != null ? "commit log failed earlier and refuses writes" : "commit log is closed", failure));
        }
    }

    /** The position the next record will get (every record already assigned lies before it). */
    public CommitLogPosition currentPosition() {
        return current;
    }

    private void writeBatch(List<Pending> batch) {
        if (failure != null) {
            failAll(batch, failure);
            return;
        }
        List<CommitLogPosition> positions = new ArrayList<>(batch.size());
        try {
            CommitLogSegment seg = active;
            ByteBuffer buf = batchBuffer((int) Math.min(totalWeight(batch), config.segmentSize()));
            long written = 0;
            long records = 0;
            for (Pending p : batch) {
                CommitLogPosition last = null;
                for (int r = 0; r < p.payloads.length; r++) {
                    byte[] payload = p.payloads[r];
                    int size = payload.length + CommitLogFormat.RECORD_OVERHEAD;
                    written += size;
                    if (!seg.hasRoom(buf.position() + size)) {
                        buf.flip();
                        seg.append(buf);
                        seg = switchSegment(seg);
                        buf = batchBuffer((int) Math.min(totalWeight(batch), config.segmentSize()));
                    }
                    if (buf.remaining() < size) {
                        ByteBuffer bigger = batchBuffer(Math.max(buf.capacity() * 2, buf.position() + size));
                        buf.flip();
                        bigger.put(buf);
                        buf = bigger;
                    }
                    int offset = seg.position() + buf.position();
                    for (PartitionUpdate u : p.mutations[r].updates()) {
                        seg.markDirty(u.tableId(), offset);
                    }
                    CommitLogFormat.writeRecord(buf, payload);
                    last = new CommitLogPosition(seg.id(), offset);
                    records++;
                }
                positions.add(last);
            }
            buf.flip();
            seg.append(buf);
            recordsWritten += records;
            appendsWritten += batch.size();
            bytesWritten += written;
            current = new CommitLogPosition(seg.id(), seg.position());
            if (config.sync() != CommitLogSync.PERIODIC) {
                awaitGroupWindow();
                seg.sync();
                lastSyncNanos = System.nanoTime();
                syncs++;
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
            log.error("Commit log write failed; refusing all further writes (the node needs attention)", e);
            failAll(batch, e);
            return;
        }
        // Completing a future runs whatever waits on it (the rest of each request: acks, the answer). On this
        // thread that would hold up the next batch's write and fsync, and put every request's completion
        // work on one thread: hand the whole batch to the default dispatcher as one task instead.
        completions.execute(() -> {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done.complete(positions.get(i));
            }
        });
    }

    /**
     * The writer's batch buffer, emptied, with room for {@code size} bytes. One direct buffer reused for
     * every batch: a new heap buffer per batch was 5% of an ingest's allocation, and the channel copied
     * it into a temporary direct buffer before each write. Batches are written one at a time
     * (mapAsync(1)) and {@link CommitLogSegment#append} writes synchronously, so reuse is safe.
     */
    private ByteBuffer batchBuffer(int size) {
        if (size > MAX_CACHED_BATCH_BUFFER) {
            return ByteBuffer.allocate(size); // a rare huge mutation: not worth keeping direct memory for
        }
        ByteBuffer b = batchBuffer;
        if (b == null || b.capacity() < size) {
            b = ByteBuffer.allocateDirect(Math.max(size, INITIAL_BATCH_BUFFER));
            batchBuffer = b;
        }
        return b.clear();
    }

    private void awaitGroupWindow() {
        if (config.sync() != CommitLogSync.GROUP || config.groupWindow().isZero()) {
            return;
        }
        long wait = lastSyncNanos + config.groupWindow().toNanos() - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static long totalWeight(List<Pending> batch) {
        long w = 0;
        for (Pending p : batch) {
            w += p.weight();
        }
        return Math.max(w, 64);
    }

    private CommitLogSegment switchSegment(CommitLogSegment old) throws IOException {
        CommitLogSegment next = takeSpare();
        active = next;
        current = new CommitLogPosition(next.id(), next.position());
        old.finish();
        if (old.isClean()) {
            deleteSegment(old);
        }
        return next;
    }

    /**
     * The next segment: the prepared spare (waiting for it if its preparation is still running), or, if the
     * preparation failed, one created inline; then starts preparing the next spare.
     */
    private CommitLogSegment takeSpare() throws IOException {
        long id = spareId;
        CompletableFuture<Path> f = spare;
        if (!f.isDone()) {
            spareMisses++;
            log.info("No spare commit log segment ready at a segment switch; waiting for segment {} being prepared", id);
        }
        Path file;
        try {
            file = f.join();
        } catch (java.util.concurrent.CompletionException e) {
            id = nextSegmentId++;
            log.warn("Spare commit log segment preparation failed ({}); creating segment {} inline on the write path",
                    e.getCause() == null ? e : e.getCause().getMessage(), id);
            file = preparer.prepare(dir, id, config.segmentSize());
        }
        CommitLogSegment s = CommitLogSegment.activate(dir, file, id, config.segmentSize());
        segments.put(s.id(), s);
        prepareSpare();
        return s;
    }

    private void periodicSync() {
        CommitLogSegment s = active;
        try {
            s.sync();
            syncs++;
        } catch (ClosedChannelException e) {
            // switched and closed (which synced it) meanwhile
        } catch (IOException e) {
            failure = e;
            log.error("Commit log periodic fsync failed; refusing all further writes", e);
        }
    }

    private static void failAll(List<Pending> batch, Throwable cause) {
        CommitLogFailedException e = new CommitLogFailedException("commit log write failed: " + cause.getMessage(), cause);
        for (Pending p : batch) {
            p.done.completeExceptionally(e);
        }
    }

    /**
     * A table has flushed everything before {@code upTo}: forget its records there, and delete every
     * finished segment nothing else is dirty in.
     */
    public void discardCompletedSegments(UUID tableId, CommitLogPosition upTo) {
        for (CommitLogSegment s : segments.headMap(upTo.segmentId(), true).values()) {
            if (s.markClean(tableId, upTo) && s.isFinished()) {
                deleteSegment(s);
            }
        }
    }

    /** A dropped or truncated table needs none of its records any more. */
    public void forgetTable(UUID tableId) {
        for (CommitLogSegment s : segments.values()) {
            s.forget(tableId);
            if (s.isClean() && s.isFinished()) {
                deleteSegment(s);
            }
        }
    }

    private void deleteSegment(CommitLogSegment s) {
        try {
            if (s.delete()) {
                segments.remove(s.id());
                log.debug("Deleted commit log segment {}: all its data is flushed", s.file().getFileName());
            }
        } catch (IOException e) {
            log.warn("Could not delete commit log segment {}", s.file(), e);
        }
    }

    /** Waits for the spare being prepared and deletes it: a closed log leaves no unused segment. */
    private void deleteSpare() throws IOException {
        Path file;
        try {
            file = spare.join();
        } catch (java.util.concurrent.CompletionException e) {
            return; // logged when it failed; nothing was left behind
        }
        Files.deleteIfExists(file);
    }

    /** The segment files still held (for tests and operators). */
    public List<Path> segmentFiles() {
        List<Path> out = new ArrayList<>();
        for (CommitLogSegment s : segments.values()) {
            out.add(s.file());
        }
        return out;
    }

    /** Per live segment, the tables still dirty in it. */
    public Map<Long, Map<UUID, Integer>> dirtyTables() {
        Map<Long, Map<UUID, Integer>> out = new java.util.TreeMap<>();
        for (CommitLogSegment s : segments.values()) {
            out.put(s.id(), s.dirtyTables());
        }
        return out;
    }

    /** Segment switches that found no spare ready (they waited for it, or created one inline). */
    public long spareMisses() {
        return spareMisses;
    }

    /** Spare segment preparations that failed. */
    public long spareFailures() {
        return spareFailures;
    }

    public long syncCount() {
        return syncs;
    }

    public long recordCount() {
        return recordsWritten;
    }

    /** Appends written (queue elements: a group of mutations appended together counts once). */
    public long appendCount() {
        return appendsWritten;
    }

    /** Record bytes (framing included) written since the log opened. */
    public long bytesWritten() {
        return bytesWritten;
    }

    public CommitLogConfig config() {
        return config;
    }

    /**
     * Stops accepting writes, lets queued ones finish, syncs and closes the active segment (deleting it if
     * nothing is dirty in it). Idempotent.
     */
    public synchronized CompletionStage<Void> close() {
        if (closing) {
            return closed;
        }
        closing = true;
        if (periodicSync != null) {
            periodicSync.cancel();
        }
        LockSupport.unpark(writer); // it drains what is queued, then stops
        writerDone.whenCompleteAsync((done, err) -> {
            try {
                CommitLogSegment s = active;
                s.finish();
                if (s.isClean()) {
                    deleteSegment(s);
                }
                deleteSpare();
                closed.complete(null);
            } catch (IOException | RuntimeException e) {
                closed.completeExceptionally(e);
            }
        }, blockingIo);
        return closed;
    }
}
