package io.sibyl.app.tls;

import com.typesafe.config.Config;
import io.sibyl.actors.tls.TlsSettings;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/**
 * Which of a node's listeners use TLS ({@code sibyl.http.tls.enabled}, {@code sibyl.cql.tls.enabled}) and the
 * one {@link SSLContext} they share, loaded once at start: a missing or unreadable file fails the start,
 * never the first connection.
 *
 * @param http     HTTPS on the HTTP port
 * @param cql      TLS on the native protocol port
 * @param context  the node's key material; empty when neither listener uses TLS
 */
public record NodeTls(boolean http, boolean cql, boolean requireClientAuth, Optional<SSLContext> context) {

    public static NodeTls from(Config config) {
        boolean http = config.getBoolean("sibyl.http.tls.enabled");
        boolean cql = config.getBoolean("sibyl.cql.tls.enabled");
        if (!http && !cql) {
            return new NodeTls(false, false, false, Optional.empty());
        }
        TlsSettings tls = TlsSettings.from(config)
                .requireUsable(http ? "sibyl.http.tls.enabled" : "sibyl.cql.tls.enabled");
        return new NodeTls(http, cql, tls.requireClientAuth(), Optional.of(SslContexts.forNode(tls)));
    }

    /** TLS off everywhere (tests, tools). */
    public static NodeTls off() {
        return new NodeTls(false, false, false, Optional.empty());
    }

    /** The HTTPS server context for pekko-http; only when {@link #http()}. */
    public HttpsConnectionContext httpsServer() {
        SSLContext ctx = context.orElseThrow();
        return ConnectionContext.httpsServer(() -> SslContexts.serverEngine(ctx, requireClientAuth));
    }

    /** "https" or "http": how this node's HTTP API (and so its peers') is addressed. */
    public String httpScheme() {
        return http ? "https" : "http";
    }

    /** A client for peers' HTTP APIs: over HTTPS with this node's key material when HTTPS is on. */
    public java.net.http.HttpClient peerHttpClient(java.time.Duration connectTimeout) {
        java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (http) {
            b.sslContext(context.orElseThrow());
        }
        return b.build();
    }

    /** {@code scheme://host:httpPort/path} of a peer's HTTP API (an IPv6 host in brackets). */
    public java.net.URI peerUri(String host, int httpPort, String path) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return java.net.URI.create(httpScheme() + "://" + h + ":" + httpPort + path);
    }
}
