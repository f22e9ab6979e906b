package io.sibyl.app.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCertificatesTest {

    @TempDir
    static Path dir;
    static ClusterCertificates.Generated generated;

    @BeforeAll
    static void generate() throws Exception {
        generated = new ClusterCertificates().write(dir, 2, List.of("db1.example.com", "10.0.0.7"), Duration.ofDays(30));
    }

    private static X509Certificate cert(Path p) throws Exception {
        return (X509Certificate) SslContexts.certificates(p).get(0);
    }

    @Test
    void writesTheCaAndOneCertificateAndKeyPerNodeUnderTheDocumentedNames() throws Exception {
        assertEquals(dir.resolve("ca.pem"), generated.caCert());
        assertEquals(dir.resolve("ca-key.pem"), generated.caKey());
        assertEquals(List.of(dir.resolve("node1.pem"), dir.resolve("node2.pem")), generated.nodeCerts());
        assertEquals(List.of(dir.resolve("node1-key.pem"), dir.resolve("node2-key.pem")), generated.nodeKeys());
        for (Path p : List.of(generated.caCert(), generated.caKey(), generated.nodeCerts().get(1), generated.nodeKeys().get(1))) {
            assertTrue(Files.size(p) > 0, p.toString());
        }
    }

    @Test
    void nodeCertificatesChainToTheCa() throws Exception {
        X509Certificate ca = cert(generated.caCert());
        ca.verify(ca.getPublicKey());
        assertTrue(ca.getBasicConstraints() >= 0, "the CA is a CA");
        for (Path p : generated.nodeCerts()) {
            X509Certificate node = cert(p);
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(node)), params);
            assertEquals(-1, node.getBasicConstraints(), "a node certificate is no CA");
        }
    }

    @Test
    void aNodeCertificateFromAnotherCaDoesNotVerify(@TempDir Path other) throws Exception {
        ClusterCertificates.Generated foreign = new ClusterCertificates().write(other, 1, List.of(), Duration.ofDays(1));
        X509Certificate ca = cert(generated.caCert());
        assertThrows(java.security.SignatureException.class, () -> cert(foreign.nodeCerts().get(0)).verify(ca.getPublicKey()));
    }

    @Test
    void nodeCertificatesNameLocalhostAndLoopbackPlusExtraNamesAndServeBothSides() throws Exception {
        X509Certificate node = cert(generated.nodeCerts().get(0));
        Set<String> sans = new HashSet<>();
        for (List<?> san : node.getSubjectAlternativeNames()) {
            sans.add(san.get(0) + ":" + san.get(1));
        }
        // 2 = DNS name, 7 = IP address
        assertEquals(Set.of("2:localhost", "7:127.0.0.1", "2:db1.example.com", "7:10.0.0.7"), sans);
        assertTrue(node.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
                "serverAuth and clientAuth: " + node.getExtendedKeyUsage());
        assertTrue(node.getSubjectX500Principal().getName().contains("CN=node1"));
    }

    @Test
    void privateKeysAreReadableWithPekkoPkiMatchTheirCertificatesAndAreOwnerOnly() throws Exception {
        for (int i = 0; i < 2; i++) {
            PrivateKey key = SslContexts.privateKey(generated.nodeKeys().get(i));
            assertEquals("RSA", key.getAlgorithm());
            byte[] data = "sibyl".getBytes();
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(cert(generated.nodeCerts().get(i)).getPublicKey());
            v.update(data);
            assertTrue(v.verify(sig), "key " + i + " belongs to its certificate");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(generated.nodeKeys().get(i))));
        }
    }

    @Test
    void sslContextsLoadFromPemFilesAndFromAPkcs12KeyStore() throws Exception {
        TlsSettings pem = new TlsSettings(generated.nodeCerts().get(0), generated.nodeKeys().get(0), generated.caCert(),
                null, "", null, "", false).requireUsable("test");
        SSLContext fromPem = SslContexts.forNode(pem);
        assertTrue(fromPem.createSSLEngine().getSupportedCipherSuites().length > 0);

        char[] pw = "secret".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", SslContexts.privateKey(generated.nodeKeys().get(0)), pw,
                SslContexts.certificates(generated.nodeCerts().get(0)).toArray(new java.security.cert.Certificate[0]));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", cert(generated.caCert()));
        Path ks = dir.resolve("node1.p12");
        Path ts = dir.resolve("trust.p12");
        try (OutputStream o = Files.newOutputStream(ks)) {
            keys.store(o, pw);
        }
        try (OutputStream o = Files.newOutputStream(ts)) {
            trust.store(o, pw);
        }
        TlsSettings p12 = new TlsSettings(null, null, null, ks, "secret", ts, "secret", false).requireUsable("test");
        assertTrue(SslContexts.forNode(p12).createSSLEngine().getSupportedCipherSuites().length > 0);
        TlsSettings wrongPassword = new TlsSettings(null, null, null, ks, "wrong", ts, "secret", false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SslContexts.forNode(wrongPassword));
        assertTrue(!e.getMessage().contains("wrong"), "the password is not in the message: " + e.getMessage());
    }

    @Test
    void missingKeyMaterialIsRefusedWithWhatToSet() {
        TlsSettings none = new TlsSettings(null, null, null, null, "", null, "", false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> none.requireUsable("sibyl.http.tls.enabled"));
        assertTrue(e.getMessage().contains("sibyl.http.tls.enabled") && e.getMessage().contains("gen-certs"), e.getMessage());
        TlsSettings missing = new TlsSettings(dir.resolve("nope.pem"), generated.nodeKeys().get(0), generated.caCert(),
                null, "", null, "", false);
        e = assertThrows(IllegalArgumentException.class, () -> missing.requireUsable("x"));
        assertTrue(e.getMessage().contains("nope.pem"), e.getMessage());
    }
}
