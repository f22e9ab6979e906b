package io.sibyl.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodePortsTest {

    @Test
    void portsLieOutsideTheEphemeralRangeAreDistinctAndBindable() throws Exception {
        int[] ephemeral = NodePorts.ephemeralRange();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = NodePorts.restartSafe();
            assertTrue(port < ephemeral[0] || port > ephemeral[1], port + " inside the ephemeral range");
            assertTrue(seen.add(port), "port " + port + " given twice");
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertTrue(s.isBound());
            }
        }
    }

    @Test
    void aPortHeldByAListenerIsNotGiven() throws Exception {
        int[] ephemeral = NodePorts.ephemeralRange();
        int[] pool = NodePorts.pool(ephemeral);
        if (pool == null) {
            return;
        }
        // Hold a window of ports ahead of the cursor; none of them may come back.
        int first = NodePorts.restartSafe();
        Set<ServerSocket> held = new HashSet<>();
        Set<Integer> heldPorts = new HashSet<>();
        try {
            for (int p = first + 1; p <= Math.min(first + 20, pool[1]); p++) {
                try {
                    held.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
                    heldPorts.add(p);
                } catch (java.io.IOException inUse) {
                    heldPorts.add(p);
                }
            }
            for (int i = 0; i < 5; i++) {
                int port = NodePorts.restartSafe();
                assertTrue(!heldPorts.contains(port), "held port " + port + " was given");
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    @Test
    void consecutivePortsAreAllFreeAndNeverGivenAgain() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int first = NodePorts.restartSafe(2);
            int single = NodePorts.restartSafe();
            for (int port : new int[] {first, first + 1, single}) {
                assertTrue(seen.add(port), "port " + port + " given twice");
                try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    assertTrue(s.isBound());
                }
            }
        }
    }

    @Test
    void thePoolIsBelowTheRangeOrAboveItOrAbsent() {
        assertArrayEquals(new int[] {10000, 32767}, NodePorts.pool(new int[] {32768, 60999}));
        assertArrayEquals(new int[] {50001, 65535}, NodePorts.pool(new int[] {1024, 50000}));
        assertNull(NodePorts.pool(new int[] {1024, 65000}));
    }
}
