package io.sibyl.app.http;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/**
 * The handler bound to the node's HTTP port for the life of the process: it passes each request to the
 * current {@link HttpApi}, which is replaced when the cluster layer behind it is (see SibylNode). The
 * listener and its open connections are untouched by the swap; a request runs on the API it started on.
 */
public final class SwappableHandler implements Function<HttpRequest, CompletionStage<HttpResponse>> {
    private final AtomicReference<HttpApi> current;

    public SwappableHandler(HttpApi initial) {
        this.current = new AtomicReference<>(initial);
    }

    public void set(HttpApi api) {
        current.set(api);
    }

    public HttpApi current() {
        return current.get();
    }

    @Override
    public CompletionStage<HttpResponse> apply(HttpRequest request) {
        return current.get().apply(request);
    }
}
