package io.sibyl.storage.flush;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flush ordering without disks: memtables are names, writes are futures the test completes in any
 * order, commits are recorded. Whatever order the writes finish in, commits follow the switch order.
 */
class FlushPipelineTest {

    /** A table's memtables as the pipeline sees them; commit removes a memtable from pending, like the Tracker. */
    static final class FakeTable implements FlushPipeline.Steps<String, String> {
        final List<String> pending = new ArrayList<>();
        final Map<String, List<CompletableFuture<String>>> writes = new HashMap<>();
        final List<String> committed = new ArrayList<>();
        final List<String> abandoned = new ArrayList<>();
        final Set<String> failCommitOnce = new HashSet<>();

        @Override
        public synchronized List<String> pending() {
            return List.copyOf(pending);
        }

        @Override
        public synchronized CompletableFuture<String> write(String m) {
            CompletableFuture<String> f = new CompletableFuture<>();
            writes.computeIfAbsent(m, k -> new ArrayList<>()).add(f);
            return f;
        }

        @Override
        public synchronized void commit(String m, String written, long waitStartNanos) {
            if (failCommitOnce.remove(m)) {
                throw new IllegalStateException("commit of " + m + " failed");
            }
            assertEquals("sstable-" + m, written);
            assertTrue(pending.contains(m), m + " committed after it was discarded");
            committed.add(m);
            pending.remove(m);
        }

        @Override
        public synchronized void abandon(String m, String written) {
            abandoned.add(m + ":" + written);
        }

        /** Completes the latest write of {@code m}. */
        void finishWrite(String m) {
            latestWrite(m).complete("sstable-" + m);
        }

        void failWrite(String m) {
            latestWrite(m).completeExceptionally(new IllegalStateException("disk full writing " + m));
        }

        synchronized CompletableFuture<String> latestWrite(String m) {
            List<CompletableFuture<String>> w = writes.get(m);
            return w.get(w.size() - 1);
        }

        synchronized int writeCount(String m) {
            return writes.getOrDefault(m, List.of()).size();
        }

        synchronized String switchOut(String m) {
            pending.add(m);
            return m;
        }
    }

    final FakeTable table = new FakeTable();
    final FlushPipeline<String, String> pipeline = new FlushPipeline<>("test", table, Runnable::run);

    CompletableFuture<Void> flush(String m) {
        return pipeline.flush(() -> table.switchOut(m));
    }

    @Test
    void commitsFollowTheSwitchOrderWhateverOrderTheWritesFinishIn() {
        CompletableFuture<Void> a = flush("a");
        CompletableFuture<Void> b = flush("b");
        CompletableFuture<Void> c = flush("c");
        assertEquals(1, table.writeCount("c"), "every write starts at once");
        table.finishWrite("c");
        table.finishWrite("b");
        assertEquals(List.of(), table.committed, "b and c wait for a");
        assertFalse(b.isDone());
        assertFalse(c.isDone());
        table.finishWrite("a");
        assertEquals(List.of("a", "b", "c"), table.committed);
        assertTrue(a.isDone() && b.isDone() && c.isDone());
        assertFalse(pipeline.isFlushing());
    }

    @Test
    void aFailedWriteIsWrittenAgainBeforeANewerFlushCommits() throws Exception {
        CompletableFuture<Void> a = flush("a");
        CompletableFuture<Void> b = flush("b");
        table.finishWrite("b");
        table.failWrite("a");
        assertThrows(ExecutionException.class, a::get);
        assertEquals(List.of(), table.committed);
        assertEquals(2, table.writeCount("a"), "b's commit step writes a again first");
        assertFalse(b.isDone());
        table.finishWrite("a");
        b.get();
        assertEquals(List.of("a", "b"), table.committed);
    }

    @Test
    void aFailedCommitLeavesTheMemtablePendingForTheNextFlush() throws Exception {
        table.failCommitOnce.add("a");
        CompletableFuture<Void> a = flush("a");
        table.finishWrite("a");
        assertThrows(ExecutionException.class, a::get);
        assertEquals(List.of("a"), table.pending());
        CompletableFuture<Void> b = flush("b");
        table.finishWrite("b");
        assertFalse(b.isDone(), "a is written again before b commits");
        table.finishWrite("a");
        b.get();
        assertEquals(List.of("a", "b"), table.committed);
    }

    @Test
    void discardedMemtablesAreAbandonedOnceWrittenNeverCommitted() throws Exception {
        CompletableFuture<Void> a = flush("a");
        synchronized (table) {
            table.pending.clear(); // truncated
        }
        pipeline.abandonAll();
        table.finishWrite("a");
        a.get();
        assertEquals(List.of(), table.committed);
        assertEquals(List.of("a:sstable-a"), table.abandoned);
    }

    @Test
    void backpressureWaitsForTheOldestUncommittedFlush() {
        assertNull(pipeline.oldestPending());
        CompletableFuture<Void> a = flush("a");
        flush("b");
        assertSame(a, pipeline.oldestPending());
        assertTrue(pipeline.isFlushing());
        table.finishWrite("b");
        table.finishWrite("a");
        assertNull(pipeline.oldestPending());
        assertFalse(pipeline.isFlushing());
    }

    @Test
    void aFlushWithNothingToSwitchCompletesAfterTheOlderOnes() throws Exception {
        flush("a");
        CompletableFuture<Void> none = pipeline.flush(() -> null);
        assertFalse(none.isDone());
        table.finishWrite("a");
        none.get();
        assertEquals(List.of("a"), table.committed);
    }
}
