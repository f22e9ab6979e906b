package io.sibyl.it;

import io.sibyl.launcher.NodeLauncher;
import io.sibyl.launcher.NodePorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Sibyl node JVM started by a test: the same {@code io.sibyl.app.Main start} a user runs,
 * with the test JVM's class path ({@link NodeLauncher}, as local-cluster and verify start theirs). Killed with SIGKILL, paused with SIGSTOP, stopped with SIGTERM.
 * Every node is a cluster member: on its own cluster port (a free one unless the extra arguments
 * name {@code --cluster-port}), seeding itself unless {@link #withSeeds} names seeds. A restart
 * keeps the ports, so the node comes back at the same address.
 */
public final class NodeProcess implements AutoCloseable {
    private final String name;
    private final Path dataDir;
    private final int httpPort;
    private final List<String> extraArgs;
    private final Path logFile;
    private final int clusterPort;
    private List<String> clusterArgs = List.of();
    private final List<String> jvmProperties = new ArrayList<>();
    private Process process;

    public NodeProcess(String name, Path dataDir, int httpPort, List<String> extraArgs) {
        this.name = name;
        this.dataDir = dataDir;
        this.httpPort = httpPort;
        this.extraArgs = List.copyOf(extraArgs);
        this.logFile = dataDir.resolveSibling(name + ".log");
        int p = extraArgs.indexOf("--cluster-port");
        try {
            this.clusterPort = p >= 0 ? Integer.parseInt(extraArgs.get(p + 1)) : freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A cluster node joining through {@code seeds} ({@code host:port} cluster addresses), in {@code dc}/{@code rack}. */
    public NodeProcess withSeeds(List<String> seeds, String dc, String rack) {
        List<String> a = new ArrayList<>();
        if (!seeds.isEmpty()) {
            a.addAll(List.of("--seeds", String.join(",", seeds)));
        }
        a.addAll(List.of("--dc", dc, "--rack", rack));
        clusterArgs = List.copyOf(a);
        return this;
    }

    /** A {@code -Dkey=value} for the node's JVM, e.g. a {@code sibyl.*} setting without a command-line flag. */
    public NodeProcess withProperty(String key, String value) {
        jvmProperties.add("-D" + key + "=" + value);
        return this;
    }

    public int clusterPort() { return clusterPort; }

    /** {@code 127.0.0.1:<cluster port>}, the form seeds are given in. */
    public String clusterAddress() { return "127.0.0.1:" + clusterPort; }

    public static Path workDir(String testName) throws IOException {
        String base = System.getProperty("sibyl.test.workdir", "target/it-nodes");
        Path dir = Path.of(base, testName + "-" + System.nanoTime());
        Files.createDirectories(dir);
        return dir;
    }

    /** A free port a killed node can take again on restart ({@link NodePorts#restartSafe}). */
    public static int freePort() throws IOException {
        return NodePorts.restartSafe();
    }

    /** The first of {@code count} consecutive free ports ({@link NodePorts#restartSafe(int)}). */
    public static int freePorts(int count) throws IOException {
        return NodePorts.restartSafe(count);
    }

    public String name() { return name; }
    public int httpPort() { return httpPort; }
    public Path dataDir() { return dataDir; }
    public Path logFile() { return logFile; }
    public String baseUrl() { return "http://127.0.0.1:" + httpPort; }

    public NodeProcess start() throws IOException {
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>();
        cmd.addAll(ClassDataSharing.javaCommand());
        cmd.addAll(jvmProperties);
        cmd.add(NodeLauncher.MAIN_CLASS);
        cmd.add("start");
        cmd.add("--http-port");
        cmd.add(Integer.toString(httpPort));
        cmd.add("--data-dir");
        cmd.add(dataDir.toString());
        cmd.add("--node-name");
        cmd.add(name);
        if (!extraArgs.contains("--cluster-port")) {
            cmd.add("--cluster-port");
            cmd.add(Integer.toString(clusterPort));
        }
        if (!extraArgs.contains("--cql-port")) {
            // Many nodes share this machine: no native protocol server unless a test asks for one.
            cmd.add("--cql-port");
            cmd.add("0");
        }
        cmd.addAll(clusterArgs);
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.directory(new File(System.getProperty("user.dir")));
        process = pb.start();
        return this;
    }

    /** Waits until {@code /ready} answers 200, or fails with the node's log tail. */
    public NodeProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("node " + name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (SibylClient.of(baseUrl()).get("/ready").status() == 200) return this;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + name + " not ready after " + timeout + ":\n" + logTail());
    }

    /** Waits for the process to end by itself (e.g. a refused start); true if it did within the timeout. */
    public boolean waitForExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public int exitCode() { return process.exitValue(); }

    public long pid() { return process.pid(); }
    public boolean isAlive() { return process != null && process.isAlive(); }

    /** SIGKILL: no shutdown hooks, no flush — a crash. */
    public void kill9() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the clean shutdown path. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new AssertionError("node " + name + " did not stop within " + timeout + " after SIGTERM:\n" + logTail());
        }
        return process.exitValue();
    }

    public void pause() throws Exception { signal("STOP"); }
    public void resume() throws Exception { signal("CONT"); }

    private void signal(String sig) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
        if (p.waitFor() != 0) throw new IllegalStateException("kill -" + sig + " failed");
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
