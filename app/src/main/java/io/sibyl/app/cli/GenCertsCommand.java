package io.sibyl.app.cli;

import io.sibyl.app.tls.ClusterCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sibyl gen-certs}: a CA and one certificate per node for a test or small cluster (docs/security.md
 * "TLS"). Production clusters may use their own PKI instead; see the requirements there.
 */
@Command(name = "gen-certs", mixinStandardHelpOptions = true,
        description = "Make a CA (ca.pem, ca-key.pem) and node certificates (node<i>.pem, node<i>-key.pem) for TLS.")
public final class GenCertsCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory to write the PEM files into (created if missing)")
    Path out;

    @Option(names = "--nodes", description = "Number of node certificates (default ${DEFAULT-VALUE})", defaultValue = "3")
    int nodes;

    @Option(names = "--san", description = "Another host name or IP address for every node certificate "
            + "(repeatable; localhost and 127.0.0.1 are always in)")
    List<String> sans = new ArrayList<>();

    @Option(names = "--days", description = "Validity of the CA and the node certificates in days (default ${DEFAULT-VALUE})",
            defaultValue = "365")
    int days;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || days < 1) {
            System.err.println("gen-certs: --nodes and --days must be at least 1");
            return 2;
        }
        ClusterCertificates.Generated g = new ClusterCertificates().write(out, nodes, sans, Duration.ofDays(days));
        System.out.printf("CA: %s (key %s: keep it secret, it signs certificates the cluster trusts)%n", g.caCert(), g.caKey());
        for (int i = 0; i < g.nodeCerts().size(); i++) {
            System.out.printf("node%d: %s, key %s%n", i + 1, g.nodeCerts().get(i), g.nodeKeys().get(i));
        }
        System.out.println("Set sibyl.tls.cert_file / key_file / ca_file of each node to its files (docs/security.md).");
        return 0;
    }
}
