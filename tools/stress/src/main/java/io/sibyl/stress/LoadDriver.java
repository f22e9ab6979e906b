package io.sibyl.stress;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps exactly {@code concurrency} requests in flight.
 *
 * <p>Without pipelining ({@code --pipeline 1}): one thread per lane, each with its own keep-alive
 * {@link HttpConnection} to every target, sending its next request when the previous answer is in. A
 * lane waiting for an answer is a thread blocked in {@code read}: no CPU, no callback hops (see
 * HttpConnection for why the JDK client is not used here).
 *
 * <p>With {@code --pipeline D}: HTTP/1.1 pipelining, {@code ceil(concurrency / D)} connections (rounded
 * up to the same number per target) spread over the targets, each kept at its even share of the requests in
 * flight by one thread: it writes the requests that are due in one {@code write}, reads every answer that has
 * arrived, and refills.
 * Both sides then move several requests per system call and per wake-up instead of one, as a
 * Cassandra driver multiplexes requests over a few connections; the server answers a connection's
 * requests in order but works on them at the same time ({@code pekko.http.server.pipelining-limit}).
 *
 * <p>Latency is measured from the request's intended start. Without {@code --rate} that is the
 * moment it is sent. With {@code --rate R}, request k is intended at {@code t0 + k/R}; a lane that
 * falls behind sends at once and the wait counts as latency, so a stalled server cannot hide its
 * stall by slowing the client down (no coordinated omission).
 */
public final class LoadDriver implements LoadGenerator {

    private static final Duration CLIENT_ERROR_BACKOFF = Duration.ofMillis(50);

    private final Workload workload;
    private final Endpoints endpoints;
    private final int concurrency;
    private final double rate;
    private final int pipeline;
    private final long seed;
    private final Stats stats;

    private final AtomicLong roundRobin = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final CountDownLatch idle;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private long startNanos;

    /** @param pipeline requests per connection; above 1 only without a rate (StressSettings checks it) */
    public LoadDriver(Workload workload, Endpoints endpoints, int concurrency, double rate, int pipeline, long seed,
                      Stats stats) {
        this.workload = workload;
        this.endpoints = endpoints;
        this.concurrency = concurrency;
        this.rate = rate;
        this.pipeline = Math.max(1, pipeline);
        this.seed = seed;
        this.stats = stats;
        this.idle = new CountDownLatch(this.pipeline == 1 ? concurrency : connections());
    }

    /**
     * Connections of the pipelined mode: enough for the pipeline depth, rounded up to the same number per
     * target (8 over 3 nodes would give one node a third fewer requests), never more than requests in flight.
     */
    private int connections() {
        int targets = endpoints.targets();
        int needed = (concurrency + pipeline - 1) / pipeline;
        int perTarget = (needed + targets - 1) / targets;
        return Math.min(concurrency, perTarget * targets);
    }

