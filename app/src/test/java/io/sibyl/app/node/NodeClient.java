package io.sibyl.app.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** HTTP calls to a node started by a test ({@link TestNodes}), with the answers as JSON. */
public final class NodeClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer: the status and the JSON body (an empty object for an empty body). */
    public record Answer(int status, JsonNode body) {
        public String code() {
            return body.path("error").path("code").asText();
        }
    }

    private NodeClient() {
    }

    public static Answer send(SibylNode node, String method, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    /** {@code POST /v1/cql} with the query and its {@code ?} values. */
    public static Answer cql(SibylNode node, String query, Object... values) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", query);
        if (values.length > 0) {
            request.put("values", List.of(values));
        }
        return send(node, "POST", "/v1/cql", JSON.writeValueAsBytes(request));
    }
}
