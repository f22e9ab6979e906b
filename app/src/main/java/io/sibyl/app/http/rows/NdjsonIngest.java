package io.sibyl.app.http.rows;

import io.sibyl.app.errors.PayloadTooLargeException;
import io.sibyl.app.http.ErrorMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Streams an NDJSON body into row writes: split on newlines (each line at most {@code maxLineBytes}),
 * blank lines skipped, at most {@code parallelism} writes in flight, never holding the whole body.
 * A bad line fails only itself; the answer counts written and failed lines and keeps the errors of
 * the first 100 failed lines (by line number).
 */
final class NdjsonIngest {

    static final int MAX_ERRORS = 100;

    /** One line's outcome: null error when written. */
    private record Outcome(long line, Map<String, Object> error) {}

    private final int parallelism;
    private final int maxLineBytes;

    NdjsonIngest(int parallelism, long maxLineBytes) {
        this.parallelism = Math.max(1, parallelism);
        this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(1, maxLineBytes));
    }

    /** Writes each line with {@code write}; completes with {@code {written, failed, errors}}. */
    CompletionStage<Map<String, Object>> run(Source<ByteString, ?> body, Materializer materializer,
                                            Function<byte[], CompletionStage<Void>> write) {
        Summary summary = new Summary();
        return body
                .via(Framing.delimiter(ByteString.fromString("\n"), maxLineBytes, FramingTruncation.ALLOW))
                .zipWithIndex()
                .filter(p -> !isBlank(p.first()))
                .mapAsyncUnordered(parallelism, p -> writeLine(p, write))
                .runForeach(summary::add, materializer)
                .handle((done, err) -> {
                    if (err != null) {
                        Throwable c = ErrorMapper.unwrap(err);
                        if (c instanceof org.apache.pekko.stream.scaladsl.Framing.FramingException) {
                            throw new PayloadTooLargeException("NDJSON line", maxLineBytes);
                        }
                        throw err instanceof CompletionException ce ? ce : new CompletionException(err);
                    }
                    return summary.toJson();
                });
    }

    private static CompletionStage<Outcome> writeLine(Pair<ByteString, Long> p,
                                                      Function<byte[], CompletionStage<Void>> write) {
        long line = p.second() + 1;
        CompletionStage<Void> stage;
        try {
            stage = write.apply(p.first().toArray());
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((v, err) -> err == null ? new Outcome(line, null) : new Outcome(line, error(err, line)));
    }

    private static Map<String, Object> error(Throwable err, long line) {
        ErrorMapper.ApiError e = ErrorMapper.toError(err, "rows:bulk line " + line);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) e.body().get("error");
        return body;
    }

    private static boolean isBlank(ByteString line) {
        for (int i = 0; i < line.length(); i++) {
            byte b = line.apply(i);
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Counts and the errors of the lowest-numbered failed lines; fed by one stream stage at a time. */
    private static final class Summary {
        long written;
        long failed;
        final TreeMap<Long, Map<String, Object>> errors = new TreeMap<>();

        void add(Outcome o) {
            if (o.error == null) {
                written++;
                return;
            }
            failed++;
            errors.put(o.line, o.error);
            if (errors.size() > MAX_ERRORS) {
                errors.pollLastEntry();
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
