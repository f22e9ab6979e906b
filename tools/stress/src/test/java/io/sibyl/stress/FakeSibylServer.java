package io.sibyl.stress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A stand-in for a Sibyl node on an ephemeral port: answers the row endpoints after a small delay,
 * and counts what it saw — requests, answers by status, rows in bulk bodies and the most requests
 * it ever had in progress at once.
 */
final class FakeSibylServer implements AutoCloseable {

    /** What to do with the n-th data request (0-based): a status, or {@link #HANG} to stall. */
    static final int HANG = -1;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(80);
    private final long delayMillis;
    private final LongFunction<Integer> statusForRequest;

    final AtomicLong dataRequests = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong hung = new AtomicLong();
    final AtomicLong bulkRows = new AtomicLong();
    final AtomicInteger compactionPolls = new AtomicInteger();
    final AtomicInteger inProgress = new AtomicInteger();
    final AtomicInteger maxInProgress = new AtomicInteger();
    final List<String> cql = new CopyOnWriteArrayList<>();
    final List<String> flushes = new CopyOnWriteArrayList<>();
    final List<String> sampleBodies = new CopyOnWriteArrayList<>();
    final List<String> sampleUris = new CopyOnWriteArrayList<>();
    /** Every distinct Authorization header seen ("none" for requests without one). */
    final java.util.Set<String> authorizations = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FakeSibylServer(long delayMillis, LongFunction<Integer> statusForRequest) throws IOException {
        this.delayMillis = delayMillis;
        this.statusForRequest = statusForRequest;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeSibylServer allOk(long delayMillis) throws IOException {
        return new FakeSibylServer(delayMillis, n -> 200);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "none" : authorization);
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/v1/cql")) {
            cql.add(body);
            respond(exchange, 200, "{\"rows\":[]}");
            return;
        }
        if (path.equals("/v1/admin/compactions")) {
            compactionPolls.incrementAndGet();
            respond(exchange, 200, "{\"running\":[],\"pending_tasks\":0,\"concurrent_compactors\":1}");
            return;
        }
        if (path.startsWith("/v1/admin/flush")) {
            flushes.add(exchange.getRequestURI().toString());
            respond(exchange, 200, "{}");
            return;
        }
        int now = inProgress.incrementAndGet();
        maxInProgress.accumulateAndGet(now, Math::max);
        long n = dataRequests.getAndIncrement();
        if (sampleBodies.size() < 20) {
            sampleBodies.add(exchange.getRequestMethod() + " " + body);
            sampleUris.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        }
        int status = statusForRequest.apply(n);
        int lines = 0;
        if (path.endsWith("rows:bulk")) {
            for (String line : body.split("\n")) {
                if (!line.isBlank()) {
                    lines++;
                }
            }
        }
        try {
            Thread.sleep(status == HANG ? 3_000 : delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Leave the in-progress count before answering: the client may send its next request the
        // instant the answer arrives, and that is not more concurrency.
        inProgress.decrementAndGet();
        if (status == HANG) {
            hung.incrementAndGet();
            respond(exchange, 200, "{}");
        } else if (status == 200) {
            ok.incrementAndGet();
            bulkRows.addAndGet(lines);
            String answer = path.endsWith("rows:bulk") ? "{\"written\":" + lines + ",\"failed\":0,\"errors\":[]}"
                    : exchange.getRequestMethod().equals("GET") ? "{\"columns\":[],\"rows\":[{\"k\":\"v\"}]}" : "{}";
            respond(exchange, 200, answer);
        } else {
            unavailable.incrementAndGet();
            respond(exchange, status, "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"fake\",\"consistency\":\"ONE\"}}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client gave up on this request (timeout); nothing to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
