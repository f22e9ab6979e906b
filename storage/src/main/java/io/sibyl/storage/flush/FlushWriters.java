package io.sibyl.storage.flush;

import io.sibyl.storage.util.AsyncPermits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The node's flush writers ({@code memtable_flush_writers}, Cassandra's flush executor): at most that many
 * memtable flushes write at once, the others wait in arrival order. A flush is an asynchronous stream on
 * the blocking-IO dispatcher, so a writer is a permit ({@link AsyncPermits}), not a thread: no thread waits
 * for a permit, and a second memtable of a busy table starts writing while the first is still being written.
 */
public final class FlushWriters {

    private final AsyncPermits permits;

    public FlushWriters(int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("memtable_flush_writers must be at least 1: " + writers);
        }
        this.permits = new AsyncPermits(writers);
    }

    public int writers() {
        return permits.permits();
    }

    /** Starts {@code task} once a writer is free; completes as the task's stage does. */
    public <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> task) {
        return permits.submit(task);
    }

    /** Flushes writing now. */
    public int running() {
        return permits.running();
    }

    /** Flushes waiting for a writer. */
    public int queued() {
        return permits.queued();
    }
}
