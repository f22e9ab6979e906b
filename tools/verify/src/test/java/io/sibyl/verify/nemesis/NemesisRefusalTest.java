package io.sibyl.verify.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.cluster.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each nemesis needs of --targets nodes: a run that cannot do a fault is refused, never silently thinned. */
class NemesisRefusalTest {
    private final CqlClient client = new CqlClient(Duration.ofSeconds(1));
    private final Path log = Path.of("/tmp/unused.log");

    private Node target(Long pid, Path dir, String cmd) {
        return Node.target("t1", "http://127.0.0.1:1", pid, dir, cmd, log);
    }

    @Test
    void pauseNeedsAPidOrADataDirectory() {
        assertTrue(Nemesis.refusal(List.of("pause"), List.of(target(null, null, null)), false, client).contains("--target-pids"));
        assertNull(Nemesis.refusal(List.of("pause"), List.of(target(42L, null, null)), false, client));
        assertNull(Nemesis.refusal(List.of("pause"), List.of(target(null, Path.of("/d"), null)), false, client));
    }

    @Test
    void killAndRestartNeedTheDataDirectoryAndARestartCommand() {
        for (String k : List.of("kill", "restart")) {
            assertTrue(Nemesis.refusal(List.of(k), List.of(target(42L, null, "start")), false, client).contains("--target-data-dirs"));
            assertTrue(Nemesis.refusal(List.of(k), List.of(target(null, Path.of("/d"), null)), false, client).contains("--restart-cmd"));
            assertNull(Nemesis.refusal(List.of(k), List.of(target(null, Path.of("/d"), "start")), false, client));
        }
    }

    @Test
    void everyTargetMustQualifyAndTopologyNeedsLocalNodes() {
        List<Node> mixed = List.of(target(42L, null, null), Node.target("t2", "http://127.0.0.1:2", null, null, null, log));
        assertTrue(Nemesis.refusal(List.of("pause"), mixed, false, client) != null);
        assertTrue(Nemesis.refusal(List.of("topology"), List.of(target(42L, Path.of("/d"), "x")), false, client).contains("topology"));
    }

    @Test
    void partitionNeedsTheFaultSwitchAnsweringOnEveryNode() {
        // nothing listens on port 1: the switch cannot be reached
        assertTrue(Nemesis.refusal(List.of("partition"), List.of(target(42L, null, null)), false, client).contains("fault_injection"));
    }

    @Test
    void theRestartCommandGetsTheNodesPlaceholders() {
        Node n = target(null, Path.of("/data/n1"), null);
        assertEquals("ssh db1 'sibyl start --data-dir /data/n1 --http-port 1' # t1 http://127.0.0.1:1",
                Node.restartCommandFor("ssh db1 'sibyl start --data-dir {data_dir} --http-port {http_port}' # {name} {url}", n));
    }
}
