package io.sibyl.storage.util;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * At most {@code permits} asynchronous tasks running at once; the others start in arrival order as running
 * ones end. A permit is held from the task's start until its stage completes, so no thread ever waits for one:
 * the task that ends hands its permit straight to the next waiting task.
 */
public final class AsyncPermits {

    private final int permits;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    public AsyncPermits(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        this.permits = permits;
    }

    public int permits() {
        return permits;
    }

    /** Starts {@code task} once a permit is free; completes as the task's stage does. */
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
            now = running < permits;
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
            next.run(); // the permit passes straight to the next task
        }
    }

    /** Tasks running now. */
    public synchronized int running() {
        return running;
    }

    /** Tasks waiting for a permit. */
    public synchronized int queued() {
        return waiting.size();
    }
}