    @Override
    public void start() {
        startNanos = System.nanoTime();
        if (pipeline > 1) {
            int connections = connections();
            for (int i = 0; i < connections; i++) {
                // spread the requests in flight as evenly as the connections allow
                int depth = concurrency / connections + (i < concurrency % connections ? 1 : 0);
                Lane lane = new Lane(i, seed);
                int target = i % endpoints.targets();
                Thread t = new Thread(() -> runPipelined(lane, target, depth), "stress-connection-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            return;
        }
        for (int i = 0; i < concurrency; i++) {
            Lane lane = new Lane(i, seed);
            Thread t = new Thread(() -> run(lane), "stress-lane-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** No lane sends again; requests in flight finish (or time out) on their own. */
    @Override
    public void stop() {
        stopped = true;
    }

    /** Waits until every lane has retired after {@link #stop()}. */
    @Override
    public boolean awaitIdle(Duration max) throws InterruptedException {
        return idle.await(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void run(Lane lane) {
        HttpConnection[] connections = new HttpConnection[endpoints.targets()];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = endpoints.connection(i);
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

    /** A request written on a pipelined connection whose answer is still to come. */
    private record InFlight(Operation op, long start) {}

    private void runPipelined(Lane lane, int target, int depth) {
        HttpConnection connection = endpoints.connection(target);
        ArrayDeque<InFlight> inFlight = new ArrayDeque<>(depth);
        try {
            while (!stopped) {
                if (!fill(lane, target, depth, connection, inFlight)) {
                    continue;
                }
                // every answer that has arrived, then refill: one write carries all the replacements
                while (readOldest(connection, inFlight) && !inFlight.isEmpty() && connection.hasBufferedInput()) {
                    // keep reading what is already here
                }
            }
            // stopped: the answers to requests already written still count
            while (!inFlight.isEmpty()) {
                readOldest(connection, inFlight);
            }
        } finally {
            connection.close();
            idle.countDown();
        }
    }

    /**
     * Reads and records the answer to the oldest request in flight; false if the connection broke (then
     * it and every request behind it are recorded as failed).
     */
    private boolean readOldest(HttpConnection connection, ArrayDeque<InFlight> inFlight) {
        InFlight f = inFlight.pollFirst();
        HttpConnection.Response response;
        try {
            response = connection.read(f.op().request());
        } catch (IOException e) {
            failAll(e, f, inFlight);
            return false;
        }
        stats.record(ResponseClassifier.classify(f.op().kind(), f.op().rows(), response.status(), response.body()),
                System.nanoTime() - f.start());
        return true;
    }

    /** Writes new requests until {@code depth} are in flight; false if none could be sent. */
    private boolean fill(Lane lane, int target, int depth, HttpConnection connection, ArrayDeque<InFlight> inFlight) {
        int added = 0;
        long now = System.nanoTime();
        while (inFlight.size() + added < depth) {
            Operation op = nextOperation(lane, target, now);
            if (op == null) {
                break;
            }
            connection.append(op.request());
            inFlight.addLast(new InFlight(op, now));
            added++;
        }
        if (added == 0) {
            return !inFlight.isEmpty();
        }
        try {
            connection.flush();
            return true;
        } catch (IOException e) {
            backOffIfRefused(failAll(e, inFlight.pollFirst(), inFlight));
            return false;
        }
    }

    /**
     * The workload's next operation, or null after a failure on our side (a bug or bad option): it is
     * counted as an error from {@code start}, and the lane backs off so it cannot spin a core.
     */
    private Operation nextOperation(Lane lane, int target, long start) {
        try {
            return workload.next(lane, target);
        } catch (RuntimeException e) {
            stats.record(ResponseClassifier.classify(e), System.nanoTime() - start);
            LockSupport.parkNanos(CLIENT_ERROR_BACKOFF.toNanos());
            return null;
        }
    }

    /** The connection was closed; do not hammer a node that refuses connections. */
    private static void backOffIfRefused(Outcome.Failure failure) {
        if (failure.code().equals("CONNECTION_REFUSED")) {
            LockSupport.parkNanos(CLIENT_ERROR_BACKOFF.toNanos());
        }
    }

    /** The connection broke: the request at hand and every one behind it on the connection failed. */
    private Outcome.Failure failAll(IOException e, InFlight first, ArrayDeque<InFlight> rest) {
        Outcome.Failure failure = ResponseClassifier.classify(e);
        long now = System.nanoTime();
        stats.record(failure, now - first.start());
        for (InFlight f; (f = rest.pollFirst()) != null; ) {
            stats.record(failure, now - f.start());
        }
        return failure;
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
        Operation op = nextOperation(lane, target, intendedStart);
        if (op == null) {
            return;
        }
        Outcome outcome;
        try {
            HttpConnection.Response response = connections[op.request().target()].exchange(op.request());
            outcome = ResponseClassifier.classify(op.kind(), op.rows(), response.status(), response.body());
        } catch (IOException e) {
            Outcome.Failure failure = ResponseClassifier.classify(e);
            stats.record(failure, System.nanoTime() - intendedStart);
            backOffIfRefused(failure);
            return;
        }
        stats.record(outcome, System.nanoTime() - intendedStart);
    }
}
