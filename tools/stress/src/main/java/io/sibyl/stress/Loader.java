package io.sibyl.stress;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --load}: writes user rows 0 .. keys-1 through the bulk endpoint as fast as
 * {@code concurrency} requests in flight allow, before a read or mixed run. A failed chunk is retried
 * a few times; a chunk that keeps failing aborts the run, since reads of missing rows would measure
 * nothing useful.
 */
public final class Loader {

    /** Rows per bulk request when --batch does not say (~100 KB bodies). */
    public static final int DEFAULT_CHUNK = 100;
    private static final int ATTEMPTS = 5;

    private final HttpClient client;
    private final Endpoints endpoints;
    private final long keys;
    private final int chunk;
    private final int concurrency;
    private final long seed;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final RandomText text;

    private final AtomicLong nextKey = new AtomicLong();
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CountDownLatch done;

    public Loader(HttpClient client, Endpoints endpoints, long keys, int chunk, int concurrency, long seed,
                  Executor executor, ScheduledExecutorService scheduler) {
        this.client = client;
        this.endpoints = endpoints;
        this.keys = keys;
        this.chunk = chunk;
        this.concurrency = concurrency;
        this.seed = seed;
        this.executor = executor;
        this.scheduler = scheduler;
        this.text = UserTable.newText(seed ^ 0x5DEECE66DL);
        this.done = new CountDownLatch(concurrency);
    }

    /** Loads every key; returns the number of rows written. */
    public long load(PrintWriter out, Duration progressInterval) throws StressException, InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Lane lane = new Lane(i, seed);
            executor.execute(() -> nextChunk(lane));
        }
        while (!done.await(progressInterval.toNanos(), TimeUnit.NANOSECONDS)) {
            report(out, start);
        }
        if (failure.get() != null) {
            throw new StressException("loading failed: " + failure.get());
        }
        report(out, start);
        return loaded.get();
    }

    private void report(PrintWriter out, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "[load %6.1fs] %d/%d rows, %.0f rows/s%n", seconds, loaded.get(), keys,
                loaded.get() / Math.max(seconds, 1e-9));
        out.flush();
    }

    private void nextChunk(Lane lane) {
        long first = nextKey.getAndAdd(chunk);
        if (first >= keys || failure.get() != null) {
            done.countDown();
            return;
        }
        int count = (int) Math.min(chunk, keys - first);
        StringBuilder sb = lane.freshBody();
        UserTable.appendRows(sb, first, count, text, lane.random);
        send(lane, endpoints.bulk((int) (requests.getAndIncrement() % endpoints.targets()), sb.toString())
                .toJdk(endpoints.timeout(), endpoints.credentials()), count, 1);
    }

    private void send(Lane lane, HttpRequest request, int count, int attempt) {
        client.sendAsync(request, BodyHandlers.ofByteArray()).whenCompleteAsync((response, error) -> {
            Outcome outcome = error != null
                    ? ResponseClassifier.classify(error)
                    : ResponseClassifier.classify(Operation.Kind.BULK, count, response.statusCode(), response.body());
            if (outcome instanceof Outcome.Success) {
                loaded.addAndGet(count);
                nextChunk(lane);
            } else if (attempt < ATTEMPTS && failure.get() == null) {
                // Bulk rows are idempotent upserts: resending the whole chunk is safe.
                scheduler.schedule(() -> send(lane, request, count, attempt + 1), 200L * attempt, TimeUnit.MILLISECONDS);
            } else {
                failure.compareAndSet(null, ((Outcome.Failure) outcome).code() + " after " + attempt + " attempts");
                done.countDown();
            }
        }, executor);
    }
}
