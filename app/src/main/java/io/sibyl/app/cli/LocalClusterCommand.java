package io.sibyl.app.cli;

import io.sibyl.app.tls.ClusterCertificates;
import io.sibyl.app.tls.SslContexts;
import io.sibyl.launcher.LogTail;
import io.sibyl.launcher.NodeLauncher;
import io.sibyl.launcher.PidFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sibyl local-cluster}: runs N nodes on this machine, each in its own JVM, the way ccm does
 * for Cassandra. Node {@code i} listens on HTTP {@code base-http-port + i}, CQL native protocol
 * {@code base-cql-port + i} and cluster {@code base-cluster-port + i}, lives in {@code <data-dir>/node<i>} (its log in {@code node.log},
 * its PID in {@code sibyl.pid}, written by the node), and joins through the first two nodes as seeds. Ctrl-C stops
 * them all cleanly (SIGTERM, then wait). With {@code --tls} it first makes a CA and node certificates in
 * {@code <data-dir>/certs} and turns TLS on for HTTP, the native protocol and inter-node traffic.
 */
@Command(name = "local-cluster", mixinStandardHelpOptions = true,
        description = "Run a cluster of N local nodes (one JVM each) until Ctrl-C.")
public final class LocalClusterCommand implements Callable<Integer> {

    @Option(names = "--nodes", description = "Number of nodes (default ${DEFAULT-VALUE})", defaultValue = "3")
    int nodes;

    @Option(names = "--dcs", description = "Number of data centers; node i goes to dc((i %% D) + 1) (default ${DEFAULT-VALUE})",
            defaultValue = "1")
    int dcs;

    @Option(names = "--racks-per-dc", description = "Racks per data center, assigned round robin (default ${DEFAULT-VALUE})",
            defaultValue = "3")
    int racksPerDc;

    @Option(names = "--base-http-port", description = "HTTP port of node 0 (default ${DEFAULT-VALUE})", defaultValue = "8080")
    int baseHttpPort;

    @Option(names = "--base-cql-port", description = "CQL native protocol port of node 0; node i gets base + i, 0 disables (default ${DEFAULT-VALUE})",
            defaultValue = "9042")
    int baseCqlPort;

    @Option(names = "--base-cluster-port", description = "Cluster port of node 0 (default ${DEFAULT-VALUE})",
            defaultValue = "7000")
    int baseClusterPort;

    @Option(names = "--data-dir", description = "Parent of the nodes' data directories (default ${DEFAULT-VALUE})",
            defaultValue = "./data")
    Path dataDir;

    @Option(names = "--config", description = "A sibyl.conf-style file passed to every node")
    Path configFile;

    @Option(names = "--jvm-opts", description = "JVM options of each node (default: \"${DEFAULT-VALUE}\")",
            defaultValue = "-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=1")
    String jvmOpts;

    @Option(names = "--tls", description = "TLS everywhere: make a CA and node certificates in <data-dir>/certs "
            + "(sibyl gen-certs) and start every node with HTTPS, native protocol TLS and inter-node TLS")
    boolean tls;

    @Option(names = "--ready-timeout", description = "How long to wait for every node's /ready (default ${DEFAULT-VALUE})",
            defaultValue = "PT3M", converter = DurationConverter.class)
    Duration readyTimeout;

