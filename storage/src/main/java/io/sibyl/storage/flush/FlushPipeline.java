package io.sibyl.storage.flush;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The flushes of one table, in order. Invariant: a flushed memtable is <em>committed</em> (its SSTable made
 * complete and live, its commit log discarded) only after every memtable switched before it is committed.
 * The commit of memtable M claims "every record of this table before M's switch position is in SSTables",
 * which holds only if every older memtable is already in one. Writing is not ordered: the SSTables of
 * several flushes are written at once (as {@link FlushWriters} allow) and may finish in any order; a
 * finished write waits for the older commits. A failed write or commit leaves its memtable pending, and
 * the next flush writes it again before committing anything newer.
 *
 * <p>Generic in the flushed thing {@code M} (a memtable) and what its write produces {@code W} (an
 * SSTable writer, null for nothing), so the ordering is testable without disks.
 */
public final class FlushPipeline<M, W> {

    private static final Logger log = LoggerFactory.getLogger(FlushPipeline.class);

    /**
     * What a flush does with its memtable; the pipeline decides when. The output of a write goes to exactly
     * one of {@link #commit} and {@link #abandon}.
     */
    public interface Steps<M, W> {
        /** The memtables switched and not yet committed (nor discarded), oldest first. */
        List<M> pending();

        /** Starts writing {@code m} (may run concurrently with other writes and finish in any order). */
        CompletableFuture<W> write(M m);

        /**
         * Makes {@code m}'s written output live (runs on the pipeline's executor, oldest first); throwing
         * leaves {@code m} pending, cleaning up what was written. {@code m} may have been discarded since
         * the pipeline looked: then it deletes the output instead.
         *
         * @param waitStartNanos when the pipeline began waiting for this write and commit
         */
        void commit(M m, W written, long waitStartNanos);

        /** {@code m} will never be committed (truncated or dropped): discards its written output. */
        void abandon(M m, W written);
    }

    private final String name;
    private final Steps<M, W> steps;
    private final Executor executor;
    private final Object lock = new Object();
    /** The last flush's commit step; each flush commits after the previous one (guarded by lock). */
    private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    /** The commit steps not yet done, oldest first (guarded by lock): what backpressure waits for. */
    private final ArrayDeque<CompletableFuture<Void>> pendingCommits = new ArrayDeque<>();
    /** The output written, or being written, for each pending memtable, until it is committed or abandoned. */
    private final Map<M, CompletableFuture<W>> writes = new ConcurrentHashMap<>();

    /**
     * @param name     what is flushed, for the log
     * @param executor where commits run (blocking IO)
     */
    public FlushPipeline(String name, Steps<M, W> steps, Executor executor) {
        this.name = name;
        this.steps = steps;
        this.executor = executor;
    }

    /**
     * Switches out a memtable with {@code switcher} (null: nothing to switch) and starts writing it; completes
     * when it, and every memtable switched before it, is committed. Switching under the pipeline's lock
     * makes the commit order the switch order.
     */
    public CompletableFuture<Void> flush(Supplier<M> switcher) {
        synchronized (lock) {
            M switched = switcher.get();
            if (switched != null) {
                startWrite(switched);
            }
            CompletableFuture<Void> next = chain.handle((x, e) -> (Void) null)
                    .thenComposeAsync(x -> commitUpTo(switched), executor);
            chain = next;
            pendingCommits.add(next);
            next.whenComplete((x, e) -> {
                synchronized (lock) {
                    pendingCommits.remove(next);
                }
            });
            return next;
        }
    }

    /** The oldest flush not yet committed (the next to free memory), or null. */
    public CompletableFuture<Void> oldestPending() {
        synchronized (lock) {
            return pendingCommits.peekFirst();
        }
    }

    /** True while a flush is queued or running. */
    public boolean isFlushing() {
        synchronized (lock) {
            return !chain.isDone();
        }
    }

    /** Every pending memtable was discarded (truncate, drop): their outputs go once written. */
    public void abandonAll() {
        for (M m : List.copyOf(writes.keySet())) {
            abandon(m); // their commit steps find nothing to do
        }
    }

    private CompletableFuture<W> startWrite(M m) {
        CompletableFuture<W> w = steps.write(m);
        writes.put(m, w);
        return w;
    }

    /** Commits, oldest first, every pending memtable up to {@code target} (the flush's own memtable). */
    private CompletableFuture<Void> commitUpTo(M target) {
        if (target == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<M> order = List.copyOf(steps.pending());
        int at = order.indexOf(target);
        if (at < 0) {
            abandon(target); // discarded meanwhile
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> c = CompletableFuture.completedFuture(null);
        for (M m : order.subList(0, at + 1)) {
            c = c.thenCompose(x -> commitOne(m));
        }
        return c;
    }

    private CompletableFuture<Void> commitOne(M m) {
        if (!steps.pending().contains(m)) {
            abandon(m); // committed by an earlier flush, or discarded
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<W> started = writes.get(m);
        // No write: its earlier write failed, so write it again before anything newer commits.
        CompletableFuture<W> written = started != null ? started : startWrite(m);
        long t0 = System.nanoTime();
        return written.handleAsync((w, e) -> {
            // Whoever removes m's write from the map owns its output: this commit, or an abandon.
            boolean owned = writes.remove(m, written);
            if (e != null) {
                log.error("Flush of {} failed; the memtable stays in memory and in the commit log", name, e);
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
            if (!owned) {
                return null; // discarded meanwhile (truncate, drop): the abandon deletes the output
            }
            try {
                steps.commit(m, w, t0);
            } catch (RuntimeException ce) {
                log.error("Flush of {} failed; the memtable stays in memory and in the commit log", name, ce);
                throw ce;
            }
            return null;
        }, executor);
    }

    private void abandon(M m) {
        CompletableFuture<W> w = writes.remove(m);
        if (w != null) {
            w.thenAccept(written -> steps.abandon(m, written));
        }
    }
}
