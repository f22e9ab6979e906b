package io.sibyl.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny HTTP client for tests: CQL over HTTP and REST calls, answers parsed as JSON. */
public final class SibylClient {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization;

    private SibylClient(String baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    /** The same client logging in as {@code role} with HTTP Basic (nodes with authentication on). */
    public SibylClient as(String role, String password) {
        return new SibylClient(baseUrl, "Basic " + java.util.Base64.getEncoder().encodeToString(
                (role + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static SibylClient of(String baseUrl) {
        return new SibylClient(baseUrl, null);
    }

    public record Answer(int status, JsonNode body) {
        public String errorCode() {
            return body.path("error").path("code").asText(null);
        }

        public JsonNode rows() {
            return body.path("rows");
        }
    }

    public Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public Answer post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE());
    }

    public Answer cql(String query, Object... values) throws IOException, InterruptedException {
        return cqlAt(null, query, values);
    }

    public Answer cqlAt(String consistency, String query, Object... values) throws IOException, InterruptedException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("query", query);
        if (values.length > 0) req.put("values", List.of(values));
        if (consistency != null) req.put("consistency", consistency);
        return post("/v1/cql", JSON.writeValueAsString(req));
    }

    private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
        if (authorization != null) b.header("Authorization", authorization);
        HttpRequest request = b.timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> r;
        try {
            r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // A pooled keep-alive connection to a node the test killed and restarted is dead; the
            // request never reached a node, so it is sent once more on a fresh connection.
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }
        JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Answer(r.statusCode(), body);
    }
}
