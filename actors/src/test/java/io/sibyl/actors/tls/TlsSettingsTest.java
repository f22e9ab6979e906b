package io.sibyl.actors.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

    @TempDir
    Path dir;

    private Config config(Map<String, Object> values) {
        return ConfigFactory.parseMap(values).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void offByDefaultLeavesArteryOnPlainTcp() {
        Config c = config(Map.of());
        assertFalse(c.getBoolean("sibyl.cluster.tls.enabled"));
        assertTrue(TlsSettings.arteryConfig(c).isEmpty());
    }

    @Test
    void pemFilesSelectTlsTcpWithThePemEngineOverridingThePlainTransport() throws Exception {
        Path cert = Files.writeString(dir.resolve("node.pem"), "x");
        Path key = Files.writeString(dir.resolve("node-key.pem"), "x");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        Config c = config(Map.of("sibyl.cluster.tls.enabled", true, "sibyl.tls.cert_file", cert.toString(),
                "sibyl.tls.key_file", key.toString(), "sibyl.tls.ca_file", ca.toString()));
        Config artery = TlsSettings.arteryConfig(c);
        assertEquals("tls-tcp", artery.getString("pekko.remote.artery.transport"));
        assertEquals("org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider",
                artery.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
        assertEquals(key.toString(), artery.getString("pekko.remote.artery.ssl.rotating-keys-engine.key-file"));
        assertEquals(cert.toString(), artery.getString("pekko.remote.artery.ssl.rotating-keys-engine.cert-file"));
        assertEquals(ca.toString(), artery.getString("pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file"));
        // in front of ClusterSettings' own config (as ClusterLayer puts it), tls-tcp wins over tcp
        Config pekko = artery.withFallback(ConfigFactory.parseMap(Map.of("pekko.remote.artery.transport", "tcp")));
        assertEquals("tls-tcp", pekko.getString("pekko.remote.artery.transport"));
    }

    @Test
    void aKeyStoreSelectsTheConfigEngineWithMutualAuthentication() throws Exception {
        Path ks = Files.writeString(dir.resolve("node.p12"), "x");
        Path ts = Files.writeString(dir.resolve("trust.p12"), "x");
        Config c = config(Map.of("sibyl.cluster.tls.enabled", true, "sibyl.tls.keystore", ks.toString(),
                "sibyl.tls.keystore_password", "pw1", "sibyl.tls.truststore", ts.toString(),
                "sibyl.tls.truststore_password", "pw2"));
        Config artery = TlsSettings.arteryConfig(c);
        String e = "pekko.remote.artery.ssl.config-ssl-engine.";
        assertEquals("org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider",
                artery.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
        assertEquals(ks.toString(), artery.getString(e + "key-store"));
        assertEquals("pw1", artery.getString(e + "key-store-password"));
        assertEquals(ts.toString(), artery.getString(e + "trust-store"));
        assertTrue(artery.getBoolean(e + "require-mutual-authentication"));
        assertFalse(TlsSettings.from(c).toString().contains("pw1"), "no password in toString");
    }

    @Test
    void clusterTlsWithoutKeyMaterialRefusesToStartWithWhatToSet() {
        Config c = config(Map.of("sibyl.cluster.tls.enabled", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSettings.arteryConfig(c));
        assertTrue(e.getMessage().contains("sibyl.cluster.tls.enabled") && e.getMessage().contains("cert_file"), e.getMessage());
        Config noTrust = config(Map.of("sibyl.cluster.tls.enabled", true, "sibyl.tls.keystore", dir.toString()));
        e = assertThrows(IllegalArgumentException.class, () -> TlsSettings.arteryConfig(noTrust));
        assertTrue(e.getMessage().contains("truststore"), e.getMessage());
    }
}
