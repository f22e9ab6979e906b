package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cacert}: measured requests over TLS to an https:// target whose certificate the given PEM CA signed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsConnectionTest {

    @TempDir
    static Path dir;
    private SSLServerSocket server;
    private Path caPem;

    @BeforeAll
    void serveOverTls() throws Exception {
        // a self-signed certificate for 127.0.0.1 (it is its own CA), made with the JDK's keytool
        Path ks = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", ks.toString(),
                "-storetype", "PKCS12", "-storepass", "secret", "-keypass", "secret");
        run(keytool, "-exportcert", "-rfc", "-alias", "node", "-keystore", ks.toString(), "-storepass", "secret",
                "-file", caPem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
            keys.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "secret".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    // read to the end of the request head
                    int matched = 0;
                    for (int c; matched < 4 && (c = in.read()) >= 0; ) {
                        matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception e) {
                    // a refused handshake ends that connection only
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + output);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private URI base() {
        return URI.create("https://127.0.0.1:" + server.getLocalPort());
    }

    @Test
    void anHttpsTargetIsReachedTrustingTheCaCert() throws Exception {
        SSLContext trust = TrustedCa.load(caPem);
        try (HttpConnection c = new HttpConnection(base(), Duration.ofSeconds(10), trust.getSocketFactory(), Credentials.NONE)) {
            HttpConnection.Response r = c.exchange(new StressRequest("GET", 0, base(), "/health", null, null));
            assertEquals(200, r.status());
        }
        Endpoints e = new Endpoints(List.of(base().toString()), "ks", "t", "ONE", Duration.ofSeconds(10)).withSslContext(trust);
        try (HttpConnection c = e.connection(0)) {
            assertEquals(200, c.exchange(e.get(0, "k", 0)).status());
        }
    }

    @Test
    void withoutTheCaTheHandshakeIsRefused() {
        try (HttpConnection c = new HttpConnection(base(), Duration.ofSeconds(10))) {
            assertThrows(SSLHandshakeException.class,
                    () -> c.exchange(new StressRequest("GET", 0, base(), "/health", null, null)));
        }
    }

    @Test
    void aFileWithoutACertificateIsRefusedWithItsName() throws Exception {
        Path empty = dir.resolve("empty.pem");
        java.nio.file.Files.writeString(empty, "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedCa.load(empty));
        assertTrue(e.getMessage().contains("empty.pem"), e.getMessage());
    }
}
