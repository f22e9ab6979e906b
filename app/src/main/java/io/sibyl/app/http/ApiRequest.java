package io.sibyl.app.http;

import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.PayloadTooLargeException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;

/** One HTTP request as the handlers see it: path parameters, query, and a size-limited body. */
public final class ApiRequest {
    private final HttpRequest http;
    private final List<String> pathParams;
    private final Materializer materializer;
    private final long maxBodyBytes;
    /** The parsed query string, parsed on first use: pekko parses it anew on every {@code getUri().query()}. */
    private org.apache.pekko.http.javadsl.model.Query query;
    /** The same, for the common plain query string (pekko's parser was ~2.5% of a point read's CPU). */
    private SimpleQuery simpleQuery;

    ApiRequest(HttpRequest http, List<String> pathParams, Materializer materializer, long maxBodyBytes) {
        this.http = http;
        this.pathParams = pathParams;
        this.materializer = materializer;
        this.maxBodyBytes = maxBodyBytes;
    }

    public HttpRequest http() {
        return http;
    }

    public Materializer materializer() {
        return materializer;
    }

    /** Path parameters in order: one per {@code {}} of the route, then any trailing segments. */
    public List<String> pathParams() {
        return pathParams;
    }

    public String pathParam(int i) {
        return pathParams.get(i);
    }

    public Optional<String> query(String name) {
        if (query == null) {
            if (simpleQuery == null) {
                simpleQuery = SimpleQuery.parse(http.getUri().rawQueryString().orElse(""));
            }
            if (simpleQuery != SimpleQuery.NOT_SIMPLE) {
                return simpleQuery.get(name);
            }
            query = http.getUri().query();
        }
        return query.get(name);
    }

    public Optional<Integer> queryInt(String name) {
        Optional<String> v = query(name);
        if (v.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(v.get().trim()));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("query parameter '" + name + "' must be an integer, got '" + v.get() + "'");
        }
    }

    public Optional<Long> queryLong(String name) {
        Optional<String> v = query(name);
        if (v.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(v.get().trim()));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("query parameter '" + name + "' must be an integer, got '" + v.get() + "'");
        }
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The whole body, failing with PAYLOAD_TOO_LARGE past the configured limit. */
    public CompletionStage<byte[]> body() {
        var declared = http.entity().getContentLengthOption();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            http.discardEntityBytes(materializer);
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new PayloadTooLargeException("request body", maxBodyBytes));
        }
        if (http.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict) {
            // The common case (a small body that arrived whole): no stream to materialize.
            if (strict.getData().size() > maxBodyBytes) {
                return java.util.concurrent.CompletableFuture.failedFuture(
                        new PayloadTooLargeException("request body", maxBodyBytes));
            }
            return java.util.concurrent.CompletableFuture.completedFuture(strict.getData().toArray());
        }
        return http.entity().toStrict(30_000, maxBodyBytes, materializer)
                .handle((strict, err) -> {
                    if (err != null) {
                        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                                ? err.getCause() : err;
                        if (cause instanceof EntityStreamSizeException) {
                            throw new PayloadTooLargeException("request body", maxBodyBytes);
                        }
                        throw new java.util.concurrent.CompletionException(cause);
                    }
                    return strict.getData().toArray();
                });
    }
}
