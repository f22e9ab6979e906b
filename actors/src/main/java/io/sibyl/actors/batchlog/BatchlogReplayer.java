package io.sibyl.actors.batchlog;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Replays what is left in this node's batchlog (Cassandra's {@code BatchlogManager.replayFailedBatches}):
 * every {@code replay_interval} it takes the entries older than the batchlog timeout — their
 * coordinator died, or failed to apply them, before removing them — writes each batch's mutations
 * through the coordinator's write path (every replica; hints for those down or silent), and removes
 * the entry once that write succeeded. A batch whose replay fails stays for the next round. Replaying
 * twice writes the same cells with the same timestamps, so a batch that was in fact applied, or is
 * replayed by both of its holders, changes nothing.
 */
public final class BatchlogReplayer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchlogReplayer.class);

    /** Writes a batch's mutations to their replicas; completes when they are written (or hinted). */
    @FunctionalInterface
    public interface Replay {
        CompletionStage<Void> write(List<Mutation> mutations);
    }

    private final BatchlogStore store;
    private final Function<UUID, TableMetadata> schema;
    private final Replay replay;
    private final BatchlogSettings settings;
    private final LongSupplier nowMillis;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong replayed = new AtomicLong();
    private volatile Cancellable schedule;

    public BatchlogReplayer(BatchlogStore store, Function<UUID, TableMetadata> schema, Replay replay,
                            BatchlogSettings settings, LongSupplier nowMillis) {
        this.store = store;
        this.schema = schema;
        this.replay = replay;
        this.settings = settings;
        this.nowMillis = nowMillis;
    }

    /** Replays every {@code replay_interval} on {@code executor} (the scan may read from disk) until closed. */
    public BatchlogReplayer start(Scheduler scheduler, Executor executor) {
        scala.concurrent.ExecutionContext ec = scala.concurrent.ExecutionContext.fromExecutor(executor);
        schedule = scheduler.scheduleWithFixedDelay(settings.replayInterval(), settings.replayInterval(), () -> {
            replayDue().whenComplete((n, e) -> {
                if (e != null) {
                    log.warn("batchlog replay round failed: {}", e.toString());
                }
            });
        }, ec);
        return this;
    }

    /** Batches replayed (and removed) by this replayer since it started. */
    public long replayedCount() {
        return replayed.get();
    }

    /**
     * One round: replays the entries older than the timeout, one batch after another, and completes with
     * how many were replayed and removed. A round does not start while the previous one runs (0).
     */
    public CompletionStage<Integer> replayDue() {
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(0);
        }
        List<Batch> due;
        try {
            due = store.writtenBefore(nowMillis.getAsLong() - settings.timeout().toMillis());
        } catch (RuntimeException e) {
            running.set(false);
            return CompletableFuture.failedFuture(e);
        }
        if (!due.isEmpty()) {
            log.info("replaying {} batch(es) left in the batchlog", due.size());
        }
        CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
        for (Batch b : due) {
            chain = chain.thenCompose(n -> replayOne(b).thenApply(ok -> ok ? n + 1 : n));
        }
        return chain.whenComplete((n, e) -> running.set(false));
    }

    /** Completes with whether the batch was replayed and removed; never fails. */
    private CompletableFuture<Boolean> replayOne(Batch b) {
        List<UUID> unknown = new ArrayList<>();
        List<Mutation> mutations;
        CompletionStage<Void> written;
        try {
            mutations = b.decode(schema, unknown::add);
            if (!unknown.isEmpty()) {
                log.warn("batch {}: skipping the parts of dropped table(s) {}", b.id(), unknown);
            }
            written = mutations.isEmpty() ? CompletableFuture.completedFuture(null) : replay.write(mutations);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.thenCompose(v -> store.remove(b.id()))
                .handle((v, e) -> {
                    if (e != null) {
                        log.warn("batch {} written at {} could not be replayed, will retry: {}", b.id(),
                                java.time.Instant.ofEpochMilli(b.writtenAtMillis()), e.toString());
                        return false;
                    }
                    replayed.incrementAndGet();
                    log.debug("batch {} replayed and removed", b.id());
                    return true;
                }).toCompletableFuture();
    }

    @Override
    public void close() {
        Cancellable c = schedule;
        if (c != null) {
            c.cancel();
        }
    }
}
