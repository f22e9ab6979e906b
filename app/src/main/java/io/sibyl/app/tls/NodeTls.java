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
}
