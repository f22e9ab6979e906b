package io.sibyl.it;

import static io.sibyl.it.Clusters.awaitCluster;
import static io.sibyl.it.Clusters.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.app.tls.ClusterCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three node JVMs whose inter-node traffic (Artery) runs over TLS with mutual authentication
 * ({@code sibyl.cluster.tls.enabled}, PEM certificates from {@code sibyl gen-certs}): they form a cluster and
 * replicate a QUORUM write; a fourth node whose certificate another CA signed cannot join.
 */
class InterNodeTlsIT {
    /** What a refused TLS handshake leaves in the log of the node that tried to join. */
    private static final Pattern HANDSHAKE_REFUSED = Pattern.compile(
            "SSLHandshakeException|certificate_unknown|unknown_ca|PKIX path|bad_certificate");

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    private static NodeProcess withTls(NodeProcess n, Path cert, Path key, Path ca) {
        return n.withProperty("sibyl.cluster.tls.enabled", "on")
                .withProperty("sibyl.tls.cert_file", cert.toString())
                .withProperty("sibyl.tls.key_file", key.toString())
                .withProperty("sibyl.tls.ca_file", ca.toString());
    }

    @Test
    void nodesWithTheClusterCaFormAClusterAndReplicateANodeFromAnotherCaCannotJoin() throws Exception {
        Path work = NodeProcess.workDir("inter-node-tls");
        ClusterCertificates.Generated certs = new ClusterCertificates().write(work.resolve("certs"), 3, List.of(), Duration.ofDays(1));
        ClusterCertificates.Generated foreign = new ClusterCertificates().write(work.resolve("foreign"), 1, List.of(), Duration.ofDays(1));

        List<NodeProcess> three = Clusters.threeNodes(work, List.of());
        for (int i = 0; i < 3; i++) {
            withTls(three.get(i), certs.nodeCerts().get(i), certs.nodeKeys().get(i), certs.caCert());
        }
        nodes.addAll(three);
        for (NodeProcess n : three) n.start();
        for (NodeProcess n : three) n.awaitReady(Duration.ofSeconds(120));
        NodeProcess n1 = three.get(0);
        awaitCluster(n1, Duration.ofSeconds(30), c -> count(c, "UN") == 3);
        assertTrue(Files.readString(n1.logFile()).contains("tls-tcp"), "Artery runs tls-tcp:\n" + n1.logTail());

        SibylClient c1 = SibylClient.of(n1.baseUrl());
        SibylClient c3 = SibylClient.of(three.get(2).baseUrl());
        ok(c1.cql("CREATE KEYSPACE rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
        ok(c1.cql("CREATE TABLE rf3.t (k int PRIMARY KEY, v text)"));
        ok(c1.cqlAt("QUORUM", "INSERT INTO rf3.t (k, v) VALUES (?, ?)", 1, "over tls"));
        JsonNode rows = ok(c3.cqlAt("QUORUM", "SELECT v FROM rf3.t WHERE k = ?", 1)).rows();
        assertEquals("over tls", rows.get(0).path("v").asText(), rows.toString());

        // A node with a certificate of another CA, even though it trusts the cluster's CA (whose certificate is
        // public): the nodes ask for its certificate (mutual authentication) and refuse it.
        NodeProcess intruder = new NodeProcess("n4", work.resolve("n4"), NodeProcess.freePort(), List.of())
                .withSeeds(List.of(n1.clusterAddress(), three.get(1).clusterAddress()), "dc1", "rack1");
        withTls(intruder, foreign.nodeCerts().get(0), foreign.nodeKeys().get(0), certs.caCert());
        nodes.add(intruder);
        intruder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            refused = Files.exists(intruder.logFile())
                    && HANDSHAKE_REFUSED.matcher(Files.readString(intruder.logFile())).find();
            if (!refused) Thread.sleep(200);
        }
        assertTrue(refused, "the intruder's handshakes are refused:\n" + intruder.logTail());
        JsonNode cluster = Clusters.cluster(n1);
        assertEquals(3, cluster.path("nodes").size(), cluster.toString());
        assertFalse(ready(intruder), "the intruder never becomes ready");
    }

    private static boolean ready(NodeProcess n) {
        try {
            return SibylClient.of(n.baseUrl()).get("/ready").status() == 200;
        } catch (Exception notListening) {
            return false;
        }
    }

    private static SibylClient.Answer ok(SibylClient.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
        return a;
    }
}
