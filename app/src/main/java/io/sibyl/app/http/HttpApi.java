package io.sibyl.app.http;

import io.sibyl.app.cql.auth.AuthenticatedUser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.Uri;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;

/**
 * The node's HTTP handler: a small table of routes over the low-level pekko-http API.
 * Patterns are path segments where {@code {}} matches one segment and a final {@code **} matches
 * the rest (one or more segments). Unknown paths and methods get the API's JSON errors.
 */
public final class HttpApi implements Function<HttpRequest, CompletionStage<HttpResponse>> {

    private record RouteEntry(HttpMethod method, String[] pattern, ApiHandler handler, RequestMetrics.Recorder metrics) {}

    private final List<RouteEntry> routes = new ArrayList<>();
    private final Materializer materializer;
    private final long maxBodyBytes;
    private final RequestMetrics metrics;
    private final RequestMetrics.Recorder unmatched;
    /** sibyl.http.request_timeout and admin_request_timeout; null: requests are not timed here (tests). */
    private volatile java.time.Duration requestTimeout;
    private volatile java.time.Duration adminRequestTimeout;
    private ApiHandler fallback;
    private volatile HttpAccess access;

    public HttpApi(Materializer materializer, long maxBodyBytes) {
        this(materializer, maxBodyBytes, RequestMetrics.NONE);
    }

    public HttpApi(Materializer materializer, long maxBodyBytes, RequestMetrics metrics) {
        this.materializer = materializer;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
        this.unmatched = metrics.route("ANY", "unmatched");
    }

    /** Times every request (see {@link RequestTimeout}): pekko-http then answers a late request with the API's JSON error. */
    public HttpApi withTimeouts(java.time.Duration request, java.time.Duration admin) {
        this.requestTimeout = request;
        this.adminRequestTimeout = admin;
        return this;
    }

    /** Answers every request no route matches (instead of 404/405), e.g. UNAVAILABLE while the cluster layer is away. */
    public HttpApi otherwise(ApiHandler handler) {
        this.fallback = handler;
        return this;
    }

    public HttpApi get(String pattern, ApiHandler h) { return add(HttpMethods.GET, pattern, h); }
    public HttpApi post(String pattern, ApiHandler h) { return add(HttpMethods.POST, pattern, h); }
    public HttpApi put(String pattern, ApiHandler h) { return add(HttpMethods.PUT, pattern, h); }
    public HttpApi delete(String pattern, ApiHandler h) { return add(HttpMethods.DELETE, pattern, h); }

    public HttpApi add(HttpMethod method, String pattern, ApiHandler handler) {
        String p = pattern.startsWith("/") ? pattern.substring(1) : pattern;
        routes.add(new RouteEntry(method, p.isEmpty() ? new String[0] : p.split("/"), handler,
                metrics.route(method.value(), "/" + p)));
        return this;
    }

    /** Puts {@code access} in front of every route (see {@link HttpAccess}); without it every request is served. */
    public HttpApi withAccess(HttpAccess access) {
        this.access = access;
        return this;
    }

    @Override
    public CompletionStage<HttpResponse> apply(HttpRequest request) {
        List<String> segments = segments(((org.apache.pekko.http.scaladsl.model.HttpRequest) request).uri().path());
        HttpAccess a = access;
        if (a == null) {
            return route(request, segments, AuthenticatedUser.ANONYMOUS);
        }
        CompletionStage<AuthenticatedUser> user;
        try {
            user = a.check(request, segments);
        } catch (RuntimeException e) {
            user = CompletableFuture.failedFuture(e);
        }
        if (user instanceof CompletableFuture<AuthenticatedUser> f && f.isDone() && !f.isCompletedExceptionally()) {
            return route(request, segments, f.join()); // no login needed (open route, authentication off)
        }
        return user.handle((u, err) -> {
            if (err == null) return route(request, segments, u);
            request.discardEntityBytes(materializer);
            HttpResponse out = ErrorMapper.toResponse(err, describe(request));
            unmatched.record(out.status().intValue(), 0);
            if (out.status().intValue() == 401) {
                out = out.addHeader(org.apache.pekko.http.javadsl.model.HttpHeader.parse("WWW-Authenticate", "Basic realm=\"sibyl\""));
            }
            return CompletableFuture.completedFuture(out);
        }).thenCompose(x -> x);
    }

    /** The client's IP address (pekko.http.server.remote-address-attribute is on), for login logs and throttling. */
    static String clientAddress(HttpRequest request) {
        return request.getAttribute(org.apache.pekko.http.javadsl.model.AttributeKeys.remoteAddress)
                .flatMap(r -> r.getAddress())
                .map(java.net.InetAddress::getHostAddress)
                .orElse("unknown");
    }

