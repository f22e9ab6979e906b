package io.sibyl.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RejoinPolicyTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A peer whose /ready answers {@code status}. */
    private int peer(int status) throws IOException {
        return peer(status, null);
    }

    /** A peer whose /ready answers {@code status} with {@code body} (none when null). */
    private int peer(int status, String body) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/ready", x -> {
            if (body == null) {
                x.sendResponseHeaders(status, -1);
            } else {
                byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(status, bytes.length);
                x.getResponseBody().write(bytes);
            }
            x.close();
        });
        s.start();
        servers.add(s);
        return s.getAddress().getPort();
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static RingView view(int... httpPorts) {
        NodeInfo self = new NodeInfo(NodeId.of("self"), "127.0.0.1", 1, 7000, "dc1", "rack1");
        Map<NodeId, NodeRecord> records = new HashMap<>();
        records.put(self.id(), new NodeRecord(self, List.of(1L), NodeStatus.NORMAL));
        for (int i = 0; i < httpPorts.length; i++) {
            NodeInfo n = new NodeInfo(NodeId.of("n" + i), "127.0.0.1", httpPorts[i], 7001 + i, "dc1", "rack1");
            records.put(n.id(), new NodeRecord(n, List.of(100L + i), NodeStatus.NORMAL));
        }
        return new RingView(1, self, TokenRing.empty(), records, Map.of());
    }

    @Test
    void othersRestartedButNotMembersLetTheSeedFormTheClusterAgain() throws Exception {
        RejoinPolicy.Census c = RejoinPolicy.census(view(peer(503), deadPort()));
        assertEquals(new RejoinPolicy.Census(1, 0), c);
        assertTrue(c.mayFormCluster());
    }

    @Test
    void aMemberAnywhereMeansKeepRejoining() throws Exception {
        RejoinPolicy.Census c = RejoinPolicy.census(view(peer(503), peer(200)));
        assertEquals(new RejoinPolicy.Census(2, 1), c);
        assertFalse(c.mayFormCluster());
    }

    @Test
    void aBootstrappingNodeIsAMemberThoughNotReady() throws Exception {
        // UJ: /ready is 503 but the node is an up member of the running cluster: keep rejoining
        RejoinPolicy.Census c = RejoinPolicy.census(view(
                peer(503, "{\"status\":\"JOINING\",\"id\":\"n0\",\"member\":true}"),
                peer(503, "{\"status\":\"JOINING\",\"id\":\"n1\",\"member\":false}")));
        assertEquals(new RejoinPolicy.Census(2, 1), c);
        assertFalse(c.mayFormCluster());
        // only not-yet-members (restarted, waiting to join) let the first seed form the cluster
        assertTrue(RejoinPolicy.census(view(peer(503, "{\"status\":\"JOINING\",\"member\":false}"))).mayFormCluster());
    }

    @Test
    void memberIsReadFromTheReadyAnswer() {
        assertTrue(RejoinPolicy.isMember(200, null));
        assertTrue(RejoinPolicy.isMember(503, "{\"status\":\"JOINING\",\"member\":true}"));
        assertFalse(RejoinPolicy.isMember(503, "{\"status\":\"JOINING\",\"member\":false}"));
        assertFalse(RejoinPolicy.isMember(503, "{\"status\":\"JOINING\"}"), "an older node's answer: not a member");
        assertFalse(RejoinPolicy.isMember(503, ""));
        assertFalse(RejoinPolicy.isMember(503, "<html>not sibyl</html>"));
    }

    @Test
    void silenceIsNoEvidence() throws Exception {
        // beyond a partition or dead: never form a second cluster on that
        RejoinPolicy.Census c = RejoinPolicy.census(view(deadPort(), deadPort()));
        assertEquals(new RejoinPolicy.Census(0, 0), c);
        assertFalse(c.mayFormCluster());
    }

    @Test
    void withHttpsTheCensusAsksThePeersOverTlsWithTheNodesOwnCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        io.sibyl.app.tls.ClusterCertificates.Generated certs = new io.sibyl.app.tls.ClusterCertificates()
                .write(dir, 2, List.of(), java.time.Duration.ofDays(1));
        javax.net.ssl.SSLContext peerContext = io.sibyl.app.tls.SslContexts.forNode(new io.sibyl.actors.tls.TlsSettings(
                certs.nodeCerts().get(1), certs.nodeKeys().get(1), certs.caCert(), null, "", null, "", true));
        com.sun.net.httpserver.HttpsServer s = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(peerContext) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters params) {
                params.setNeedClientAuth(true); // only a node with a certificate of the cluster's CA gets an answer
            }
        });
        s.createContext("/ready", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        s.start();
        servers.add(s);
        io.sibyl.app.tls.NodeTls tls = new io.sibyl.app.tls.NodeTls(true, false, true, java.util.Optional.of(
                io.sibyl.app.tls.SslContexts.forNode(new io.sibyl.actors.tls.TlsSettings(certs.nodeCerts().get(0),
                        certs.nodeKeys().get(0), certs.caCert(), null, "", null, "", true))));
        RingView v = view(s.getAddress().getPort());
        assertEquals(new RejoinPolicy.Census(1, 0), RejoinPolicy.census(v, tls));
        // over plain HTTP the TLS peer gives no answer: it counts for nothing
        assertEquals(new RejoinPolicy.Census(0, 0), RejoinPolicy.census(v));
    }
}
