package io.sibyl.actors.flush;

import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.TableStore;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides when memtables flush, one per node. Every {@code memtable_flush_check_interval}, and at once
 * when a write takes a memtable past the cleanup threshold ({@link StorageEngine#onMemoryPressure}), it
 * applies the memory rule ({@link io.sibyl.storage.flush.FlushPolicy}: once the unflushed memtables pass
 * {@code memtable_cleanup_threshold × memtable_heap_space}, flush the largest — also while that table's
 * previous flush is still running), and it serves flush requests ({@code POST /v1/admin/flush}). The
 * flushes themselves run in the storage engine as pekko streams on the blocking-IO dispatcher, at most
 * {@code memtable_flush_writers} writing at once; this actor only starts them (a memtable switch) and
 * hears back, so it never blocks and writes never wait for it. (Flushing at shutdown is
 * {@link StorageShutdown}'s job: it closes the engine.)
 */
public final class MemtableFlusher {

    public sealed interface Command permits Flush, CheckMemory, MemoryFlushDone, RequestDone {
    }

    /** Flush the tables matching keyspace and table (null matches all); replies when they are on disk. */
    public record Flush(String keyspace, String table, ActorRef<FlushReply> replyTo) implements Command {
    }

    /** Check memtable memory now (also sent by the timer). */
    public enum CheckMemory implements Command {
        INSTANCE
    }

    record MemoryFlushDone(UUID tableId, Throwable failure) implements Command {
    }

    record RequestDone(Flush request, Throwable failure) implements Command {
    }

    public sealed interface FlushReply permits Flushed, FlushFailed {
    }

    public record Flushed() implements FlushReply {
    }

    public record FlushFailed(String reason, Throwable cause) implements FlushReply {
    }

    private final StorageEngine engine;
    /** Memory flushes started and not yet done (for the log only: they do not hold back the next one). */
    private int memoryFlushesRunning;

    private MemtableFlusher(StorageEngine engine) {
        this.engine = engine;
    }

    public static Behavior<Command> create(StorageEngine engine) {
        Duration interval = engine.settings().memtableFlushCheckInterval();
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(CheckMemory.INSTANCE, interval);
            MemtableFlusher f = new MemtableFlusher(engine);
            ActorRef<Command> self = ctx.getSelf();
            engine.onMemoryPressure(() -> self.tell(CheckMemory.INSTANCE));
            return Behaviors.receive(Command.class)
                    .onMessage(Flush.class, m -> {
                        ctx.pipeToSelf(start(() -> engine.flush(m.keyspace(), m.table())),
                                (ok, err) -> new RequestDone(m, err));
                        return Behaviors.same();
                    })
                    .onMessage(RequestDone.class, m -> {
                        if (m.failure() == null) {
                            m.request().replyTo().tell(new Flushed());
                        } else {
                            Throwable cause = unwrap(m.failure());
                            if (cause instanceof IllegalArgumentException) {
                                ctx.getLog().warn("Requested flush refused: {}", cause.getMessage());
                            } else {
                                ctx.getLog().error("Requested flush of {}.{} failed", m.request().keyspace(),
                                        m.request().table(), cause);
                            }
                            m.request().replyTo().tell(new FlushFailed(String.valueOf(cause.getMessage()), cause));
                        }
                        return Behaviors.same();
                    })
                    .onMessageEquals(CheckMemory.INSTANCE, () -> {
                        f.checkMemory(ctx);
                        return Behaviors.same();
                    })
                    .onMessage(MemoryFlushDone.class, m -> {
                        f.memoryFlushesRunning--;
                        if (m.failure() != null) {
                            ctx.getLog().error("Flush of table {} for memory failed", m.tableId(), unwrap(m.failure()));
                        }
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    private void checkMemory(org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx) {
        TableStore t = engine.tableToFlushForMemory().orElse(null);
        if (t == null || engine.isClosing()) {
            return;
        }
        UUID id = t.metadata().id();
        memoryFlushesRunning++;
        ctx.getLog().debug("Memtables hold {} bytes (cleanup at {}): flushing {} ({} memory flushes running)",
                engine.unflushedMemtableBytes(), engine.settings().memtableCleanupBytes(), t.metadata(),
                memoryFlushesRunning);
        ctx.pipeToSelf(start(() -> engine.flush(id)), (ok, err) -> new MemoryFlushDone(id, err));
    }

    /**
     * Starts a flush, turning a synchronous failure (e.g. the table was dropped a moment ago) into a failed
     * stage: an exception thrown here would stop the actor, and with it every later flush.
     */
    private static CompletionStage<Void> start(java.util.function.Supplier<CompletionStage<Void>> flush) {
        try {
            return flush.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /**
     * What {@code POST /v1/admin/flush} calls: flushes the matching tables (null matches all) and completes
     * when they are on disk; fails with the flush's error (IllegalArgumentException for an unknown table).
     */
    public static CompletionStage<Void> flush(ActorRef<Command> flusher, Scheduler scheduler, String keyspace,
                                              String table, Duration timeout) {
        return AskPattern.<Command, FlushReply>ask(flusher, replyTo -> new Flush(keyspace, table, replyTo), timeout,
                scheduler).thenCompose(reply -> {
                    if (reply instanceof FlushFailed failed) {
                        return CompletableFuture.failedFuture(failed.cause());
                    }
                    return CompletableFuture.completedFuture(null);
                });
    }
}