    /** Accepts ISO-8601 ({@code PT90S}) or plain seconds ({@code 90}). */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
        }
    }

    /** One planned node. */
    record NodePlan(int index, String name, int httpPort, int clusterPort, String dc, String rack, Path dir) {
        Path log() {
            return dir.resolve("node.log");
        }

        Path pidFile() {
            return PidFile.in(dir);
        }

        Path restartScript() {
            return dir.resolve("start.sh");
        }
    }

    /** One started node. */
    record Running(NodePlan plan, Process process) {
    }

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** Where messages and errors go (tests capture them). */
    LocalClusterCommand printTo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }

    /** Whether a started node answers /ready with 200. */
    interface ReadyCheck {
        boolean isReady(NodePlan p) throws InterruptedException;
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || dcs < 1 || racksPerDc < 1 || dcs > nodes) {
            err.println("local-cluster: need --nodes >= 1, 1 <= --dcs <= --nodes, --racks-per-dc >= 1");
            return 2;
        }
        List<NodePlan> plans = plan();
        for (NodePlan p : plans) {
            Optional<Long> pid = PidFile.liveSibylPid(p.pidFile());
            if (pid.isPresent()) {
                err.printf("local-cluster: %s already runs (pid %d, %s); stop it first%n", p.name(), pid.get(), p.pidFile());
                return 1;
            }
        }

        if (tls) {
            // node<i> of the plan (0-based) uses node<i+1>.pem of gen-certs (1-based)
            ClusterCertificates.Generated certs = new ClusterCertificates().write(certsDir(), nodes, List.of(), Duration.ofDays(365));
            out.printf("TLS on: CA %s (clients: --cacert %s)%n", certs.caCert(), certs.caCert());
        }

        List<Running> running = new ArrayList<>();
        AtomicBoolean stopping = new AtomicBoolean(false);
        Thread hook = new Thread(() -> stopAll(running, stopping), "local-cluster-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        for (NodePlan p : plans) {
            Files.createDirectories(p.dir());
            Files.writeString(p.restartScript(), restartScript(p));
            Process process = NodeLauncher.launch(command(p), p.log());
            synchronized (running) {
                running.add(new Running(p, process));
            }
            out.printf("started %s (pid %d): %s/%s, log %s%n", p.name(), process.pid(), p.dc(), p.rack(), p.log());
        }

        if (!awaitReady(running)) {
            return 1;   // the shutdown hook stops the nodes that did start
        }
        out.println();
        out.println("All " + nodes + " nodes are ready:");
        for (Running r : running) {
            NodePlan p = r.plan();
            out.printf("  %-7s " + scheme() + "://127.0.0.1:%d  cluster 127.0.0.1:%d  %s/%s  pid %d%n",
                    p.name(), p.httpPort(), p.clusterPort(), p.dc(), p.rack(), r.process().pid());
        }
        out.println("Press Ctrl-C to stop the cluster. A node that stopped or was killed comes back with its own");
        out.println("command, in the background: sh " + plans.get(plans.size() - 1).restartScript() + " (and likewise per node).");

        for (Running r : running) {
            // Report a node that dies on its own at once, whichever it is.
            r.process().onExit().thenAccept(p -> {
                if (!stopping.get()) {
                    err.printf("%s exited with code %d (see %s)%n", r.plan().name(), p.exitValue(), r.plan().log());
                }
            });
        }
        for (Running r : running) {
            r.process().waitFor();
        }
        return 0;
    }

    List<NodePlan> plan() {
        List<NodePlan> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            String dc = "dc" + (i % dcs + 1);
            String rack = "rack" + ((i / dcs) % racksPerDc + 1);
            out.add(new NodePlan(i, "node" + i, baseHttpPort + i, baseClusterPort + i, dc, rack,
                    dataDir.resolve("node" + i).toAbsolutePath().normalize()));
        }
        return out;
    }

    /**
     * {@code <data_dir>/start.sh}: the node's own start command, run in the background with its output appended to
     * its log, so a node that was stopped or killed can be started again as it was (it then rejoins, ADR 026). A
     * node started that way is not a child of this command: stop it with {@code kill $(cat <data_dir>/sibyl.pid)}.
     */
    String restartScript(NodePlan p) {
        StringBuilder line = new StringBuilder();
        for (String a : command(p)) {
            line.append(line.length() == 0 ? "" : " ").append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return "#!/bin/sh\n# Starts " + p.name() + " of `sibyl local-cluster` again, in the background.\n"
                + "nohup " + line + " >> '" + p.log().toString().replace("'", "'\\''") + "' 2>&1 &\n"
                + "echo \"" + p.name() + " starting (pid $!); log " + p.log() + "\"\n";
    }

    /** The first two nodes are the seeds (one is enough to form; two let either restart alone). */
    String seeds() {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < Math.min(2, nodes); i++) {
            s.add("127.0.0.1:" + (baseClusterPort + i));
        }
        return String.join(",", s);
    }

    List<String> command(NodePlan p) {
        List<String> jvm = new ArrayList<>(List.of(jvmOpts.trim().split("\\s+")));
        if (tls) {
            Path certs = certsDir();
            jvm.addAll(List.of("-Dsibyl.tls.cert_file=" + certs.resolve("node" + (p.index() + 1) + ".pem"),
                    "-Dsibyl.tls.key_file=" + certs.resolve("node" + (p.index() + 1) + "-key.pem"),
                    "-Dsibyl.tls.ca_file=" + certs.resolve("ca.pem"),
                    "-Dsibyl.http.tls.enabled=on", "-Dsibyl.cql.tls.enabled=on", "-Dsibyl.cluster.tls.enabled=on"));
        }
        List<String> cmd = new ArrayList<>();
        cmd.addAll(List.of("--http-port", String.valueOf(p.httpPort()),
                "--cluster-port", String.valueOf(p.clusterPort()),
                "--seeds", seeds(),
                "--dc", p.dc(),
                "--rack", p.rack(),
                "--data-dir", p.dir().toString(),
                "--node-name", p.name(),
                "--cql-port", String.valueOf(baseCqlPort == 0 ? 0 : baseCqlPort + p.index())));
        if (configFile != null) {
            cmd.addAll(List.of("--config", configFile.toAbsolutePath().toString()));
        }
        return NodeLauncher.startCommand(jvm, cmd);
    }

    /** Where {@code --tls} keeps the CA and node certificates. */
    Path certsDir() {
        return dataDir.resolve("certs").toAbsolutePath().normalize();
    }

    private String scheme() {
        return tls ? "https" : "http";
    }

    private boolean awaitReady(List<Running> running) throws InterruptedException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls) {
            builder.sslContext(SslContexts.trusting(certsDir().resolve("ca.pem")));
        }
        HttpClient http = builder.build();
        String scheme = scheme();
        return awaitReady(running, p -> isReady(http, scheme, p), Duration.ofMillis(500));
    }

    /**
     * Waits until every node is ready, showing "nodes up / N" (a bar on a terminal, a line per node otherwise);
     * false (with the reason on err) if one exits first or --ready-timeout passes.
     */
    boolean awaitReady(List<Running> running, ReadyCheck check, Duration poll) throws InterruptedException {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        List<Running> pending = new ArrayList<>(running);
        int total = running.size();
        try (Progress progress = Progress.start(out, "nodes ready", "nodes")) {
            progress.update(0, total, "starting");
            while (!pending.isEmpty()) {
                for (var it = pending.iterator(); it.hasNext(); ) {
                    Running r = it.next();
                    if (!r.process().isAlive()) {
                        progress.close();
                        err.printf("%s exited with code %d before it was ready; the end of %s:%n%s%n", r.plan().name(),
                                r.process().exitValue(), r.plan().log(), LogTail.of(r.plan().log(), 30));
                        return false;
                    }
                    if (check.isReady(r.plan())) {
                        it.remove();
                        progress.update(total - pending.size(), total, r.plan().name() + " is ready");
                    }
                }
                if (pending.isEmpty()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    progress.close();
                    err.printf("local-cluster: not ready after %s: %s%n", readyTimeout,
                            pending.stream().map(r -> r.plan().name()).toList());
                    return false;
                }
                Thread.sleep(poll.toMillis());
            }
        }
        return true;
    }

    private static boolean isReady(HttpClient http, String scheme, NodePlan p) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + p.httpPort() + "/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;   // not listening yet
        }
    }

    /** SIGTERM to every node, then wait for each; nodes still alive after 60 s are killed. */
    private void stopAll(List<Running> running, AtomicBoolean stopping) {
        stopping.set(true);
        List<Running> snapshot;
        synchronized (running) {
            snapshot = List.copyOf(running);
        }
        for (Running r : snapshot) {
            if (r.process().isAlive()) {
                r.process().destroy();   // SIGTERM: the node runs its coordinated shutdown
            }
        }
        for (Running r : snapshot) {
            try {
                if (!r.process().waitFor(60, TimeUnit.SECONDS)) {
                    err.printf("%s did not stop within 60 s; killing it%n", r.plan().name());
                    r.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                PidFile.deleteIfOwn(r.plan().pidFile(), r.process().pid());   // the node removes it on a clean exit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                // a stale pid file is harmless: the next start checks whether that process lives
            }
        }
        if (!snapshot.isEmpty()) {
            out.println("local-cluster: all nodes stopped");
        }
    }
}
