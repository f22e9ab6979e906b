package io.sibyl.app.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.app.cql.QueryProcessor;
import io.sibyl.app.cql.QueryRequest;
import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.http.ApiRequest;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Json;
import io.sibyl.app.http.JsonValues;
import io.sibyl.app.http.RequestTimeout;
import io.sibyl.app.http.Responses;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** {@code POST /v1/cql}: CQL over HTTP, as docs/api.md describes the request and the answer. */
public final class CqlRoute {
    private final QueryProcessor processor;
    private final ConsistencyLevel defaultConsistency;

    public CqlRoute(QueryProcessor processor, ConsistencyLevel defaultConsistency) {
        this.processor = processor;
        this.defaultConsistency = defaultConsistency;
    }

    public void register(HttpApi api) {
        api.post("/v1/cql", this::handle);
    }

    private CompletionStage<HttpResponse> handle(ApiRequest request) {
        return request.body()
                .thenCompose(bytes -> {
                    QueryRequest query = parse(bytes);
                    timeoutFor(query, request.timeout());
                    return processor.execute(query, request.user());
                })
                .thenApply(CqlRoute::render);
    }

    /**
     * What the statement's request timeout answers: READ_TIMEOUT for SELECT, WRITE_TIMEOUT for
     * modifications and batches; DDL (which waits for schema agreement) and TRUNCATE (which waits for
     * every node) get the admin timeout and answer SERVER_ERROR past it.
     */
    static void timeoutFor(QueryRequest query, RequestTimeout timeout) {
        String text = query.query().stripLeading();
        int end = 0;
        while (end < text.length() && Character.isLetter(text.charAt(end))) end++;
        String keyword = text.substring(0, end).toUpperCase(java.util.Locale.ROOT);
        switch (keyword) {
            case "SELECT" -> timeout.answerAs(RequestTimeout.Kind.READ, query.consistency());
            case "INSERT", "UPDATE", "DELETE", "BEGIN" -> timeout.answerAs(RequestTimeout.Kind.WRITE, query.consistency());
            default -> timeout.useAdminTimeout();
        }
    }

    QueryRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("malformed JSON body: " + JsonValues.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("the body must be a JSON object with a \"query\"");
        }
        JsonNode q = root.get("query");
        if (q == null || !q.isTextual()) {
            throw new InvalidRequestException("\"query\" is required and must be a string");
        }
        JsonNode values = root.get("values");
        Object raw = null;
        if (values != null && !values.isNull()) {
            if (!values.isArray() && !values.isObject()) {
                throw new InvalidRequestException("\"values\" must be a list (for ? markers) or an object (for :name markers)");
            }
            raw = JsonValues.toRaw(values);
        }
        return new QueryRequest(q.asText(), raw,
                optionalText(root, "keyspace"),
                consistency(root, "consistency", defaultConsistency),
                consistency(root, "serial_consistency", ConsistencyLevel.SERIAL),
                optionalInt(root, "page_size"),
                optionalText(root, "paging_state"),
                optionalLong(root, "timestamp"));
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new InvalidRequestException("\"" + field + "\" must be a string");
        return n.asText();
    }

    private static int optionalInt(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return 0;
        if (!n.canConvertToInt() || !n.isIntegralNumber()) throw new InvalidRequestException("\"" + field + "\" must be an integer");
        int v = n.asInt();
        if (v < 0) throw new InvalidRequestException("\"" + field + "\" must not be negative");
        return v;
    }

    private static Long optionalLong(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new InvalidRequestException("\"" + field + "\" must be an integer (microseconds)");
        return n.asLong();
    }

    private static ConsistencyLevel consistency(JsonNode root, String field, ConsistencyLevel def) {
        String s = optionalText(root, field);
        if (s == null) return def;
        try {
            return ConsistencyLevel.parse(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    static HttpResponse render(QueryResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("columns", r.columns());
        body.put("rows", r.rows());
        body.put("paging_state", r.pagingState());
        if (r.applied() != null) body.put("applied", r.applied());
        body.put("warnings", r.warnings());
        return Responses.ok(body);
    }
}
