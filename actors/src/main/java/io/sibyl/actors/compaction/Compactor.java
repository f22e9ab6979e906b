package io.sibyl.actors.compaction;

import io.sibyl.storage.compaction.Compaction;
import io.sibyl.storage.compaction.CompactionInterruptedException;
import io.sibyl.storage.compaction.CompactionPlanner;
import io.sibyl.storage.compaction.CompactionProgress;
import io.sibyl.storage.compaction.CompactionSettings;
import io.sibyl.storage.compaction.CompactionTask;
import io.sibyl.storage.compaction.CompactionThrottle;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * Runs compactions, one per node. After every flush, every finished compaction and every
 * {@code compaction_check_interval} it asks each table's planner (its {@code WITH compaction} strategy)
 * for the next task and starts it while fewer than {@code concurrent_compactors} run. Operator major
 * compactions ({@code POST /v1/admin/compact}) go first. Compactions run on the actor's own threads,
 * throttled together to {@code compaction_throughput}; the actor itself only plans, starts and hears
 * back, so it never blocks, and reads and writes never wait for it (they go on against the old SSTables
 * until the atomic swap).
 */
public final class Compactor {

    public sealed interface Command permits Check, TableFlushed, CompactNow, CleanupNow, GetStatus, Finished {
    }

    /** Ask every table's planner (the timer sends this). */
    public enum Check implements Command {
        INSTANCE
    }

    /** A flush installed an SSTable: the table may have work. */
    public record TableFlushed(UUID tableId) implements Command {
    }

    /** Major compaction of the tables matching keyspace and table (null matches all). */
    public record CompactNow(String keyspace, String table, ActorRef<CompactReply> replyTo) implements Command {
    }

    /**
     * Cleanup (nodetool cleanup) of the tables matching keyspace and table (null matches all): every SSTable
     * is rewritten keeping only the partitions whose token {@code owned} (asked per table when its turn
     * comes; null: the table keeps everything and is skipped) accepts. The caller flushes the tables first, so memtable data is in the SSTables rewritten.
     * While a table is being cleaned no other compaction of it starts, and its cleanup waits for running
     * ones: a merge racing the cleanup could carry foreign partitions into an SSTable cleanup never sees.
     */
    public record CleanupNow(String keyspace, String table, Function<TableMetadata, LongPredicate> owned,
                             ActorRef<CompactReply> replyTo) implements Command {
    }

    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    record Finished(Compaction compaction, Throwable failure) implements Command {
    }

    public sealed interface CompactReply permits Compacted, CompactFailed {
    }

    /** Every requested major compaction finished; {@code tables} were compacted (some may have had nothing). */
    public record Compacted(List<String> tables) implements CompactReply {
    }

    public record CompactFailed(String reason, Throwable cause) implements CompactReply {
    }

    /**
     * What {@code GET /v1/admin/compactions} shows.
     *
     * @param pendingTasks the planners' estimate of compactions still due, plus queued major compactions
     */
    public record Status(List<CompactionProgress> running, int pendingTasks, int concurrentCompactors,
                         long throughputBytesPerSec) {
    }

    /** A major compaction request: tables still to compact, the running ones, and who waits. */
    private static final class MajorJob {
        final CompactNow request;
        final Deque<UUID> queued = new ArrayDeque<>();
        final List<String> names = new ArrayList<>();
        int running;
        Throwable failure;

        MajorJob(CompactNow request) {
            this.request = request;
        }
    }

    /** A cleanup request: tables still to clean, the one being cleaned and its SSTables still to rewrite. */
    private static final class CleanupJob {
        final CleanupNow request;
        final Deque<UUID> queued = new ArrayDeque<>();
        final List<String> names = new ArrayList<>();
        UUID current;
        LongPredicate owned;
        Deque<Integer> todo; // null until the table's running compactions have finished
        int running;
        long partitionsDropped;
        Throwable failure;

        CleanupJob(CleanupNow request) {
            this.request = request;
        }
    }

    private final ActorContext<Command> ctx;
    private final StorageEngine engine;
    private final CompactionSettings settings;
    private final CompactionThrottle throttle;
    private final ExecutorService threads;
    private final Map<Compaction, MajorJob> running = new HashMap<>();
    private final Deque<MajorJob> majors = new ArrayDeque<>();
    private final Map<Compaction, CleanupJob> cleaning = new HashMap<>();
    private final Deque<CleanupJob> cleanups = new ArrayDeque<>();

