package io.sibyl.app.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** A route's handler. It may throw or fail the stage; {@link ErrorMapper} turns either into the API's error. */
@FunctionalInterface
public interface ApiHandler {
    CompletionStage<HttpResponse> handle(ApiRequest request) throws Exception;
}
