package io.sibyl.stress;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link LoadDriver}'s contract over the CQL native protocol: exactly {@code concurrency} requests in
 * flight, as {@code concurrency} asynchronous lanes on one driver session (the driver multiplexes them
 * over its connections by stream id): a lane's completion sends its next request. Latency is measured
 * from the intended start; with {@code --rate R}, request k is intended at {@code t0 + k/R} and a lane
 * that is early waits on a timer, one that is late sends at once and the lateness counts as latency.
 */
final class CqlLoadDriver implements LoadGenerator {

    private static final long CLIENT_ERROR_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final CqlSession session;
    private final CqlWorkload workload;
    private final int concurrency;
    private final double rate;
    private final long seed;
    private final Stats stats;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final AtomicLong sequence = new AtomicLong();
    private final CountDownLatch idle;
    private volatile boolean stopped;
    private long startNanos;

    CqlLoadDriver(CqlSession session, CqlWorkload workload, int concurrency, double rate, long seed, Stats stats,
                  ScheduledExecutorService timer, Executor executor) {
        this.session = session;
        this.workload = workload;
        this.concurrency = concurrency;
        this.rate = rate;
        this.seed = seed;
        this.stats = stats;
        this.timer = timer;
        this.executor = executor;
        this.idle = new CountDownLatch(concurrency);
    }

    @Override
    public void start() {
        startNanos = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Lane lane = new Lane(i, seed);
            executor.execute(() -> next(lane));
        }
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public boolean awaitIdle(Duration max) throws InterruptedException {
        return idle.await(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void next(Lane lane) {
        if (stopped) {
            idle.countDown();
            return;
        }
        if (rate <= 0) {
            send(lane, System.nanoTime());
            return;
        }
        long intended = startNanos + (long) (sequence.getAndIncrement() * 1e9 / rate);
        long wait = intended - System.nanoTime();
        if (wait > 0) {
            timer.schedule(() -> executor.execute(() -> send(lane, intended)), wait, TimeUnit.NANOSECONDS);
        } else {
            send(lane, intended);
        }
    }

    private void send(Lane lane, long intendedStart) {
        if (stopped) {
            idle.countDown();
            return;
        }
        CqlWorkload.Op op;
        CompletionStage<AsyncResultSet> result;
        try {
            op = workload.next(lane);
            result = session.executeAsync(op.statement());
        } catch (RuntimeException e) {
            // a bug or bad option on our side: counted, and the lane backs off so it cannot spin a core
            stats.record(CqlErrors.classify(e), System.nanoTime() - intendedStart);
            timer.schedule(() -> executor.execute(() -> next(lane)), CLIENT_ERROR_BACKOFF_NANOS, TimeUnit.NANOSECONDS);
            return;
        }
        CqlWorkload.Op sent = op;
        boolean alreadyDone = result.toCompletableFuture().isDone();
        java.util.function.BiConsumer<AsyncResultSet, Throwable> complete = (rs, error) -> {
            long latency = System.nanoTime() - intendedStart;
            if (error != null) {
                Outcome.Failure f = CqlErrors.classify(error);
                stats.record(f, latency);
                if (f.code().equals("NO_NODE_AVAILABLE")) {
                    timer.schedule(() -> executor.execute(() -> next(lane)), CLIENT_ERROR_BACKOFF_NANOS, TimeUnit.NANOSECONDS);
                    return;
                }
            } else {
                boolean empty = sent.kind() == Operation.Kind.READ && rs.remaining() == 0;
                stats.record(new Outcome.Success(sent.rows(), empty), latency);
            }
            next(lane);
        };
        if (alreadyDone) {
            // completed on this thread (e.g. no connection): hop, so lanes never recurse
            result.whenCompleteAsync(complete, executor);
        } else {
            result.whenComplete(complete);
        }
    }
}
