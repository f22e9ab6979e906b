package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native protocol server belongs to the long-lived part of the node: when the cluster downs the node
 * and it restarts its cluster layer in-process (rejoin_after_down), the port stays bound, the driver's
 * connections stay open, and the same session (and its prepared statements) works with the new layer.
 */
class NativeServerSurvivesLayerRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void driverConnectionsSurviveAClusterLayerRestart() throws Exception {
        SibylNode node = TestNodes.start(dataDir, Map.of("sibyl.cql.port", freePort()));
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", node.cqlPort()))
                .withLocalDatacenter("dc1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(5))
                        .build())
                .build()) {
            session.execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
            PreparedStatement insert = session.prepare("INSERT INTO ks.t (k, v) VALUES (?, ?)");
            session.execute(insert.bind(1, "before"));
            int port = node.cqlPort();
            long connections = node.nativeServer().connectionsAccepted();

            ClusterNode before = TestNodes.downClusterLayer(node);
            // the new layer serves once it knows the ring; until then writes are UNAVAILABLE (detached)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            DriverException last = null;
            boolean written = false;
            while (System.nanoTime() < deadline && !written) {
                if (node.cluster() != before) {
                    try {
                        session.execute(insert.bind(2, "after"));
                        written = true;
                        break;
                    } catch (DriverException e) {
                        last = e;
                    }
                }
                Thread.sleep(100);
            }
            if (!written) {
                throw new AssertionError("no write succeeded after the layer restart", last);
            }
            assertNotSame(before, node.cluster(), "the cluster layer was restarted");
            assertEquals(port, node.cqlPort(), "the native port stays bound");
            Row row = session.execute("SELECT v FROM ks.t WHERE k = 1").one();
            assertNotNull(row);
            assertEquals("before", row.getString("v"));
            assertEquals("after", session.execute("SELECT v FROM ks.t WHERE k = 2").one().getString("v"));
            assertEquals(connections, node.nativeServer().connectionsAccepted(),
                    "the driver kept its connections: none was opened again");
        } finally {
            node.stop().get();
        }
    }

    private static int freePort() throws Exception {
        return io.sibyl.app.node.TestNodes.freePort();
    }
}
