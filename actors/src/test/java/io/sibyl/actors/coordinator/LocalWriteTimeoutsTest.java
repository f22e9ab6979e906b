package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalWriteTimeoutsTest {

    @Test
    void failsOnlyUnfinishedWritesPastTheirDeadline() throws Exception {
        LocalWriteTimeouts t = new LocalWriteTimeouts();
        CompletableFuture<Void> late = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        t.watch(late, Duration.ZERO, ConsistencyLevel.QUORUM, 1, WriteType.SIMPLE);
        t.watch(done, Duration.ZERO, ConsistencyLevel.ONE, 1, WriteType.SIMPLE);
        done.complete(null);
        t.sweep();
        ExecutionException e = assertThrows(ExecutionException.class, late::get);
        WriteTimeoutException wte = assertInstanceOf(WriteTimeoutException.class, e.getCause());
        assertEquals(ConsistencyLevel.QUORUM, wte.consistency());
        assertEquals(0, wte.received());
        assertEquals(1, wte.blockFor());
        assertTrue(done.isDone() && !done.isCompletedExceptionally(), "a finished write is left alone");
        assertEquals(0, t.size(), "both left the queue");
    }

    @Test
    void aWriteNotYetDueStopsTheSweepAndIsFailedLater() {
        LocalWriteTimeouts t = new LocalWriteTimeouts();
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        CompletableFuture<Void> finishedBehind = new CompletableFuture<>();
        t.watch(waiting, Duration.ofMillis(150), ConsistencyLevel.ONE, 1, WriteType.SIMPLE);
        t.watch(finishedBehind, Duration.ofMillis(150), ConsistencyLevel.ONE, 1, WriteType.SIMPLE);
        finishedBehind.complete(null);
        t.sweep();
        assertFalse(waiting.isDone(), "not due yet");
        assertEquals(2, t.size(), "the queue is in deadline order: nothing behind the first due write is looked at");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!waiting.isDone() && System.nanoTime() < deadline) {
            t.sweep();
            Thread.onSpinWait();
        }
        assertTrue(waiting.isCompletedExceptionally());
        assertEquals(0, t.size());
    }
}
