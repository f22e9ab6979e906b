package io.sibyl.actors.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class SourceSlotsTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    @Test
    void atMostPerSourceRunAtOnceAndTheRestStartInOrderAsSlotsFree() {
        SourceSlots slots = new SourceSlots(2);
        List<CompletableFuture<Integer>> work = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        List<CompletionStage<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Integer> w = new CompletableFuture<>();
            work.add(w);
            int n = i;
            results.add(slots.run(A, () -> {
                started.add(n);
                return w;
            }));
        }
        CompletableFuture<String> other = new CompletableFuture<>();
        slots.run(B, () -> other);
        assertEquals(List.of(0, 1), started, "two at once on a");
        assertEquals(2, slots.running(A));
        assertEquals(1, slots.running(B), "another source has its own slots");
        work.get(1).complete(1);
        assertEquals(List.of(0, 1, 2), started);
        work.get(0).completeExceptionally(new IllegalStateException("source died"));
        assertEquals(List.of(0, 1, 2, 3), started, "a failed fetch frees its slot too");
        assertTrue(results.get(0).toCompletableFuture().isCompletedExceptionally());
        assertEquals(1, results.get(1).toCompletableFuture().join());
        work.get(2).complete(2);
        work.get(3).complete(3);
        work.get(4).complete(4);
        assertEquals(List.of(0, 1, 2, 3, 4), started);
        assertEquals(0, slots.running(A));
        assertEquals(4, results.get(4).toCompletableFuture().join());
    }

    @Test
    void aTaskThatThrowsFailsItsStageAndFreesTheSlot() {
        SourceSlots slots = new SourceSlots(1);
        CompletionStage<Object> failed = slots.run(A, () -> {
            throw new IllegalArgumentException("bad");
        });
        assertTrue(failed.toCompletableFuture().isCompletedExceptionally());
        assertEquals(0, slots.running(A));
        assertEquals("ok", slots.run(A, () -> CompletableFuture.completedFuture("ok")).toCompletableFuture().join());
    }
}
