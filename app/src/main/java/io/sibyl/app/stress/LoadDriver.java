package io.sibyl.app.stress;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps exactly {@code concurrency} requests in flight with no thread per request: each of the
 * {@code concurrency} lanes sends one request and its completion callback sends the lane's next.
 *
 * <p>Latency is measured from the request's intended start. Without {@code --rate} that is the
 * moment it is sent. With {@code --rate R}, request k is intended at {@code t0 + k/R}; a lane that
 * falls behind sends at once and the wait counts as latency, so a stalled server cannot hide its
 * stall by slowing the client down (no coordinated omission).
 */
public final class LoadDriver {

    private static final Duration CLIENT_ERROR_BACKOFF = Duration.ofMillis(50);

    private final HttpClient client;
    private final Workload workload;
    private final int targets;
    private final int concurrency;
    private final double rate;
    private final long seed;
    private final Stats stats;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;

    private final AtomicLong roundRobin = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final CountDownLatch idle;
    private volatile boolean stopped;
    private long startNanos;

    public LoadDriver(HttpClient client, Workload workload, int targets, int concurrency, double rate, long seed,
                      Stats stats, ScheduledExecutorService scheduler, Executor executor) {
        this.client = client;
        this.workload = workload;
        this.targets = targets;
        this.concurrency = concurrency;
        this.rate = rate;
        this.seed = seed;
        this.stats = stats;
        this.scheduler = scheduler;
        this.executor = executor;
        this.idle = new CountDownLatch(concurrency);
    }

    public void start() {
        startNanos = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Lane lane = new Lane(i, seed);
            executor.execute(() -> next(lane));
        }
    }

    /** No lane sends again; requests in flight finish (or time out) on their own. */
    public void stop() {
        stopped = true;
    }

    /** Waits until every lane has retired after {@link #stop()}. */
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
        long k = sequence.getAndIncrement();
        long intended = startNanos + (long) (k * 1e9 / rate);
        long wait = intended - System.nanoTime();
        if (wait > 0) {
            scheduler.schedule(() -> send(lane, intended), wait, TimeUnit.NANOSECONDS);
        } else {
            send(lane, intended);
        }
    }

    private void send(Lane lane, long intendedStart) {
        if (stopped) {
            idle.countDown();
            return;
        }
        int target = (int) (roundRobin.getAndIncrement() % targets);
        Operation op;
        CompletableFuture<HttpResponse<byte[]>> future;
        try {
            op = workload.next(lane, target);
            future = client.sendAsync(op.request(), BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            // A bug or bad option on our side: count it, and back off so it cannot spin a core.
            stats.record(ResponseClassifier.classify(e), System.nanoTime() - intendedStart);
            scheduler.schedule(() -> next(lane), CLIENT_ERROR_BACKOFF.toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        Operation sent = op;
        // A future that is already done would run the callback on this stack; hop to the executor so
        // back-to-back instant failures cannot recurse without bound.
        if (future.isDone()) {
            future.whenCompleteAsync((response, error) -> complete(lane, sent, intendedStart, response, error), executor);
        } else {
            future.whenComplete((response, error) -> complete(lane, sent, intendedStart, response, error));
        }
    }

    private void complete(Lane lane, Operation op, long intendedStart, HttpResponse<byte[]> response, Throwable error) {
        long latency = System.nanoTime() - intendedStart;
        Outcome outcome = error != null
                ? ResponseClassifier.classify(error)
                : ResponseClassifier.classify(op.kind(), op.rows(), response.statusCode(), response.body());
        stats.record(outcome, latency);
        next(lane);
    }
}
