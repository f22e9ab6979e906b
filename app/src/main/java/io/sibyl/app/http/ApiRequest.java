package io.sibyl.app.http;

import io.sibyl.app.cql.auth.AuthenticatedUser;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.PayloadTooLargeException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteStringBuilder;
import org.apache.pekko.stream.Materializer;

/** One HTTP request as the handlers see it: path parameters, query, and a size-limited body. */
public final class ApiRequest {
    private final HttpRequest http;
    private final List<String> pathParams;
    private final Materializer materializer;
    private final long maxBodyBytes;
    private final RequestTimeout timeout;
    private final AuthenticatedUser user;
    /** The parsed query string, parsed on first use: pekko parses it anew on every {@code getUri().query()}. */
    private org.apache.pekko.http.javadsl.model.Query query;
    /** The same, for the common plain query string (pekko's parser was ~2.5% of a point read's CPU). */
    private SimpleQuery simpleQuery;

    ApiRequest(HttpRequest http, List<String> pathParams, Materializer materializer, long maxBodyBytes) {
        this(http, pathParams, materializer, maxBodyBytes, RequestTimeout.none());
    }

    ApiRequest(HttpRequest http, List<String> pathParams, Materializer materializer, long maxBodyBytes,
               RequestTimeout timeout) {
        this(http, pathParams, materializer, maxBodyBytes, timeout, AuthenticatedUser.ANONYMOUS);
    }

    ApiRequest(HttpRequest http, List<String> pathParams, Materializer materializer, long maxBodyBytes,
               RequestTimeout timeout, AuthenticatedUser user) {
        this.user = user;
        this.timeout = timeout;
        this.http = http;
        this.pathParams = pathParams;
        this.materializer = materializer;
        this.maxBodyBytes = maxBodyBytes;
    }

    public HttpRequest http() {
        return http;
    }

    /** Who sent the request (see {@link HttpAccess}): ANONYMOUS when authentication is off or the route is open. */
    public AuthenticatedUser user() {
        return user;
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

    /** When this request's timeout elapses and what it then answers (see {@link RequestTimeout}). */
    public RequestTimeout timeout() {
        return timeout;
    }

    /**
     * The whole body, failing with PAYLOAD_TOO_LARGE past the configured limit. An oversized body is
     * read to its end (within {@link OversizedBodyDrain}'s bounds) before the failure, so that clients
     * that send the whole body before reading get the 413 rather than a reset connection.
     */
    public CompletionStage<byte[]> body() {
        var declared = http.entity().getContentLengthOption();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            return OversizedBodyDrain.drain(http.entity().getDataBytes(), 0, OversizedBodyDrain.bound(maxBodyBytes), materializer)
                    .thenApply(v -> { throw new PayloadTooLargeException("request body", maxBodyBytes); });
        }
        if (http.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict) {
            // The common case (a small body that arrived whole): no stream to materialize.
            if (strict.getData().size() > maxBodyBytes) {
                return java.util.concurrent.CompletableFuture.failedFuture(
                        new PayloadTooLargeException("request body", maxBodyBytes));
            }
            return java.util.concurrent.CompletableFuture.completedFuture(strict.getData().toArray());
        }
        // A chunked body of unknown length: collected up to the limit, then discarded up to the drain bound.
        long bound = OversizedBodyDrain.bound(maxBodyBytes);
        AtomicLong total = new AtomicLong();
        return http.entity().getDataBytes()
                .takeWhile(bytes -> total.get() <= bound)
                .completionTimeout(OversizedBodyDrain.MAX_TIME)
                .runWith(Sink.fold(new ByteStringBuilder(), (builder, bytes) -> {
                    if (total.addAndGet(bytes.size()) <= maxBodyBytes) {
                        builder.append(bytes);
                    }
                    return builder;
                }), materializer)
                .handle((builder, err) -> {
                    if (total.get() > maxBodyBytes) {
                        throw new PayloadTooLargeException("request body", maxBodyBytes);
                    }
                    if (err != null) {
                        throw new java.util.concurrent.CompletionException(ErrorMapper.unwrap(err));
                    }
                    return builder.result().toArray();
                });
    }
}
