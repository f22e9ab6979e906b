package io.sibyl.verify.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Statements to a node's {@code POST /v1/cql} (docs/api.md), with a client-side timeout. Every answer is a
 * {@link CqlResult}; a connection failure or client timeout is one too ({@code status} 0), so workloads
 * classify outcomes in one place ({@link CqlResult#certainlyNotApplied()}).
 */
public final class CqlClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final Duration timeout;

    public CqlClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public CqlResult execute(String baseUrl, String query, List<?> values, String consistency, String serialConsistency) {
        return execute(baseUrl, query, values, consistency, serialConsistency, null);
    }

    public CqlResult execute(String baseUrl, String query, List<?> values, String consistency, String serialConsistency,
                             String pagingState) {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", query);
        if (values != null && !values.isEmpty()) {
            ArrayNode arr = body.putArray("values");
            values.forEach(v -> arr.add(JSON.valueToTree(v)));
        }
        if (consistency != null) {
            body.put("consistency", consistency);
        }
        if (serialConsistency != null) {
            body.put("serial_consistency", serialConsistency);
        }
        if (pagingState != null) {
            body.put("paging_state", pagingState);
            body.put("page_size", 10000);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/cql"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode json = resp.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(resp.body());
            return new CqlResult(resp.statusCode(), json, null);
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            // No connection, so the request was never sent: the node (killed, restarting) did nothing.
            return new CqlResult(CqlResult.NOT_CONNECTED, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (IOException e) {
            return new CqlResult(0, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CqlResult(0, null, "interrupted");
        }
    }

    /** {@code GET url} as JSON; null when the node did not answer 200 with JSON. */
    public JsonNode getJson(String url) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? JSON.readTree(resp.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A plain request (admin endpoints, /ready); status 0 when the node did not answer. */
    public int send(String method, String url) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
