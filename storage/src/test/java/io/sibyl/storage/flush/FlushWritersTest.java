package io.sibyl.storage.flush;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlushWritersTest {

    @Test
    void atMostNWriteAtOnceAndTheRestStartInArrivalOrder() {
        FlushWriters w = new FlushWriters(2);
        List<CompletableFuture<String>> tasks = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CompletableFuture<String> task = new CompletableFuture<>();
            tasks.add(task);
            int n = i;
            results.add(w.submit(() -> {
                started.add(n);
                return task;
            }));
        }
        assertEquals(List.of(0, 1), started);
        assertEquals(2, w.running());
        assertEquals(2, w.queued());
        tasks.get(1).complete("b");
        assertEquals("b", results.get(1).join());
        assertEquals(List.of(0, 1, 2), started, "the freed writer goes to the oldest waiting flush");
        tasks.get(0).completeExceptionally(new IllegalStateException("disk full"));
        assertTrue(results.get(0).isCompletedExceptionally());
        assertEquals(List.of(0, 1, 2, 3), started, "a failed flush frees its writer too");
        assertFalse(results.get(3).isDone());
        tasks.get(2).complete("c");
        tasks.get(3).complete("d");
        assertEquals("d", results.get(3).join());
        assertEquals(0, w.running());
        assertEquals(0, w.queued());
    }

    @Test
    void aTaskThatThrowsFailsItsFutureAndFreesTheWriter() {
        FlushWriters w = new FlushWriters(1);
        CompletableFuture<Object> failed = w.submit(() -> {
            throw new IllegalStateException("cannot start");
        });
        assertTrue(failed.isCompletedExceptionally());
        assertEquals("ok", w.submit(() -> CompletableFuture.completedFuture("ok")).join());
        assertThrows(IllegalArgumentException.class, () -> new FlushWriters(0));
    }
}
