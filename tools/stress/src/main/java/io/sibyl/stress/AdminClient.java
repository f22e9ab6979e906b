package io.sibyl.stress;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The few blocking calls around a run: schema set-up over {@code POST /v1/cql} and flushes. */
public final class AdminClient {

    private static final int ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    /** Schema changes and flushes can be slow on a loaded node. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMPACTION_POLL = Duration.ofMillis(500);

    private final HttpClient client;
    private final Credentials credentials;

    public AdminClient(HttpClient client, Credentials credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    /** {@code request} with the run's credentials, if any. */
    private HttpRequest authorized(HttpRequest request) {
        return credentials.authorize(request);
    }

    public static String createKeyspaceCql(String keyspace, int rf) {
        return "CREATE KEYSPACE IF NOT EXISTS " + keyspace
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + rf + "}";
    }

    /** Creates the keyspace and table if missing, through the first target (schema spreads from there). */
    public void createSchema(String target, String keyspace, int rf, String createTableCql)
            throws StressException, InterruptedException {
        cql(target, createKeyspaceCql(keyspace, rf));
        cql(target, createTableCql);
    }

    public void cql(String target, String query) throws StressException, InterruptedException {
        StringBuilder body = new StringBuilder(query.length() + 16).append('{');
        JsonText.appendName(body, "query");
        JsonText.appendString(body, query).append('}');
        HttpRequest request = HttpRequest.newBuilder(URI.create(Endpoints.stripSlash(target) + "/v1/cql"))
                .timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        request = authorized(request);
        call(request, query);
    }

    /** Flushes the table's memtables on one node, so reads measure SSTables as docs/performance.md asks. */
    public void flush(String target, String keyspace, String table) throws StressException, InterruptedException {
        URI uri = URI.create(Endpoints.stripSlash(target) + "/v1/admin/flush?keyspace="
                + URLEncoder.encode(keyspace, StandardCharsets.UTF_8) + "&table=" + URLEncoder.encode(table, StandardCharsets.UTF_8));
        call(authorized(HttpRequest.newBuilder(uri).timeout(TIMEOUT).POST(BodyPublishers.noBody()).build()), "flush on " + target);
    }

    /**
     * Waits until a node runs no compaction and has none pending, so the measured reads do not share
     * the CPU with the compactions the load set off (they would measure the load's aftermath, not the
     * read path); gives up quietly after {@code max}. Returns the time waited.
     */
    public Duration awaitCompactions(String target, Duration max) throws StressException, InterruptedException {
        URI uri = URI.create(Endpoints.stripSlash(target) + "/v1/admin/compactions");
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        int idlePolls = 0;
        // Two idle answers in a row: a compaction is scheduled just after the flush that set it off.
        while (idlePolls < 2 && System.nanoTime() < deadline) {
            Thread.sleep(COMPACTION_POLL.toMillis());
            String body = get(uri, "compactions of " + target);
            if (body == null) {
                break; // a node without the endpoint: nothing to wait for
            }
            boolean idle = body.contains("\"running\":[]") && body.contains("\"pending_tasks\":0");
            idlePolls = idle ? idlePolls + 1 : 0;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The body of a 2xx answer, or null for 404. */
    private String get(URI uri, String what) throws StressException, InterruptedException {
        try {
            HttpResponse<String> response = client.send(authorized(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build()),
                    BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() / 100 != 2) {
                throw new StressException(what + " failed: HTTP " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new StressException(what + " failed: cannot reach " + uri + ": " + e);
        }
    }

    private void call(HttpRequest request, String what) throws StressException, InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                throw new StressException(what + " failed: HTTP " + response.statusCode() + " " + response.body());
            } catch (IOException e) {
                // Connection-level failures are retried: a node that was just started may not listen yet.
                last = e;
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        }
        throw new StressException(what + " failed: cannot reach " + request.uri() + ": " + last);
    }
}
