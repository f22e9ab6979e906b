package io.sibyl.app.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.sibyl.actors.tls.TlsSettings;
import io.sibyl.app.cli.NodeOptions;
import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node with TLS on for HTTP, the native protocol and (configured, a one-node cluster) Artery; a second
 * one that requires client certificates. Certificates come from {@link ClusterCertificates}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeTlsTest {

    @TempDir
    static Path dir;

    private ClusterCertificates.Generated certs;
    private SibylNode node;
    private SibylNode mutualNode;

    @BeforeAll
    void start() throws Exception {
        certs = new ClusterCertificates().write(dir.resolve("certs"), 2, List.of(), Duration.ofDays(1));
        node = TestNodes.start(dir.resolve("n1"), tlsConfig(0, false));
        mutualNode = TestNodes.start(dir.resolve("n2"), tlsConfig(1, true));
    }

    private Map<String, Object> tlsConfig(int i, boolean requireClientAuth) throws IOException {
        Map<String, Object> m = new HashMap<>();
        m.put("sibyl.tls.cert_file", certs.nodeCerts().get(i).toString());
        m.put("sibyl.tls.key_file", certs.nodeKeys().get(i).toString());
        m.put("sibyl.tls.ca_file", certs.caCert().toString());
        m.put("sibyl.tls.require_client_auth", requireClientAuth);
        m.put("sibyl.http.tls.enabled", true);
        m.put("sibyl.cql.tls.enabled", true);
        m.put("sibyl.cluster.tls.enabled", true);
        try (ServerSocket s = new ServerSocket(0)) {
            m.put("sibyl.cql.port", s.getLocalPort());
        }
        return m;
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) node.stop().get();
        if (mutualNode != null) mutualNode.stop().get();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String https(SibylNode n, String path) {
        return "https://127.0.0.1:" + n.httpPort() + path;
    }

    @Test
    void anHttpsClientTrustingTheCaGetsAnswers() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(SslContexts.trusting(certs.caCert())).build();
        HttpResponse<String> r = get(http, https(node, "/health"));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("UP"), r.body());
        // the hostname check passes on the localhost SAN too
        assertEquals(200, get(http, "https://localhost:" + node.httpPort() + "/ready").statusCode());
    }

    @Test
    void theCliNodeClientWorksWithCacert() throws Exception {
        HttpResponse<String> r = NodeOptions.of(https(node, ""), null, null, certs.caCert()).client().get("/health");
        assertEquals(200, r.statusCode());
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefused() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(SSLHandshakeException.class, () -> get(http, https(node, "/health")));
    }

    @Test
    void plainHttpOnTheTlsPortFailsFastWithoutAnHttpAnswer() throws Exception {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder got = new StringBuilder();
            try {
                for (int n; (n = in.read(buf)) != -1; ) {
                    got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (java.net.SocketException reset) {
                // a reset is a clean refusal too
            }
            assertFalse(got.toString().startsWith("HTTP/"), "no HTTP answer on the TLS port: " + got);
        }
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertTrue(ms < 5000, "the connection was closed in " + ms + " ms");
        // and Java's client sees an error, not a hang
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort() + "/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()));
    }

    @Test
    void aPlainNativeProtocolClientOnTheTlsPortIsClosedFast() throws Exception {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", node.cqlPort()), 5000);
            s.setSoTimeout(10_000);
            // an OPTIONS frame of protocol v4: version, flags, stream 0, opcode 5, empty body
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0x05, 0, 0, 0, 0});
            s.getOutputStream().flush();
            byte[] buf = new byte[4096];
            int first;
            try {
                first = s.getInputStream().read(buf);
                while (first != -1 && s.getInputStream().read(buf) != -1) {
                    // drain a TLS alert, if any, until the close
                }
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            assertTrue(first == -1 || (buf[0] & 0xFF) == 0x15, "no SUPPORTED frame, at most a TLS alert (0x15)");
        }
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertTrue(ms < 5000, "the connection was closed in " + ms + " ms");
    }

    private static CqlSession connect(SibylNode n, SSLContext ssl) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", n.cqlPort()))
                .withLocalDatacenter("dc1")
                .withSslContext(ssl)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(10))
                        .build())
                .build();
    }

    @Test
    void theJavaDriverConnectsOverTlsTrustingTheCa() {
        try (CqlSession session = connect(node, SslContexts.trusting(certs.caCert()))) {
            assertEquals("dc1", session.execute("SELECT data_center FROM system.local").one().getString("data_center"));
        }
    }

    @Test
    void theJavaDriverWithoutTheCaCannotConnect() throws Exception {
        SSLContext jdkDefault = SSLContext.getDefault();
        assertThrows(AllNodesFailedException.class, () -> connect(node, jdkDefault).close());
    }

    @Test
    void withRequireClientAuthAClientWithoutACertificateIsRefusedAndOneWithACertificateServed() throws Exception {
        HttpClient noCert = HttpClient.newBuilder().sslContext(SslContexts.trusting(certs.caCert()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> get(noCert, https(mutualNode, "/health")));
        assertThrows(AllNodesFailedException.class,
                () -> connect(mutualNode, SslContexts.trusting(certs.caCert())).close());

        SSLContext withCert = SslContexts.forNode(new TlsSettings(certs.nodeCerts().get(0), certs.nodeKeys().get(0),
                certs.caCert(), null, "", null, "", false));
        HttpClient client = HttpClient.newBuilder().sslContext(withCert).build();
        assertEquals(200, get(client, https(mutualNode, "/health")).statusCode());
        try (CqlSession session = connect(mutualNode, withCert)) {
            assertEquals(1, session.execute("SELECT release_version FROM system.local").all().size());
        }
    }

    @Test
    void aNodeWithTlsOnAndNoKeyMaterialDoesNotStart() {
        Map<String, Object> m = new HashMap<>();
        m.put("sibyl.http.tls.enabled", true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestNodes.start(dir.resolve("n3"), m));
        assertTrue(e.getMessage().contains("sibyl.tls.cert_file"), e.getMessage());
    }
}
