package io.sibyl.actors.tls;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's key material, the {@code sibyl.tls} section (docs/security.md "TLS"): either PEM files
 * (certificate chain, private key, CA) or a PKCS12 key store with a trust store. The HTTP API, the
 * native protocol and the inter-node transport each switch TLS on with their own
 * {@code sibyl.<http|cql|cluster>.tls.enabled} and share these files.
 *
 * @param certFile           PEM certificate (chain) of this node; null when a key store is used
 * @param keyFile            PEM private key (PKCS#8 or PKCS#1 RSA, unencrypted) of {@code certFile}
 * @param caFile             PEM certificate(s) this node trusts: peers' and clients' certificates must chain to it
 * @param keystore           PKCS12 key store with this node's key and certificate; null when PEM files are used
 * @param keystorePassword   password of the key store (and of its key)
 * @param truststore         PKCS12 store of trusted CA certificates (with a key store)
 * @param truststorePassword password of the trust store
 * @param requireClientAuth  HTTP and native protocol clients must present a certificate signed by the CA
 */
public record TlsSettings(Path certFile, Path keyFile, Path caFile, Path keystore, String keystorePassword,
                          Path truststore, String truststorePassword, boolean requireClientAuth) {

    /** Reads {@code sibyl.tls}; empty paths mean "not set". */
    public static TlsSettings from(Config config) {
        Config c = config.getConfig("sibyl.tls");
        return new TlsSettings(path(c, "cert_file"), path(c, "key_file"), path(c, "ca_file"), path(c, "keystore"),
                password(c, "keystore_password", "SIBYL_KEYSTORE_PASSWORD"), path(c, "truststore"),
                password(c, "truststore_password", "SIBYL_TRUSTSTORE_PASSWORD"), c.getBoolean("require_client_auth"));
    }

    // A password left empty in the config comes from the environment, so that it need not be in a file.
    private static String password(Config c, String key, String env) {
        String s = c.getString(key);
        String fromEnv = System.getenv(env);
        return s.isEmpty() && fromEnv != null ? fromEnv : s;
    }

    private static Path path(Config c, String key) {
        String s = c.getString(key);
        return s.isBlank() ? null : Path.of(s).toAbsolutePath().normalize();
    }

    /** Whether the key material is a PKCS12 key store (else PEM files). */
    public boolean usesKeystore() {
        return keystore != null;
    }

    /**
     * Fails with what to set when the files {@code what} (e.g. "sibyl.http.tls.enabled") needs are missing
     * or unreadable; called before a listener binds, so a misconfigured node does not start at all.
     */
    public TlsSettings requireUsable(String what) {
        List<String> problems = new ArrayList<>();
        if (usesKeystore()) {
            readable(keystore, "sibyl.tls.keystore", problems);
            if (truststore == null) {
                problems.add("sibyl.tls.truststore is not set (the CA certificates that peers and clients must chain to)");
            } else {
                readable(truststore, "sibyl.tls.truststore", problems);
            }
        } else {
            if (certFile == null || keyFile == null || caFile == null) {
                problems.add("set sibyl.tls.cert_file, key_file and ca_file (PEM), or sibyl.tls.keystore and truststore "
                        + "(PKCS12); `sibyl gen-certs --out DIR --nodes N` makes a CA and node certificates");
            } else {
                readable(certFile, "sibyl.tls.cert_file", problems);
                readable(keyFile, "sibyl.tls.key_file", problems);
                readable(caFile, "sibyl.tls.ca_file", problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(what + " is on but the TLS key material is not usable: "
                    + String.join("; ", problems));
        }
        return this;
    }

    private static void readable(Path p, String key, List<String> problems) {
        if (!Files.isReadable(p)) {
            problems.add(key + " = " + p + " is not a readable file");
        }
    }

    /**
     * The Artery settings for inter-node TLS when {@code sibyl.cluster.tls.enabled} is on, else an empty
     * config: transport {@code tls-tcp} with mutual authentication, PEM files through Pekko's
     * {@code RotatingKeysSSLEngineProvider} (which also checks that the peer's certificate shares a subject
     * name with this node's: docs/security.md), a key store through {@code ConfigSSLEngineProvider}. Put it
     * in front of {@code ClusterSettings.toPekkoConfig()}, which sets plain {@code tcp}.
     */
    public static Config arteryConfig(Config config) {
        if (!config.getBoolean("sibyl.cluster.tls.enabled")) {
            return ConfigFactory.empty();
        }
        TlsSettings tls = from(config).requireUsable("sibyl.cluster.tls.enabled");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pekko.remote.artery.transport", "tls-tcp");
        String ssl = "pekko.remote.artery.ssl.";
        if (tls.usesKeystore()) {
            m.put(ssl + "ssl-engine-provider", "org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider");
            String e = ssl + "config-ssl-engine.";
            m.put(e + "key-store", tls.keystore.toString());
            m.put(e + "key-store-password", tls.keystorePassword);
            m.put(e + "key-password", tls.keystorePassword);
            m.put(e + "trust-store", tls.truststore.toString());
            m.put(e + "trust-store-password", tls.truststorePassword);
            m.put(e + "require-mutual-authentication", "on");
        } else {
            m.put(ssl + "ssl-engine-provider", "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider");
            String e = ssl + "rotating-keys-engine.";
            m.put(e + "key-file", tls.keyFile.toString());
            m.put(e + "cert-file", tls.certFile.toString());
            m.put(e + "ca-cert-file", tls.caFile.toString());
        }
        return ConfigFactory.parseMap(m, "sibyl.cluster.tls");
    }

    @Override
    public String toString() {
        // never the passwords
        return "TlsSettings[" + (usesKeystore() ? "keystore=" + keystore + ", truststore=" + truststore
                : "cert=" + certFile + ", key=" + keyFile + ", ca=" + caFile) + ", requireClientAuth=" + requireClientAuth + "]";
    }
}
