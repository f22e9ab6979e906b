package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real node JVMs with their native protocol servers, and the Apache Cassandra Java driver given
 * only the first as a contact point: it discovers all three (system.peers_v2, with their native ports),
 * builds its token map from the nodes' tokens and the keyspace's replication, and routes each prepared
 * statement to the replica of its partition key (RF 1: the one node that holds it). Then a node is
 * killed: the driver marks it down and routes around it.
 */
class DriverRoutesToReplicasIT {
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess n : nodes) n.close();
    }

    @Test
    void theDriverSeesThreeNodesAndRoutesByToken() throws Exception {
        java.nio.file.Path work = NodeProcess.workDir("driver-routing");
        List<Integer> cqlPorts = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int http = NodeProcess.freePorts(2);
            // A peer's native port is derived from its HTTP port (same offset on every node): see the ADR.
            int cql = http + 1;
            cqlPorts.add(cql);
            NodeProcess n = new NodeProcess("n" + i, work.resolve("n" + i), http, List.of("--cql-port", Integer.toString(cql)));
            nodes.add(n);
            if (i <= 2) seeds.add(n.clusterAddress());
        }
        for (int i = 0; i < 3; i++) nodes.get(i).withSeeds(seeds, "dc1", "rack" + (i + 1));
        Clusters.startAll(nodes);
        Clusters.awaitCluster(nodes.get(0), Duration.ofSeconds(60),
                c -> Clusters.count(c, "UN") == 3);

        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", cqlPorts.get(0)))
                .withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .build())
                .build()) {
            assertEquals(3, session.getMetadata().getNodes().size(), session.getMetadata().getNodes().toString());
            Set<Integer> ports = new HashSet<>();
            for (Node n : session.getMetadata().getNodes().values()) {
                ports.add(((InetSocketAddress) n.getEndPoint().resolve()).getPort());
            }
            assertEquals(new HashSet<>(cqlPorts), ports);
            awaitAllUp(session);

            session.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE ks.t (k text PRIMARY KEY, v int)");
            session.refreshSchema();
            PreparedStatement insert = session.prepare("INSERT INTO ks.t (k, v) VALUES (?, ?)");
            PreparedStatement select = session.prepare("SELECT v FROM ks.t WHERE k = ?");
            TokenMap tokens = session.getMetadata().getTokenMap().orElseThrow();
            Set<Node> coordinators = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                String key = "key-" + i;
                BoundStatement w = insert.bind(key, i).setConsistencyLevel(ConsistencyLevel.ONE);
                Set<Node> replicas = tokens.getReplicas("ks", w.getRoutingKey());
                assertEquals(1, replicas.size(), "RF 1: one replica for " + key);
                Node replica = replicas.iterator().next();
                ResultSet written = session.execute(w);
                assertEquals(replica, written.getExecutionInfo().getCoordinator(), "write of " + key + " routed to its replica");
                coordinators.add(written.getExecutionInfo().getCoordinator());
                ResultSet read = session.execute(select.bind(key).setConsistencyLevel(ConsistencyLevel.ONE));
                assertEquals(replica, read.getExecutionInfo().getCoordinator(), "read of " + key + " routed to its replica");
                Row row = read.one();
                assertNotNull(row, key);
                assertEquals(i, row.getInt("v"));
            }
            assertTrue(coordinators.size() >= 2, "keys spread over the nodes: " + coordinators);

            // A node killed: the driver marks it down and the others serve an RF 3 keyspace at ONE.
            session.execute("CREATE KEYSPACE ks3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
            session.execute("CREATE TABLE ks3.t (k text PRIMARY KEY, v int)");
            PreparedStatement insert3 = session.prepare("INSERT INTO ks3.t (k, v) VALUES (?, ?)");
            nodes.get(2).kill9();
            Node dead = session.getMetadata().getNodes().values().stream()
                    .filter(n -> ((InetSocketAddress) n.getEndPoint().resolve()).getPort() == cqlPorts.get(2))
                    .findFirst().orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (dead.getState() != NodeState.DOWN && System.nanoTime() < deadline) Thread.sleep(200);
            assertEquals(NodeState.DOWN, dead.getState(), "the driver sees the killed node down");
            for (int i = 0; i < 20; i++) {
                ResultSet rs = session.execute(insert3.bind("k" + i, i).setConsistencyLevel(ConsistencyLevel.ONE));
                assertTrue(!rs.getExecutionInfo().getCoordinator().equals(dead), "routed around the dead node");
            }
            Row back = session.execute(SimpleStatement.newInstance("SELECT v FROM ks3.t WHERE k = 'k7'")
                    .setConsistencyLevel(ConsistencyLevel.ONE)).one();
            assertNotNull(back);
            assertEquals(7, back.getInt("v"));
        }
    }

    private static void awaitAllUp(CqlSession session) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (session.getMetadata().getNodes().values().stream().allMatch(n -> n.getState() == NodeState.UP)) return;
            Thread.sleep(200);
        }
        throw new AssertionError("not every node is UP: " + session.getMetadata().getNodes());
    }
}
