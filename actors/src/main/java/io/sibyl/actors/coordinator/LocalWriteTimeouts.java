package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import org.apache.pekko.actor.typed.ActorSystem;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The write timeout of writes that only this node's replica takes (one replica, here): instead of a
 * scheduler task per write (schedule, then cancel: ~3% of a small write's CPU), every such write joins
 * one queue and a sweep every {@link #SWEEP} fails those still unfinished past their deadline. All of
 * them have the same timeout, so the queue is in deadline order and a sweep stops at the first write
 * that is neither finished nor due. A deadline is kept to within one sweep interval.
 */
final class LocalWriteTimeouts {

    static final Duration SWEEP = Duration.ofMillis(50);

    private record Pending(long deadlineNanos, CompletableFuture<Void> result, ConsistencyLevel cl, int blockFor,
                           WriteType writeType) {
    }

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

    /** Sweeps on the system's scheduler until the system terminates. */
    LocalWriteTimeouts(ActorSystem<?> system) {
        system.scheduler().scheduleWithFixedDelay(SWEEP, SWEEP, this::sweep, system.executionContext());
    }

    /** For tests: no sweeper, {@link #sweep()} is called by hand. */
    LocalWriteTimeouts() {
    }

    /** Fails {@code result} with WRITE_TIMEOUT (no ack received) if it is not complete {@code timeout} from now. */
    void watch(CompletableFuture<Void> result, Duration timeout, ConsistencyLevel cl, int blockFor, WriteType writeType) {
        pending.add(new Pending(System.nanoTime() + timeout.toNanos(), result, cl, blockFor, writeType));
    }

    void sweep() {
        long now = System.nanoTime();
        for (Pending p; (p = pending.peek()) != null; ) {
            if (!p.result().isDone() && p.deadlineNanos() - now > 0) {
                return;
            }
            pending.poll();
            if (!p.result().isDone()) {
                p.result().completeExceptionally(new WriteTimeoutException(p.cl(), 0, p.blockFor(), p.writeType()));
            }
        }
    }

    /** Writes still watched (finished ones leave at the next sweep). */
    int size() {
        return pending.size();
    }
}
