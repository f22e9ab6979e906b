package io.sibyl.app.tls;

import io.sibyl.actors.tls.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.pki.pem.DERPrivateKeyLoader;
import org.apache.pekko.pki.pem.PEMDecoder;
import org.apache.pekko.pki.pem.PEMLoadingException;

/**
 * {@link SSLContext}s built from {@link TlsSettings}: the node's key and certificate (PEM read with
 * pekko-pki, or a PKCS12 key store) and the CA it trusts. One context serves the HTTP API and the native
 * protocol; the same context is the client side when a node calls another over HTTPS.
 */
public final class SslContexts {
    private static final char[] NO_PASSWORD = new char[0];

    private SslContexts() {
    }

    /** This node's key and certificate, trusting the configured CA; for servers and node-to-node clients. */
    public static SSLContext forNode(TlsSettings tls) {
        try {
            KeyStore keys;
            char[] keyPassword;
            KeyStore trust;
            if (tls.usesKeystore()) {
                keyPassword = tls.keystorePassword().toCharArray();
                keys = load(tls.keystore(), keyPassword);
                trust = load(tls.truststore(), tls.truststorePassword().toCharArray());
            } else {
                keyPassword = NO_PASSWORD;
                keys = emptyStore();
                List<Certificate> chain = certificates(tls.certFile());
                keys.setKeyEntry("node", privateKey(tls.keyFile()), keyPassword, chain.toArray(new Certificate[0]));
                trust = trustStore(tls.caFile());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException | PEMLoadingException e) {
            throw new IllegalArgumentException("cannot load the TLS key material (" + tls + "): " + e.getMessage(), e);
        }
    }

    /** A client context that trusts the certificates in a PEM file (the cluster's CA) and presents none. */
    public static SSLContext trusting(Path caPem) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(caPem));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA certificate " + caPem + ": " + e.getMessage(), e);
        }
    }

    /** A server-side engine: asks clients for a certificate and refuses them without one when required. */
    public static SSLEngine serverEngine(SSLContext ctx, boolean requireClientAuth) {
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(false);
        if (requireClientAuth) {
            engine.setNeedClientAuth(true);
        }
        return engine;
    }

    /** The certificates of a PEM file, in file order (a chain: the node's first). */
    public static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
            return certs;
        }
    }

    /**
     * The private key of a PEM file: PKCS#1 RSA or unencrypted PKCS#8 through pekko-pki (RSA); a PKCS#8 key
     * of another algorithm (EC) through the JDK.
     */
    public static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException, PEMLoadingException {
        PEMDecoder.DERData der = PEMDecoder.decode(Files.readString(pem, StandardCharsets.US_ASCII));
        try {
            return DERPrivateKeyLoader.load(der);
        } catch (PEMLoadingException e) {
            if ("PRIVATE KEY".equals(der.label())) {
                for (String alg : new String[] {"EC", "Ed25519"}) {
                    try {
                        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der.bytes()));
                    } catch (GeneralSecurityException notThisOne) {
                        // try the next algorithm
                    }
                }
            }
            throw new PEMLoadingException(pem + ": " + e.getMessage());
        }
    }

    private static KeyStore trustStore(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore ks = emptyStore();
        int i = 0;
        for (Certificate c : certificates(caPem)) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        return ks;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }
}
