package io.sibyl.verify.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node JVM started by verify: {@code io.sibyl.app.Main start} with this JVM's class path (as
 * {@code sibyl local-cluster} does), the test-only fault-injection switch on, killed with SIGKILL, paused
 * with SIGSTOP, restarted on the same ports and data directory. Without a process ({@code --targets}) it is
 * only an address.
 */
public final class Node {
    private final String name;
    private final int httpPort;
    private final int clusterPort;
    private final Path dataDir;
    private final List<String> seeds;
    private final List<String> jvmOpts;
    private Process process;

    public Node(String name, int httpPort, int clusterPort, Path dataDir, List<String> seeds, List<String> jvmOpts) {
        this.name = name;
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
        this.dataDir = dataDir;
        this.seeds = seeds;
        this.jvmOpts = jvmOpts;
    }

    /** A node verify did not start (given by URL): no kill, pause or restart. */
    public static Node remote(String name, String url) {
        URLParts u = URLParts.parse(url);
        Node n = new Node(name, u.port(), -1, null, List.of(), List.of());
        n.host = u.host();
        return n;
    }

    private String host = "127.0.0.1";

    record URLParts(String host, int port) {
        static URLParts parse(String url) {
            java.net.URI uri = java.net.URI.create(url);
            return new URLParts(uri.getHost(), uri.getPort() < 0 ? 8080 : uri.getPort());
        }
    }

    public String name() { return name; }
    public String url() { return "http://" + host + ":" + httpPort; }
    public String clusterAddress() { return host + ":" + clusterPort; }
    public boolean managed() { return dataDir != null; }
    public Path log() { return dataDir.resolve("node.log"); }

    public synchronized void start() throws IOException {
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        // The durable cluster metadata store (LMDB) needs these, as every node start does.
        cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        cmd.add("-Dsibyl.cluster.fault_injection=on");
        String logback = System.getProperty("sibyl.logback");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.addAll(List.of("io.sibyl.app.Main", "start",
                "--http-port", String.valueOf(httpPort),
                "--cluster-port", String.valueOf(clusterPort),
                "--cql-port", "0",
                "--data-dir", dataDir.toString(),
                "--node-name", name,
                "--seeds", String.join(",", seeds)));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: a crash, no shutdown hooks, no flush. */
    public void kill() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and wait: the clean shutdown path. */
    public void stop() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).redirectErrorStream(true).start();
        if (k.waitFor() != 0) {
            throw new IOException("kill -" + sig + " " + p.pid() + " failed: " + new String(k.getInputStream().readAllBytes()));
        }
    }

    static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    @Override
    public String toString() {
        return name;
    }
}
