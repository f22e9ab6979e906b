package io.sibyl.app.metrics;

import io.sibyl.storage.engine.StorageEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import io.sibyl.actors.mailbox.ActorKindStats;
import io.sibyl.actors.mailbox.MailboxStats;
import io.sibyl.actors.mailbox.MeasuredMailbox;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's thread pools and work queues as {@code nodetool tpstats} shows them: the Pekko dispatchers
 * (their fork-join or thread pools) and the memtable flush writers. {@code GET /v1/admin/tpstats} and the
 * {@code sibyl_dispatcher_*} gauges read them.
 */
public final class ThreadPools {
    private static final Logger log = LoggerFactory.getLogger(ThreadPools.class);

    /** The dispatchers looked at (a dispatcher not configured is skipped). */
    public static final List<String> DISPATCHERS = List.of("pekko.actor.default-dispatcher",
            "pekko.actor.internal-dispatcher", "pekko.actor.default-blocking-io-dispatcher",
            "sibyl.replica.read_dispatcher", "sibyl.hints.journal-dispatcher");

    /**
     * One pool now.
     *
     * @param active    threads running a task
     * @param pending   tasks queued (for fork-join pools: submissions plus queued tasks)
     * @param completed tasks completed (-1 where the pool does not count them: fork-join pools)
     * @param poolSize  threads in the pool
     */
    public record Pool(String name, long active, long pending, long completed, long poolSize) {
    }

    private final ActorSystem<?> system;
    private final StorageEngine engine;
    /** Pools registered by name (the native protocol server's read threads). */
    private final Map<String, ForkJoinPool> registered = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** The node's actor systems (the local one, and the cluster layer's while one runs): their mailboxes. */
    private volatile Supplier<List<ActorSystem<?>>> actorSystems;

    public ThreadPools(ActorSystem<?> system, StorageEngine engine) {
        this.system = system;
        this.engine = engine;
        this.actorSystems = () -> List.of(system);
    }

    /** Shows {@code pool} under {@code name} (tpstats, system_views.thread_pools, the dispatcher gauges). */
    public void register(String name, ForkJoinPool pool) {
        registered.put(name, pool);
    }

    /** Reads the mailboxes of these systems (the same kind in several is summed). */
    public ThreadPools actorSystems(Supplier<List<ActorSystem<?>>> systems) {
        this.actorSystems = systems;
        return this;
    }

    /**
     * The mailboxes of Sibyl's actors by kind (see {@link MeasuredMailbox}): every kind configured, summed
     * over the node's actor systems.
     */
    public List<ActorKindStats> actorKinds() {
        Map<String, ActorKindStats> byKind = new TreeMap<>();
        for (ActorSystem<?> s : actorSystems.get()) {
            if (s == null) {
                continue;
            }
            for (ActorKindStats k : MailboxStats.get(s).snapshot()) {
                byKind.merge(k.kind(), k, ActorKindStats::plus);
            }
        }
        return List.copyOf(byKind.values());
    }

    public List<Pool> pools() {
        List<Pool> out = new ArrayList<>();
        for (String id : DISPATCHERS) {
            Pool p = dispatcher(id);
            if (p != null) {
                out.add(p);
            }
        }
        registered.forEach((name, f) -> out.add(forkJoin(name, f)));
        if (engine != null) {
            var fw = engine.flushWriters();
            out.add(new Pool("MemtableFlushWriter", fw.running(), fw.queued(), -1, fw.writers()));
        }
        return out;
    }

    private static Pool forkJoin(String name, ForkJoinPool f) {
        return new Pool(name, f.getActiveThreadCount(), f.getQueuedSubmissionCount() + f.getQueuedTaskCount(), -1,
                f.getPoolSize());
    }

    /** The dispatcher's pool, or null if it is not configured or not a pool Sibyl can read. */
    public Pool dispatcher(String id) {
        try {
            if (!system.classicSystem().dispatchers().hasDispatcher(id)) {
                return null;
            }
            MessageDispatcher md = system.classicSystem().dispatchers().lookup(id);
            if (!(md instanceof Dispatcher d)) {
                return null;
            }
            ExecutorService e = d.executorService().executor();
            if (e instanceof ForkJoinPool f) {
                return forkJoin(id, f);
            }
            if (e instanceof ThreadPoolExecutor t) {
                return new Pool(id, t.getActiveCount(), t.getQueue().size(), t.getCompletedTaskCount(), t.getPoolSize());
            }
            return null;
        } catch (RuntimeException e) {
            log.debug("Cannot read the pool of dispatcher {}", id, e);
            return null;
        }
    }
}
