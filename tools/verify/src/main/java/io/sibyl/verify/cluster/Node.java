package io.sibyl.verify.cluster;

import io.sibyl.launcher.NodeLauncher;
import io.sibyl.launcher.PidFile;
import io.sibyl.launcher.Signals;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A node under test. Either verify started it ({@link #launched}: {@code io.sibyl.app.Main start} through
 * {@link NodeLauncher}, the test-only fault-injection switch on, restarted on the same ports and data directory),
 * or the operator did ({@link #target}: given by URL, with what the operator told about its process — a pid, a
 * data directory holding {@code sibyl.pid}, a restart command). What a node allows ({@link #canSignal()},
 * {@link #canRestart()}) decides which nemeses verify accepts.
 */
public final class Node {
    private final String name;
    private final String host;
    private final int httpPort;
    private volatile int clusterPort;
    private volatile String clusterHost;
    private final Path dataDir;
    private final List<String> seeds;
    private final List<String> jvmOpts;
    private final boolean launched;
    private final Long givenPid;
    private final String restartCommand;
    private final Path log;
    private Process process;

    private Node(String name, String host, int httpPort, int clusterPort, Path dataDir, List<String> seeds,
                 List<String> jvmOpts, boolean launched, Long givenPid, String restartCommand, Path log) {
        this.name = name;
        this.host = host;
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
        this.clusterHost = host;
        this.dataDir = dataDir;
        this.seeds = seeds;
        this.jvmOpts = jvmOpts;
        this.launched = launched;
        this.givenPid = givenPid;
        this.restartCommand = restartCommand;
        this.log = log;
    }

    /** A node verify starts on this machine. */
    public static Node launched(String name, int httpPort, int clusterPort, Path dataDir, List<String> seeds, List<String> jvmOpts) {
        return new Node(name, "127.0.0.1", httpPort, clusterPort, dataDir, seeds, jvmOpts, true, null, null,
                dataDir.resolve("node.log"));
    }

    /**
     * A node the operator runs, at {@code url}; {@code pid}, {@code dataDir} (whose {@code sibyl.pid} names the
     * current process, also after a restart) and {@code restartCommand} (a shell command, see
     * {@link #restartCommandFor}) may each be null. {@code log} receives the restart command's output.
     */
    public static Node target(String name, String url, Long pid, Path dataDir, String restartCommand, Path log) {
        java.net.URI uri = java.net.URI.create(url);
        return new Node(name, uri.getHost(), uri.getPort() < 0 ? 8080 : uri.getPort(), -1, dataDir, List.of(), List.of(),
                false, pid, restartCommand, log);
    }

    public String name() { return name; }
    public String url() { return "http://" + host + ":" + httpPort; }
    public int httpPort() { return httpPort; }
    public String clusterAddress() { return clusterHost + ":" + clusterPort; }
    public boolean hasClusterAddress() { return clusterPort > 0; }
    /** For a target: its cluster address as the cluster lists it ({@code GET /v1/cluster}). */
    public void clusterAddress(String host, int port) {
        this.clusterHost = host;
        this.clusterPort = port;
    }
    public Path dataDir() { return dataDir; }
    /** True when verify started this node (its log is {@link #log()}, it is killed when verify ends). */
    public boolean managed() { return launched; }
    public Path log() { return log; }

    /** Whether verify knows this node's process: kill -9, SIGTERM, SIGSTOP/SIGCONT work. */
    public boolean canSignal() {
        return launched || givenPid != null || dataDir != null;
    }

    /** Whether verify can start this node again after stopping it, and then still knows its process. */
    public boolean canRestart() {
        return launched || (restartCommand != null && dataDir != null);
    }

    /** The current process id: the launched process, the data directory's {@code sibyl.pid}, or the given pid. */
    public synchronized Optional<Long> pid() {
        if (launched) {
            return process == null ? Optional.empty() : Optional.of(process.pid());
        }
        if (dataDir != null) {
            Optional<Long> p = PidFile.read(PidFile.in(dataDir));
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.ofNullable(givenPid);
    }

    public synchronized void start() throws IOException, InterruptedException {
        if (launched) {
            List<String> jvm = new ArrayList<>(jvmOpts);
            jvm.add("-Dsibyl.cluster.fault_injection=on");
            process = NodeLauncher.launch(NodeLauncher.startCommand(jvm, List.of(
                    "--http-port", String.valueOf(httpPort),
                    "--cluster-port", String.valueOf(clusterPort),
                    "--cql-port", "0",
                    "--data-dir", dataDir.toString(),
                    "--node-name", name,
                    "--seeds", String.join(",", seeds))), log);
            return;
        }
        if (!canRestart()) {
            throw new IllegalStateException(name + ": no --restart-cmd and --target-data-dirs to start it again");
        }
        // The command starts the node in the background and returns; its pid then comes from sibyl.pid.
        Process sh = new ProcessBuilder("sh", "-c", restartCommandFor(restartCommand, this))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!sh.waitFor(2, TimeUnit.MINUTES)) {
            sh.destroyForcibly();
            throw new IOException(name + ": the restart command did not return within 2 min (it should start the node in the background)");
        }
        if (sh.exitValue() != 0) {
            throw new IOException(name + ": the restart command exited with " + sh.exitValue() + " (output in " + log + ")");
        }
    }

    /** {@code template} with {name}, {url}, {http_port}, {data_dir} replaced by this node's. */
    public static String restartCommandFor(String template, Node n) {
        return template.replace("{name}", n.name).replace("{url}", n.url())
                .replace("{http_port}", String.valueOf(n.httpPort))
                .replace("{data_dir}", n.dataDir == null ? "" : n.dataDir.toString());
    }

    public boolean alive() {
        return pid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGKILL: a crash, no shutdown hooks, no flush. */
    public void kill() throws InterruptedException {
        Optional<Long> p = pid();
        if (p.isPresent()) {
            Signals.kill(p.get(), Duration.ofSeconds(30));
        }
    }

    /** SIGTERM and wait: the clean shutdown path. */
    public void stop() throws InterruptedException {
        Optional<Long> p = pid();
        if (p.isPresent()) {
            Signals.terminate(p.get(), Duration.ofSeconds(60));
        }
    }

    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        if (alive()) {
            Signals.send(pid().orElseThrow(), sig);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
