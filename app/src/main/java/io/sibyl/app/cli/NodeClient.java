package io.sibyl.app.cli;

import io.sibyl.app.tls.SslContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The CLI's HTTP client for a node: one {@link HttpClient} (trusting {@code --cacert} when given),
 * the {@code Authorization: Basic} header when a user is given, JSON bodies as strings. Every verb
 * that talks to a node goes through it, so credentials and TLS are handled in one place.
 */
public final class NodeClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String base;
    private final String authorization;

    private NodeClient(HttpClient http, String base, String authorization) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
    }

    static NodeClient create(NodeOptions options) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (options.caCert() != null) {
            b.sslContext(SslContexts.trusting(options.caCert()));
        }
        String auth = null;
        if (options.user() != null && !options.user().isEmpty()) {
            String pw = options.password() == null ? "" : options.password();
            auth = "Basic " + Base64.getEncoder().encodeToString(
                    (options.user() + ":" + pw).getBytes(StandardCharsets.UTF_8));
        }
        return new NodeClient(b.build(), options.host(), auth);
    }

    /** The same client (credentials, trust) for another node's base address. */
    public NodeClient at(String otherBase) {
        String b = otherBase.endsWith("/") ? otherBase.substring(0, otherBase.length() - 1) : otherBase;
        return new NodeClient(http, b, authorization);
    }

    public String base() {
        return base;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** A POST that may take {@code timeout} to answer (cleanup, flush, compact, drain answer when done). */
    public HttpResponse<String> post(String path, Duration timeout) throws IOException, InterruptedException {
        return send(request(path).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return r;
    }

    private HttpResponse<String> send(HttpRequest.Builder r) throws IOException, InterruptedException {
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
