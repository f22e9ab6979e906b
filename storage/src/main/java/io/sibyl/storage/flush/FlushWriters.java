package io.sibyl.storage.flush;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The node's flush writers ({@code memtable_flush_writers}, Cassandra's flush executor): at most that many
 * memtable flushes write at once, the others wait in arrival order. A flush is an asynchronous stream on
 * the blocking-IO dispatcher, so a writer is a permit, not a thread: no thread waits for a permit, and a
 * second memtable of a busy table starts writing while the first is still being written.
 */
public final class FlushWriters {

    private final int writers;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    public FlushWriters(int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("memtable_flush_writers must be at least 1: " + writers);
        }
        this.writers = writers;
    }

    public int writers() {
        return writers;
    }

    /** Starts {@code task} once a writer is free; completes as the task's stage does. */
    public <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletionStage<T> stage;
            try {
                stage = task.get();
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((v, e) -> {
                release();
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
        };
        boolean now;
        synchronized (this) {
            now = running < writers;
            if (now) {
                running++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run(); // the permit passes straight to the next flush
        }
    }

    /** Flushes writing now. */
    public synchronized int running() {
        return running;
    }

    /** Flushes waiting for a writer. */
    public synchronized int queued() {
        return waiting.size();
    }
}