    private Compactor(ActorContext<Command> ctx, StorageEngine engine, CompactionSettings settings) {
        this.ctx = ctx;
        this.engine = engine;
        this.settings = settings;
        this.throttle = new CompactionThrottle(settings.throughputBytesPerSec());
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(settings.concurrentCompactors(), r -> {
            Thread t = new Thread(r, "sibyl-compaction-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1); // reads and writes first
            return t;
        });
    }

    /**
     * The compactor of {@code engine}. A message that throws (a planner failing on one table, say) is logged by
     * the supervisor and the actor resumes with its state: the requests it holds are still answered, and
     * compaction and {@code nodetool}-style status go on for every other table.
     */
    public static Behavior<Command> create(StorageEngine engine, CompactionSettings settings) {
        Behavior<Command> compactor = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Check.INSTANCE, settings.checkInterval());
            ActorRef<Command> self = ctx.getSelf();
            engine.addFlushListener(t -> self.tell(new TableFlushed(t.metadata().id())));
            return new Compactor(ctx, engine, settings).behavior();
        }));
        return Behaviors.supervise(compactor).onFailure(RuntimeException.class, SupervisorStrategy.resume());
    }

    private Behavior<Command> behavior() {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Check.INSTANCE, () -> {
                    schedule();
                    return Behaviors.same();
                })
                .onMessage(TableFlushed.class, m -> {
                    schedule();
                    return Behaviors.same();
                })
                .onMessage(CompactNow.class, m -> {
                    startMajor(m);
                    return Behaviors.same();
                })
                .onMessage(CleanupNow.class, m -> {
                    startCleanup(m);
                    return Behaviors.same();
                })
                .onMessage(GetStatus.class, m -> {
                    m.replyTo().tell(status());
                    return Behaviors.same();
                })
                .onMessage(Finished.class, m -> {
                    finished(m);
                    return Behaviors.same();
                })
                .onSignal(PostStop.class, s -> {
                    // Stop cooperatively: interrupting a thread in FileChannel I/O would close the channel
                    // under every read sharing that SSTable.
                    running.keySet().forEach(Compaction::stop);
                    cleaning.keySet().forEach(Compaction::stop);
                    threads.shutdown();
                    return Behaviors.same();
                })
                .build();
    }

    private void startMajor(CompactNow m) {
        MajorJob job = new MajorJob(m);
        if (selectTables(m.keyspace(), m.table(), job.queued, job.names, m.replyTo())) {
            majors.add(job);
            schedule();
        }
    }

    private void startCleanup(CleanupNow m) {
        CleanupJob job = new CleanupJob(m);
        if (selectTables(m.keyspace(), m.table(), job.queued, job.names, m.replyTo())) {
            cleanups.add(job);
            schedule();
        }
    }

    /**
     * Queues the tables a major compaction or a cleanup covers ({@code keyspace}/{@code table} null: all)
     * into {@code ids}, their {@code keyspace.table} names into {@code names}. A keyspace or table that
     * names nothing is answered {@link CompactFailed} on {@code replyTo}, and false returned.
     */
    private boolean selectTables(String keyspace, String table, Deque<UUID> ids, List<String> names,
                                 ActorRef<CompactReply> replyTo) {
        for (TableStore t : engine.tables()) {
            TableMetadata md = t.metadata();
            if ((keyspace == null || md.keyspace().equals(keyspace)) && (table == null || md.name().equals(table))) {
                ids.add(md.id());
                names.add(md.keyspace() + "." + md.name());
            }
        }
        if (ids.isEmpty() && (table != null || keyspace != null)) {
            replyTo.tell(new CompactFailed("no table " + (keyspace == null ? "" : keyspace + ".")
                    + (table == null ? "*" : table), new IllegalArgumentException("unknown table")));
            return false;
        }
        return true;
    }

    private int runningCount() {
        return running.size() + cleaning.size();
    }

    /**
     * Starts tasks while slots are free: cleanups, then queued major compactions, then what the planners want.
     * Then answers every request with nothing left: a request queued behind another one may find, once a slot
     * frees, that its remaining tables have nothing to compact.
     */
    private void schedule() {
        while (runningCount() < settings.concurrentCompactors()) {
            if (!startNextCleanup() && !startNextMajor() && !startNextPlanned()) {
                break;
            }
        }
        for (MajorJob job : List.copyOf(majors)) {
            completeIfDone(job);
        }
        for (CleanupJob job : List.copyOf(cleanups)) {
            completeIfDone(job);
        }
    }

    /** Tables a cleanup is working on: no other compaction may start on them. */
    private boolean isBeingCleaned(UUID tableId) {
        for (CleanupJob j : cleanups) {
            if (tableId.equals(j.current)) {
                return true;
            }
        }
        return false;
    }

    private boolean startNextCleanup() {
        for (CleanupJob job : List.copyOf(cleanups)) {
            while (true) {
                if (job.current == null) {
                    if (job.queued.isEmpty()) {
                        break;
                    }
                    job.current = job.queued.poll();
                    job.todo = null;
                    TableStore t = engine.tableOrNull(job.current);
                    if (t == null) {
                        job.current = null;
                        continue;
                    }
                    try {
                        job.owned = job.request.owned().apply(t.metadata());
                        if (job.owned == null) { // the node keeps all of this table: nothing to rewrite
                            job.current = null;
                            continue;
                        }
                    } catch (RuntimeException e) {
                        job.failure = job.failure == null ? e : job.failure;
                        job.current = null;
                        job.queued.clear();
                        break;
                    }
                }
                TableStore t = engine.tableOrNull(job.current);
                if (t == null) {
                    job.current = null;
                    continue;
                }
                if (job.todo == null) {
                    UUID id = job.current;
                    if (running.keySet().stream().anyMatch(c -> c.table().metadata().id().equals(id))) {
                        break; // wait for the table's running compactions (finished() schedules again)
                    }
                    job.todo = new ArrayDeque<>();
                    t.planInput(System.currentTimeMillis()).sstables().forEach(i -> job.todo.add(i.generation()));
                }
                while (!job.todo.isEmpty()) {
                    int gen = job.todo.poll();
                    int level = t.planInput(System.currentTimeMillis()).sstables().stream()
                            .filter(i -> i.generation() == gen).mapToInt(i -> i.level()).findFirst().orElse(-1);
                    if (level < 0) {
                        continue; // gone (truncated or dropped meanwhile)
                    }
                    Optional<Compaction> c = Compaction.prepare(t, CompactionTask.cleanup(gen, level), throttle,
                            System.currentTimeMillis(), Compaction.StepHook.NONE, job.owned);
                    if (c.isEmpty()) {
                        continue;
                    }
                    Compaction compaction = c.get();
                    cleaning.put(compaction, job);
                    job.running++;
                    ctx.getLog().debug("Starting cleanup of {} SSTable {}", t.metadata(), gen);
                    ctx.pipeToSelf(CompletableFuture.supplyAsync(compaction::run, threads),
                            (r, e) -> new Finished(compaction, e));
                    return true;
                }
                if (job.running > 0) {
                    break; // the table's last rewrites are still running
                }
                job.current = null; // the table is clean
            }
        }
        return false;
    }

    private boolean startNextMajor() {
        for (MajorJob job : majors) {
            while (!job.queued.isEmpty()) {
                if (isBeingCleaned(job.queued.peek())) {
                    break;
                }
                TableStore t = engine.tableOrNull(job.queued.poll());
                if (t == null) {
                    continue;
                }
                CompactionPlanner planner = CompactionPlanner.of(t.compactionParams());
                Optional<CompactionTask> task = planner.major(t.planInput(System.currentTimeMillis()));
                if (task.isPresent() && start(t, task.get(), job)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean startNextPlanned() {
        for (TableStore t : engine.tables()) {
            if (!t.compactionParams().enabled() || isBeingCleaned(t.metadata().id())) {
                continue;
            }
            Optional<CompactionTask> task = CompactionPlanner.of(t.compactionParams())
                    .next(t.planInput(System.currentTimeMillis()));
            if (task.isPresent() && start(t, task.get(), null)) {
                return true;
            }
        }
        return false;
    }

    private boolean start(TableStore table, CompactionTask task, MajorJob job) {
        Optional<Compaction> c = Compaction.prepare(table, task, throttle);
        if (c.isEmpty()) {
            return false;
        }
        Compaction compaction = c.get();
        running.put(compaction, job);
        if (job != null) {
            job.running++;
        }
        ctx.getLog().debug("Starting compaction of {}: {} ({} SSTables)", table.metadata(), task.reason(), task.inputs().size());
        ctx.pipeToSelf(CompletableFuture.supplyAsync(compaction::run, threads), (r, e) -> new Finished(compaction, e));
        return true;
    }

    private void finished(Finished m) {
        Throwable failure = m.failure() == null ? null
                : m.failure() instanceof java.util.concurrent.CompletionException && m.failure().getCause() != null
                ? m.failure().getCause() : m.failure();
        CleanupJob cleanup = cleaning.remove(m.compaction());
        if (cleanup != null) {
            cleanup.running--;
            cleanup.partitionsDropped += m.compaction().partitionsDropped();
            if (failure != null) {
                ctx.getLog().error("Cleanup of {} failed; its SSTables stay as they were",
                        m.compaction().table().metadata(), failure);
                if (cleanup.failure == null) {
                    cleanup.failure = failure;
                }
            }
            schedule();
            return;
        }
        MajorJob job = running.remove(m.compaction());
        if (failure instanceof CompactionInterruptedException) {
            ctx.getLog().info("{}", failure.getMessage());
        } else if (failure != null) {
            ctx.getLog().error("Compaction of {} failed; its SSTables stay as they were", m.compaction().table().metadata(),
                    failure);
        }
        if (job != null) {
            job.running--;
            if (failure != null && job.failure == null) {
                job.failure = failure;
            }
        }
        schedule();
    }

    private void completeIfDone(MajorJob job) {
        if (job.queued.isEmpty() && job.running == 0 && majors.remove(job)) {
            if (job.failure == null) {
                job.request.replyTo().tell(new Compacted(List.copyOf(job.names)));
            } else {
                job.request.replyTo().tell(new CompactFailed(String.valueOf(job.failure.getMessage()), job.failure));
            }
        }
    }

    private void completeIfDone(CleanupJob job) {
        if (job.queued.isEmpty() && job.current == null && job.running == 0 && cleanups.remove(job)) {
            if (job.failure == null) {
                ctx.getLog().info("Cleanup of {} done: {} partitions this node no longer replicates dropped",
                        job.names, job.partitionsDropped);
                job.request.replyTo().tell(new Compacted(List.copyOf(job.names)));
            } else {
                job.request.replyTo().tell(new CompactFailed(String.valueOf(job.failure.getMessage()), job.failure));
            }
        }
    }

    /**
     * What {@code POST /v1/admin/cleanup} calls once the tables are flushed: completes with the tables
     * cleaned when every rewrite is done.
     */
    public static java.util.concurrent.CompletionStage<List<String>> cleanup(ActorRef<Command> compactor,
            org.apache.pekko.actor.typed.Scheduler scheduler, String keyspace, String table,
            Function<TableMetadata, LongPredicate> owned, java.time.Duration timeout) {
        return org.apache.pekko.actor.typed.javadsl.AskPattern.<Command, CompactReply>ask(compactor,
                replyTo -> new CleanupNow(keyspace, table, owned, replyTo), timeout, scheduler).thenCompose(reply -> {
                    if (reply instanceof CompactFailed f) {
                        return CompletableFuture.failedFuture(f.cause() instanceof IllegalArgumentException
                                ? new IllegalArgumentException(f.reason()) : f.cause());
                    }
                    return CompletableFuture.completedFuture(((Compacted) reply).tables());
                });
    }

    /** What {@code POST /v1/admin/compact} calls: completes when the major compactions are done. */
    public static java.util.concurrent.CompletionStage<List<String>> compact(ActorRef<Command> compactor,
            org.apache.pekko.actor.typed.Scheduler scheduler, String keyspace, String table, java.time.Duration timeout) {
        return org.apache.pekko.actor.typed.javadsl.AskPattern.<Command, CompactReply>ask(compactor,
                replyTo -> new CompactNow(keyspace, table, replyTo), timeout, scheduler).thenCompose(reply -> {
                    if (reply instanceof CompactFailed f) {
                        return CompletableFuture.failedFuture(f.cause() instanceof IllegalArgumentException
                                ? new IllegalArgumentException(f.reason()) : f.cause());
                    }
                    return CompletableFuture.completedFuture(((Compacted) reply).tables());
                });
    }

    /** What {@code GET /v1/admin/compactions} calls. */
    public static java.util.concurrent.CompletionStage<Status> status(ActorRef<Command> compactor,
            org.apache.pekko.actor.typed.Scheduler scheduler, java.time.Duration timeout) {
        return org.apache.pekko.actor.typed.javadsl.AskPattern.ask(compactor, GetStatus::new, timeout, scheduler);
    }

    private Status status() {
        List<CompactionProgress> progress = new ArrayList<>();
        for (Compaction c : running.keySet()) {
            progress.add(c.progress());
        }
        for (Compaction c : cleaning.keySet()) {
            progress.add(c.progress());
        }
        int pending = 0;
        for (TableStore t : engine.tables()) {
            pending += t.pendingCompactions();
        }
        for (MajorJob j : majors) {
            pending += j.queued.size();
        }
        return new Status(progress, pending, settings.concurrentCompactors(), throttle.rate());
    }
}
