package io.sibyl.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for node processes that are killed and restarted on the same port (tests, {@code sibyl verify}).
 *
 * <p>A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, the range outgoing connections
 * take their local ports from. While a node is down, any connection on the machine (a client to another node, a
 * cluster link) may take its port, and the restart then fails with "Address already in use". The ports given here lie
 * below the ephemeral range (read from {@code /proc/sys/net/ipv4/ip_local_port_range}), so only a listener can hold
 * them; each was bindable when chosen and none is given twice by this JVM.
 */
public final class NodePorts {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int DEFAULT_EPHEMERAL_LOW = 32768;
    private static final int DEFAULT_EPHEMERAL_HIGH = 60999;
    /** The lowest port handed out: above the well-known and most registered service ports. */
    private static final int FLOOR = 10000;
    private static final int MIN_POOL = 1000;

    // Guarded by the class lock (every entry point is synchronized).
    private static final Set<Integer> givenOut = new HashSet<>();
    private static int cursor = -1;

    private NodePorts() {
    }

    /**
     * A loopback port that is free now, outside the ephemeral range and not given out before by this JVM; a plain
     * ephemeral free port when the machine leaves no room outside that range.
     */
    public static int restartSafe() throws IOException {
        return restartSafe(1);
    }

    /**
     * The first of {@code count} consecutive ports, each as {@link #restartSafe()} gives (for a node whose ports
     * are at fixed offsets from one another).
     */
    public static synchronized int restartSafe(int count) throws IOException {
        int[] pool = pool(ephemeralRange());
        if (pool != null) {
            int size = pool[1] - pool[0] + 1 - (count - 1);
            // Start at a random place so JVMs running side by side rarely probe the same ports.
            if (cursor < 0) {
                cursor = ThreadLocalRandom.current().nextInt(size);
            }
            for (int tries = 0; tries < size; tries++) {
                int first = pool[0] + Math.floorMod(cursor++, size);
                if (allFree(first, count)) {
                    for (int p = first; p < first + count; p++) {
                        givenOut.add(p);
                    }
                    cursor += count - 1;
                    return first;
                }
            }
        }
        for (int tries = 0; tries < 100; tries++) {
            int first = anyFreePort();
            if (allFree(first + 1, count - 1)) {
                for (int p = first + 1; p < first + count; p++) {
                    givenOut.add(p);
                }
                return first;
            }
        }
        throw new IOException("no " + count + " consecutive free ports");
    }

    private static boolean allFree(int first, int count) {
        for (int p = first; p < first + count; p++) {
            if (p > 65535 || givenOut.contains(p) || !bindable(p)) {
                return false;
            }
        }
        return true;
    }

    /** The ports handed out for a given ephemeral range {@code [low, high]}, or null when no pool fits. */
    static int[] pool(int[] ephemeral) {
        int low = ephemeral[0];
        int high = ephemeral[1];
        if (low - FLOOR >= MIN_POOL) {
            return new int[] {FLOOR, low - 1};
        }
        if (65535 - high >= MIN_POOL) {
            return new int[] {high + 1, 65535};
        }
        return null;
    }

    /** The kernel's ephemeral port range {@code [low, high]}; Linux's default where it cannot be read. */
    static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException notLinux) {
            return new int[] {DEFAULT_EPHEMERAL_LOW, DEFAULT_EPHEMERAL_HIGH};
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int anyFreePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();
            givenOut.add(port);
            return port;
        }
    }
}
