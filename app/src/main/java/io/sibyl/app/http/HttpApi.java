package io.sibyl.app.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
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

    public HttpApi(Materializer materializer, long maxBodyBytes) {
        this(materializer, maxBodyBytes, RequestMetrics.NONE);
    }

    public HttpApi(Materializer materializer, long maxBodyBytes, RequestMetrics metrics) {
        this.materializer = materializer;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
        this.unmatched = metrics.route("ANY", "unmatched");
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

    @Override
    public CompletionStage<HttpResponse> apply(HttpRequest request) {
        List<String> segments = segments(request.getUri().path());
        boolean pathMatched = false;
        for (RouteEntry r : routes) {
            List<String> params = match(r.pattern, segments);
            if (params == null) continue;
            pathMatched = true;
            if (!r.method.equals(request.method())) continue;
            return invoke(r, request, params);
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

    /** The decoded, non-empty path segments ({@code /a//b%2Fc} gives {@code a}, {@code b/c}). */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>(8);
        int start = 0;
        int n = rawPath.length();
        while (start <= n) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? n : slash;
            if (end > start) {
                String s = rawPath.substring(start, end);
                segments.add(s.indexOf('%') >= 0 ? percentDecode(s) : s);
            }
            start = end + 1;
        }
        return segments;
    }

    /** %XX escapes to UTF-8 (pekko-http already rejected malformed escapes when it parsed the request). */
    private static String percentDecode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s, i + 1, i + 3, 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private CompletionStage<HttpResponse> invoke(RouteEntry r, HttpRequest request, List<String> params) {
        long start = System.nanoTime();
        try {
            CompletionStage<HttpResponse> result = r.handler.handle(new ApiRequest(request, params, materializer, maxBodyBytes));
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
