package io.sibyl.app.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and node certificates for a test or small cluster ({@code sibyl gen-certs}): {@code ca.pem} +
 * {@code ca-key.pem}, and {@code node<i>.pem} + {@code node<i>-key.pem}. Keys are RSA (Pekko's PEM engine
 * for inter-node TLS reads RSA keys only); node certificates are good for both TLS server and client
 * authentication (mutual TLS between nodes) and carry the SANs {@code localhost} and {@code 127.0.0.1}
 * plus any given — the shared {@code localhost} DNS name is also the common subject name Pekko's
 * inter-node engine requires of two nodes of one cluster.
 */
public final class ClusterCertificates {
    private static final String SIGNATURE = "SHA256withRSA";
    private static final int KEY_BITS = 2048;

    private final SecureRandom random = new SecureRandom();

    /** What {@link #write} produced. */
    public record Generated(Path caCert, Path caKey, List<Path> nodeCerts, List<Path> nodeKeys) {
    }

    /**
     * Writes a new CA and {@code nodes} node certificates into {@code dir} (created if missing; existing
     * files of the same names are replaced). Private keys get mode 0600 where the file system allows.
     *
     * @param extraNames more SANs for every node certificate (host names or IP addresses)
     */
    public Generated write(Path dir, int nodes, List<String> extraNames, Duration validity) throws IOException {
        if (nodes < 1) {
            throw new IllegalArgumentException("--nodes must be at least 1, was " + nodes);
        }
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = rsaKeys();
            X509Certificate ca = caCertificate(caKeys, validity);
            Path caCert = writePem(dir.resolve("ca.pem"), ca, false);
            Path caKey = writePem(dir.resolve("ca-key.pem"), new JcaPKCS8Generator(caKeys.getPrivate(), null), true);
            List<Path> certs = new ArrayList<>();
            List<Path> keys = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
            names.addAll(extraNames);
            for (int i = 1; i <= nodes; i++) {
                KeyPair nodeKeys = rsaKeys();
                X509Certificate cert = nodeCertificate("node" + i, nodeKeys, names, ca, caKeys, validity);
                certs.add(writePem(dir.resolve("node" + i + ".pem"), cert, false));
                keys.add(writePem(dir.resolve("node" + i + "-key.pem"), new JcaPKCS8Generator(nodeKeys.getPrivate(), null), true));
            }
            return new Generated(caCert, caKey, certs, keys);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate certificates: " + e.getMessage(), e);
        }
    }

    private KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(KEY_BITS, random);
        return g.generateKeyPair();
    }

    private X509Certificate caCertificate(KeyPair keys, Duration validity)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        X500Name name = new X500Name("CN=Sibyl cluster CA,O=Sibyl");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(validity)), name, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(b, keys);
    }

    private X509Certificate nodeCertificate(String cn, KeyPair keys, Set<String> names, X509Certificate ca, KeyPair caKeys,
                                            Duration validity) throws GeneralSecurityException, IOException, OperatorCreationException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(validity)), new X500Name("CN=" + cn + ",O=Sibyl"), keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(isIpAddress(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
        return sign(b, caKeys);
    }

    private static boolean isIpAddress(String s) {
        // digits and dots (IPv4) or anything with a colon (IPv6); never a DNS lookup
        if (s.contains(":") || s.matches("[0-9.]+")) {
            try {
                InetAddress.getByName(s);
                return true;
            } catch (IOException e) {
                throw new IllegalArgumentException("not an IP address: " + s);
            }
        }
        return false;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
            throws GeneralSecurityException, OperatorCreationException {
        ContentSigner s = new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(s));
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static Path writePem(Path file, Object pemObject, boolean secret) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(pemObject);
        }
        Files.deleteIfExists(file);
        if (secret) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        return file;
    }
}