    private CompletionStage<HttpResponse> route(HttpRequest request, List<String> segments, AuthenticatedUser user) {
        boolean pathMatched = false;
        for (RouteEntry r : routes) {
            List<String> params = match(r.pattern, segments);
            if (params == null) continue;
            pathMatched = true;
            if (!r.method.equals(request.method())) continue;
            return invoke(r, request, params, user);
        }
        if (fallback != null) {
            return invoke(new RouteEntry(request.method(), new String[0], fallback, unmatched), request, List.of(), user);
        }
        request.discardEntityBytes(materializer);
        unmatched.record(pathMatched ? 405 : 404, 0);
        if (pathMatched) {
            return CompletableFuture.completedFuture(Responses.json(405, new ErrorMapper.ApiError(
                    "INVALID", 405, "method " + request.method().value() + " not allowed on " + request.getUri().path(),
                    java.util.Map.of()).body()));
        }
        return CompletableFuture.completedFuture(Responses.json(404, new ErrorMapper.ApiError(
                "NOT_FOUND", 404, "no such endpoint: " + request.getUri().path(), java.util.Map.of()).body()));
    }

    /**
     * The decoded, non-empty path segments ({@code /a//b%2Fc} gives {@code a}, {@code b/c}), read off the
     * path pekko-http parsed: its segments are decoded already, so the path is not rendered back to a
     * String (with escaping) and decoded again, which cost ~1% of a read's CPU.
     */
    static List<String> segments(Uri.Path path) {
        List<String> segments = new ArrayList<>(8);
        for (Uri.Path p = path; !p.isEmpty(); p = p.tail()) {
            if (p.startsWithSegment()) {
                String s = (String) p.head();
                if (!s.isEmpty()) {
                    segments.add(s);
                }
            }
        }
        return segments;
    }

    /** {@link #segments(Uri.Path)} of a request target's raw path, parsed as pekko-http parses it. */
    static List<String> segments(String rawPath) {
        return segments(Uri.apply(rawPath.isEmpty() ? "/" : rawPath).path());
    }

    private CompletionStage<HttpResponse> invoke(RouteEntry r, HttpRequest request, List<String> params,
                                                 AuthenticatedUser user) {
        long start = System.nanoTime();
        try {
            RequestTimeout timeout = requestTimeout == null ? RequestTimeout.none()
                    : new RequestTimeout(request, requestTimeout, adminRequestTimeout, RequestTimeout.Kind.OTHER);
            CompletionStage<HttpResponse> result = r.handler.handle(
                    new ApiRequest(request, params, materializer, maxBodyBytes, timeout, user));
            timeout.armIfPending(result);
            return result.handle((resp, err) -> {
                HttpResponse out = err == null ? resp : ErrorMapper.toResponse(err, describe(request));
                r.metrics.record(out.status().intValue(), System.nanoTime() - start);
                return out;
            });
        } catch (Throwable t) {
            request.discardEntityBytes(materializer);
            HttpResponse out = ErrorMapper.toResponse(t, describe(request));
            r.metrics.record(out.status().intValue(), System.nanoTime() - start);
            return CompletableFuture.completedFuture(out);
        }
    }

    private static String describe(HttpRequest request) {
        return request.method().value() + " " + request.getUri().path();
    }

    /**
     * The path parameters if the route's pattern matches, else null. Every request tries the routes in
     * turn, so a mismatch allocates nothing: the length and the literal segments are checked first.
     * {@code {}} is one segment, a trailing {@code **} one or more.
     */
    static List<String> match(String[] pattern, List<String> segments) {
        int n = segments.size();
        boolean rest = pattern.length > 0 && pattern[pattern.length - 1].equals("**");
        int fixed = rest ? pattern.length - 1 : pattern.length;
        if (rest ? n <= fixed : n != fixed) {
            return null;
        }
        for (int i = 0; i < fixed; i++) {
            String p = pattern[i];
            if (!p.equals("{}") && !p.equals(segments.get(i))) {
                return null;
            }
        }
        List<String> params = new ArrayList<>(rest ? 2 + n - fixed : 2);
        for (int i = 0; i < fixed; i++) {
            if (pattern[i].equals("{}")) {
                params.add(segments.get(i));
            }
        }
        if (rest) {
            params.addAll(segments.subList(fixed, n));
        }
        return params;
    }
}
