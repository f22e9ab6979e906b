package io.sibyl.app.http.rows;

import io.sibyl.app.http.ErrorMapper;
import io.sibyl.app.http.rows.NdjsonLines.Line;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Writes an NDJSON body's lines as rows: split on newlines (each line at most {@code maxLineBytes}),
 * blank lines skipped, lines written in batches of {@value #BATCH_LINES} with at most
 * {@code parallelism / 4} (at least one) batches in flight. A batch's rows are written in one coordinator
 * call ({@code writeEach}: those this node alone stores share one commit-log group), each with its own
 * outcome. A bad line fails only itself; the answer
 * counts written and failed lines and keeps the errors of the first 100 failed lines (by line number).
 *
 * <p>A whole body in memory ({@link #run(byte[], LineWriter)}) is written without a stream; a streamed
 * body ({@link #run(Source, Materializer, LineWriter)}) never held whole. Lines are handed to the
 * writer a batch at a time (no stream element, future combinator or copy per line): with 1 KB rows
 * the per-line stream stages cost more than the write itself.
 */
final class NdjsonIngest {

    static final int MAX_ERRORS = 100;
    static final int BATCH_LINES = 64;

    /**
     * Turns lines into writes and writes a batch of them: {@code build} reads one line's row,
     * {@code json[offset, offset + length)} (throwing for a bad row, which fails that line alone), and
     * {@code writeEach} writes the rows of a batch's good lines with one outcome per row, in order.
     */
    interface RowWriter<W> {
        W build(byte[] json, int offset, int length);

        List<CompletableFuture<Void>> writeEach(List<W> rows);
    }

    private final int batchesInFlight;
    private final int maxLineBytes;

    NdjsonIngest(int parallelism, long maxLineBytes) {
        this.batchesInFlight = Math.max(1, parallelism / 4);
        this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(1, maxLineBytes));
    }

    /** A body that arrived whole: completes with {@code {written, failed, errors}}. */
    <W> CompletionStage<Map<String, Object>> run(byte[] body, RowWriter<W> write) {
        return run(ByteString.fromArrayUnsafe(body), write);
    }

    /**
     * A body that arrived whole, as the chunks it arrived in: lines point into the chunks' own arrays
     * (only a line across two chunks is copied), where {@code toArrayUnsafe} of the whole body copied
     * every byte once more.
     */
    <W> CompletionStage<Map<String, Object>> run(ByteString body, RowWriter<W> write) {
        List<List<Line>> batches;
        try {
            NdjsonLines lines = new NdjsonLines(maxLineBytes, BATCH_LINES);
            batches = new ArrayList<>();
            if (body instanceof ByteString.ByteStrings chunks) {
                scala.collection.Iterator<ByteString.ByteString1> it = chunks.bytestrings().iterator();
                while (it.hasNext()) {
                    byte[] chunk = it.next().toArrayUnsafe(); // a chunk's own array unless it is a slice of one
                    batches.addAll(lines.feed(chunk, 0, chunk.length));
                }
            } else {
                byte[] whole = body.toArrayUnsafe();
                batches.addAll(lines.feed(whole, 0, whole.length));
            }
            batches.addAll(lines.finish());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Summary summary = new Summary();
        return new Pump<>(batches.iterator(), write, summary).start(batchesInFlight).thenApply(v -> summary.toJson());
    }

    /** A streamed body: completes with {@code {written, failed, errors}}. */
    <W> CompletionStage<Map<String, Object>> run(Source<ByteString, ?> body, Materializer materializer,
                                                RowWriter<W> write) {
        Summary summary = new Summary();
        return body
                .statefulMap(() -> new NdjsonLines(maxLineBytes, BATCH_LINES),
                        (lines, chunk) -> {
                            byte[] bytes = chunk.toArrayUnsafe();
                            return Pair.create(lines, lines.feed(bytes, 0, bytes.length));
                        },
                        lines -> Optional.of(lines.finish()))
                .mapConcat(batches -> batches)
                .mapAsyncUnordered(batchesInFlight, batch -> writeBatch(batch, write))
                .runForeach(summary::add, materializer)
                .handle((done, err) -> {
                    if (err != null) {
                        throw err instanceof CompletionException ce ? ce : new CompletionException(err);
                    }
                    return summary.toJson();
                });
    }

    /**
     * Builds every line's row, then writes the good ones in one call; completes with the batch's outcome
     * once every line is done.
     */
    static <W> CompletableFuture<BatchOutcome> writeBatch(List<Line> batch, RowWriter<W> write) {
        BatchOutcome outcome = new BatchOutcome(batch.size());
        List<W> rows = new ArrayList<>(batch.size());
        long[] numbers = new long[batch.size()];
        for (Line line : batch) {
            try {
                rows.add(write.build(line.bytes(), line.offset(), line.length()));
                numbers[rows.size() - 1] = line.number();
            } catch (RuntimeException e) {
                outcome.done(line.number(), e);
            }
        }
        if (rows.isEmpty()) {
            return outcome.future;
        }
        List<CompletableFuture<Void>> results;
        try {
            results = write.writeEach(rows);
        } catch (RuntimeException e) {
            for (int i = 0; i < rows.size(); i++) {
                outcome.done(numbers[i], e);
            }
            return outcome.future;
        }
        for (int i = 0; i < rows.size(); i++) {
            long number = numbers[i];
            results.get(i).whenComplete((v, err) -> outcome.done(number, err));
        }
        return outcome.future;
    }

    /** The outcome of one batch: lines written, and the failed lines' errors; completed by its last line. */
    static final class BatchOutcome {
        final CompletableFuture<BatchOutcome> future = new CompletableFuture<>();
        private final AtomicInteger remaining;
        private final AtomicInteger written = new AtomicInteger();
        private final List<Map.Entry<Long, Map<String, Object>>> failures = new ArrayList<>(0);

        BatchOutcome(int lines) {
            this.remaining = new AtomicInteger(lines);
            if (lines == 0) {
                future.complete(this);
            }
        }

        void done(long line, Throwable err) {
            if (err == null) {
                written.incrementAndGet();
            } else {
                Map<String, Object> error = error(err, line); // mapped (and a server error logged) for every line
                synchronized (failures) {
                    failures.add(Map.entry(line, error));
                }
            }
            if (remaining.decrementAndGet() == 0) {
                future.complete(this);
            }
        }
    }

    /**
     * Keeps up to {@code n} batches of a whole body in flight. A batch that completes at once (a
     * writer with nothing to wait for) starts the next in a loop rather than by recursion, so the stack stays flat.
     */
    private static final class Pump<W> {
        private final Iterator<List<Line>> batches;
        private final RowWriter<W> write;
        private final Summary summary;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int running;

        Pump(Iterator<List<Line>> batches, RowWriter<W> write, Summary summary) {
            this.batches = batches;
            this.write = write;
            this.summary = summary;
        }

        CompletableFuture<Void> start(int n) {
            synchronized (this) {
                running = n;
            }
            for (int i = 0; i < n; i++) {
                worker(null);
            }
            return done;
        }

        /** One of the n workers: records the batch it finished, then starts batches until one is still running. */
        private void worker(BatchOutcome finished) {
            while (true) {
                List<Line> next;
                synchronized (this) {
                    if (finished != null) {
                        summary.add(finished);
                        finished = null;
                    }
                    next = batches.hasNext() ? batches.next() : null;
                    if (next == null) {
                        if (--running == 0) {
                            done.complete(null);
                        }
                        return;
                    }
                }
                CompletableFuture<BatchOutcome> f = writeBatch(next, write);
                if (!f.isDone()) {
                    f.thenAccept(this::worker);
                    return;
                }
                finished = f.join();
            }
        }
    }

    private static Map<String, Object> error(Throwable err, long line) {
        ErrorMapper.ApiError e = ErrorMapper.toError(err, "rows:bulk line " + line);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) e.body().get("error");
        return body;
    }

    /** Counts and the errors of the lowest-numbered failed lines; fed one batch at a time. */
    private static final class Summary {
        long written;
        long failed;
        final TreeMap<Long, Map<String, Object>> errors = new TreeMap<>();

        void add(BatchOutcome o) {
            written += o.written.get();
            synchronized (o.failures) {
                for (Map.Entry<Long, Map<String, Object>> f : o.failures) {
                    failed++;
                    errors.put(f.getKey(), f.getValue());
                    if (errors.size() > MAX_ERRORS) {
                        errors.pollLastEntry();
                    }
                }
            }
        }

        Map<String, Object> toJson() {
            List<Map<String, Object>> list = new ArrayList<>(errors.size());
            errors.forEach((line, error) -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("line", line);
                e.put("error", error);
                list.add(e);
            });
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("written", written);
            out.put("failed", failed);
            out.put("errors", list);
            return out;
        }
    }
}
