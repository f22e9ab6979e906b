package io.sibyl.actors.coordinator;

import io.sibyl.storage.data.DecoratedKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Serializes read-check-write sequences per partition (a striped, asynchronous mutex: waiting never
 * blocks a thread). The single-node {@link LocalCoordinator} makes lightweight transactions atomic
 * with it; it is not Paxos, which a cluster needs ({@link PaxosCoordinator}).
 */
final class PartitionLocks {

    private final AtomicReference<CompletableFuture<Void>>[] stripes;

    @SuppressWarnings("unchecked")
    PartitionLocks(int stripes) {
        this.stripes = new AtomicReference[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new AtomicReference<>(CompletableFuture.completedFuture(null));
        }
    }

    <T> CompletionStage<T> withLock(DecoratedKey key, Supplier<CompletionStage<T>> task) {
        AtomicReference<CompletableFuture<Void>> stripe = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> previous = stripe.getAndSet(mine);
        CompletableFuture<T> result;
        if (previous.isDone()) {
            result = run(task);
        } else {
            // Continue on another thread, so a long queue of waiters does not grow one thread's stack.
            result = previous.thenComposeAsync(x -> run(task), ForkJoinPool.commonPool());
        }
        return result.whenComplete((r, e) -> mine.complete(null));
    }

    private static <T> CompletableFuture<T> run(Supplier<CompletionStage<T>> task) {
        try {
            return task.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
