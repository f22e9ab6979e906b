package io.sibyl.app.http;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.Uri;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;

/**
 * Admission control for the node's HTTP API ({@code sibyl.http.max_concurrent_requests}): at most that
 * many requests are worked on at once; one more is answered {@code 429 OVERLOADED} at once, its body
 * discarded, so that under 10x the load the node can serve, the admitted requests keep their latency
 * instead of every request queueing into its timeout. Probes ({@code /health}, {@code /ready},
 * {@code /metrics}) are always admitted. 0 means no limit.
 */
public final class AdmissionLimit implements Function<HttpRequest, CompletionStage<HttpResponse>> {
    private final Function<HttpRequest, CompletionStage<HttpResponse>> next;
    private final int limit;
    private final Materializer materializer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();

    public AdmissionLimit(Function<HttpRequest, CompletionStage<HttpResponse>> next, int limit, Materializer materializer) {
        this.next = next;
        this.limit = limit;
        this.materializer = materializer;
    }

    @Override
    public CompletionStage<HttpResponse> apply(HttpRequest request) throws Exception {
        if (limit <= 0 || isProbe(request)) {
            return next.apply(request);
        }
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            rejected.incrementAndGet();
            request.discardEntityBytes(materializer);
            return CompletableFuture.completedFuture(Responses.json(429, new ErrorMapper.ApiError("OVERLOADED", 429,
                    "this node already works on " + limit + " requests (sibyl.http.max_concurrent_requests): back off and retry",
                    Map.of()).body()));
        }
        CompletionStage<HttpResponse> result;
        try {
            result = next.apply(request);
        } catch (Throwable t) {
            inFlight.decrementAndGet();
            throw t;
        }
        return result.whenComplete((r, e) -> inFlight.decrementAndGet());
    }

    /** Requests being worked on now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests answered OVERLOADED since start. */
    public long rejected() {
        return rejected.get();
    }

    /**
     * Whether the request is for {@code /health}, {@code /ready} or {@code /metrics}: read off pekko's
     * parsed path (one slash, one segment), without rendering the path to a string for every request.
     */
    static boolean isProbe(HttpRequest request) {
        Uri.Path path = ((org.apache.pekko.http.scaladsl.model.HttpRequest) request).uri().path();
        if (!path.startsWithSlash()) {
            return false;
        }
        Uri.Path segment = path.tail();
        if (!segment.startsWithSegment() || !segment.tail().isEmpty()) {
            return false;
        }
        Object s = segment.head();
        return s.equals("health") || s.equals("ready") || s.equals("metrics");
    }
}
