package io.sibyl.app.stress;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps exactly {@code concurrency} requests in flight: one thread per lane, each with its own
 * keep-alive {@link HttpConnection} to every target, sending its next request when the previous
 * answer is in. A lane waiting for an answer is a thread blocked in {@code read}: no CPU, no
 * callback hops (see HttpConnection for why the JDK client is not used here).
 *
 * <p>Latency is measured from the request's intended start. Without {@code --rate} that is the
 * moment it is sent. With {@code --rate R}, request k is intended at {@code t0 + k/R}; a lane that
 * falls behind sends at once and the wait counts as latency, so a stalled server cannot hide its
 * stall by slowing the client down (no coordinated omission).
 */
public final class LoadDriver {

    private static final Duration CLIENT_ERROR_BACKOFF = Duration.ofMillis(50);

    private final Workload workload;
    private final Endpoints endpoints;
    private final int concurrency;
    private final double rate;
    private final long seed;
    private final Stats stats;

    private final AtomicLong roundRobin = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final CountDownLatch idle;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private long startNanos;

    public LoadDriver(Workload workload, Endpoints endpoints, int concurrency, double rate, long seed, Stats stats) {
        this.workload = workload;
        this.endpoints = endpoints;
        this.concurrency = concurrency;
        this.rate = rate;
        this.seed = seed;
        this.stats = stats;
        this.idle = new CountDownLatch(concurrency);
    }

    public void start() {
        startNanos = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Lane lane = new Lane(i, seed);
            Thread t = new Thread(() -> run(lane), "stress-lane-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
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

    private void run(Lane lane) {
        HttpConnection[] connections = new HttpConnection[endpoints.targets()];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new HttpConnection(endpoints.base(i), endpoints.timeout());
        }
        try {
            while (!stopped) {
                long intendedStart = rate <= 0 ? System.nanoTime() : waitForTurn();
                if (stopped) {
                    break;
                }
                send(lane, connections, intendedStart);
            }
        } finally {
            for (HttpConnection c : connections) {
                c.close();
            }
            idle.countDown();
        }
    }

    /** With --rate: sleeps until this lane's next request is due; returns when it was due. */
    private long waitForTurn() {
        long k = sequence.getAndIncrement();
        long intended = startNanos + (long) (k * 1e9 / rate);
        long wait;
        while (!stopped && (wait = intended - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
        return intended;
    }

    private void send(Lane lane, HttpConnection[] connections, long intendedStart) {
        int target = (int) (roundRobin.getAndIncrement() % connections.length);
        Operation op;
        try {
            op = workload.next(lane, target);
        } catch (RuntimeException e) {
            // A bug or bad option on our side: count it, and back off so it cannot spin a core.
            stats.record(ResponseClassifier.classify(e), System.nanoTime() - intendedStart);
            LockSupport.parkNanos(CLIENT_ERROR_BACKOFF.toNanos());
            return;
        }
        Outcome outcome;
        try {
            HttpConnection.Response response = connections[op.request().target()].exchange(op.request());
            outcome = ResponseClassifier.classify(op.kind(), op.rows(), response.status(), response.body());
        } catch (IOException e) {
            Outcome.Failure failure = ResponseClassifier.classify(e);
            stats.record(failure, System.nanoTime() - intendedStart);
            // the connection was closed; do not hammer a node that refuses connections
            if (failure.code().equals("CONNECTION_REFUSED")) {
                LockSupport.parkNanos(CLIENT_ERROR_BACKOFF.toNanos());
            }
            return;
        }
        stats.record(outcome, System.nanoTime() - intendedStart);
    }
}
