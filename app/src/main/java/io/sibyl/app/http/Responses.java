package io.sibyl.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** Builders for JSON responses. */
public final class Responses {
    private Responses() {}

    private static final byte[] EMPTY_OBJECT = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    public static HttpResponse json(int status, byte[] body) {
        return HttpResponse.create()
                .withStatus(StatusCodes.get(status))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
    }

    public static HttpResponse json(int status, Object body) {
        try {
            return json(status, Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render response", e);
        }
    }

    public static HttpResponse ok(Object body) {
        return json(200, body);
    }

    /** Every successful write answers this: built once (HttpResponse is immutable). */
    private static final HttpResponse OK_EMPTY = json(200, EMPTY_OBJECT);

    public static HttpResponse okEmpty() {
        return OK_EMPTY;
    }

    public static CompletionStage<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    public static CompletionStage<HttpResponse> doneOk(Map<String, ?> body) {
        return done(ok(body));
    }
}
