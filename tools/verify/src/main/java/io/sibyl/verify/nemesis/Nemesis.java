package io.sibyl.verify.nemesis;

import io.sibyl.verify.History;
import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.cluster.LocalCluster;
import io.sibyl.verify.cluster.Members;
import io.sibyl.verify.cluster.Node;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Injects one fault at a time on a schedule drawn from the seed: wait {@code interval} ± 50 %, apply a fault
 * of a randomly chosen enabled kind to a random node, hold it {@code hold} ± 50 %, heal it. Kinds:
 * {@code kill} (SIGKILL, then restart on the same data directory), {@code restart} (SIGTERM, then restart),
 * {@code pause} (SIGSTOP, then SIGCONT), {@code partition} (a {@link Partition} — one node isolated, a minority
 * against the majority, or a bridge — cut both ways through the fault-injection switch,
 * {@code POST /v1/admin/fault/partition}), {@code topology} (a bootstrap or a decommission, {@link TopologyChanges};
 * its window lasts as long as the change, no hold). Victims are drawn from the {@link Members} of the moment.
 * {@link #healAll()} ends every fault and waits until every member is NORMAL.
 */
public final class Nemesis implements Runnable {
    private static final Logger LOG = Logger.getLogger(Nemesis.class.getName());
    private final Members members;
    private final TopologyChanges topology;
    private final List<String> kinds;
    private final Random rnd;
    private final Duration interval;
    private final Duration hold;
    private final History clock;
    private final CqlClient client;
    private final List<FaultWindow> windows = new ArrayList<>();
    private volatile boolean running = true;

    /** {@code cluster} is null for {@code --targets}; the {@code topology} kind needs it. */
    public Nemesis(Members members, LocalCluster cluster, List<String> kinds, long seed, Duration interval, Duration hold,
                   History clock, CqlClient client) {
        this.members = members;
        this.topology = cluster == null ? null
                : new TopologyChanges(cluster, members, client, 3, Math.max(4, members.size() + 1));
        if (kinds.contains("topology") && topology == null) {
            throw new IllegalArgumentException("the topology nemesis needs nodes verify started");
        }
        this.kinds = List.copyOf(kinds);
        this.rnd = new Random(seed);
        this.interval = interval;
        this.hold = hold;
        this.clock = clock;
        this.client = client;
    }

    public static List<String> supportedKinds() {
        return List.of("kill", "restart", "pause", "partition", "topology");
    }

    public void stop() {
        running = false;
    }

    public synchronized List<FaultWindow> windows() {
        return List.copyOf(windows);
    }

    @Override
    public void run() {
        if (kinds.isEmpty()) {
            return;
        }
        try {
            while (running) {
                if (!sleep(jitter(interval))) {
                    return;
                }
                String kind = kinds.get(rnd.nextInt(kinds.size()));
                List<Node> nodes = members.nodes();
                Node node = nodes.get(rnd.nextInt(nodes.size()));
                long holdMs = jitter(hold);
                long start = clock.now();
                String target = node.name();
                if (kind.equals("topology")) {
                    target = "change FAILED (see the log)";
                    try {
                        target = topology.change(rnd);   // runs to its end even when stop() comes meanwhile
                    } finally {
                        synchronized (this) {
                            windows.add(new FaultWindow(kind, target, start, clock.now()));
                        }
                    }
                    continue;
                }
                try {
                    target = apply(kind, node);
                    sleep(holdMs);   // a stop request cuts the hold short: the fault is still healed
                } finally {
                    heal(kind, node);
                    synchronized (this) {
                        windows.add(new FaultWindow(kind, target, start, clock.now()));
                    }
                }
            }
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "nemesis stopped by an error", e);
        }
    }

    private long jitter(Duration d) {
        long ms = d.toMillis();
        return ms / 2 + (long) (rnd.nextDouble() * ms);
    }

    private boolean sleep(long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (running && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, deadline - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running;
    }

    /** Applies the fault; returns what it hit (a node's name, or the partition's shape). */
    private String apply(String kind, Node node) throws Exception {
        String target = node.name();
        switch (kind) {
            case "kill" -> node.kill();
            case "restart" -> node.stop();
            case "pause" -> node.pause();
            case "partition" -> target = partition(Partition.random(members.nodes().stream().map(Node::name).toList(), rnd));
            default -> throw new IllegalArgumentException("unknown fault " + kind);
        }
        String t = target;
        LOG.info(() -> "nemesis: " + kind + " " + t);
        return target;
    }

    private void heal(String kind, Node node) throws Exception {
        switch (kind) {
            case "kill", "restart" -> {
                node.start();
                if (!LocalCluster.awaitReady(node, client, Duration.ofMinutes(2))) {
                    LOG.warning(() -> node.name() + " not ready within 2 min of its restart");
                }
                awaitProcess(node);
            }
            case "pause" -> node.resume();
            case "partition" -> healPartitions();
            default -> { }
        }
    }

    /** A restarted target writes its new sibyl.pid once it runs: later faults must signal that process. */
    private static void awaitProcess(Node node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!node.alive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!node.alive()) {
            LOG.warning(() -> node.name() + " answers but no live process is named by its pid (" + node.pid() + ")");
        }
    }

    private String partition(Partition p) {
        List<Node> nodes = members.nodes();
        for (Node n : nodes) {
            List<Node> peers = nodes.stream().filter(o -> p.cuts().get(n.name()).contains(o.name())).toList();
            if (!peers.isEmpty()) {
                cut(n, peers);
            }
        }
        return p.description();
    }

    private void cut(Node on, List<Node> peers) {
        String list = peers.stream().map(Node::clusterAddress).collect(Collectors.joining(","));
        int status = client.send("POST", on.url() + "/v1/admin/fault/partition?peers=" + URLEncoder.encode(list, StandardCharsets.UTF_8));
        if (status != 200) {
            LOG.warning(() -> "partition on " + on.name() + " answered " + status + " (is sibyl.cluster.fault_injection on?)");
        }
    }

    private void healPartitions() {
        for (Node n : members.nodes()) {
            int status = client.send("DELETE", n.url() + "/v1/admin/fault/partition");
            if (status != 200) {
                LOG.warning(() -> "healing the partition on " + n.name() + " answered " + status);
            }
        }
    }

    /**
     * Ends every fault that may still be in place: continue every JVM, restart dead ones, heal partitions; with the
     * topology nemesis, wait until every member is NORMAL and no change runs. False when the cluster did not settle.
     */
    public boolean healAll() throws Exception {
        for (Node n : members.nodes()) {
            if (n.canSignal()) {
                n.resume();
                if (!n.alive() && n.canRestart()) {
                    n.start();
                }
            }
        }
        healPartitions();
        for (Node n : members.nodes()) {
            if (!LocalCluster.awaitReady(n, client, Duration.ofMinutes(2))) {
                LOG.warning(() -> n.name() + " not ready 2 min after healing");
            }
        }
        if (topology != null && kinds.contains("topology")) {
            return topology.awaitSettled(Duration.ofMinutes(2));
        }
        return true;
    }

    /**
     * Why the given kinds cannot run on these nodes (e.g. {@code --targets} without pids), or null when they can:
     * verify refuses such a run up front rather than skip faults silently.
     */
    public static String refusal(List<String> kinds, List<Node> nodes, boolean local, CqlClient client) {
        for (String k : kinds) {
            String why = switch (k) {
                case "topology" -> local ? null
                        : "the topology nemesis starts and decommissions nodes itself: it needs nodes verify started (no --targets)";
                case "pause" -> nodes.stream().allMatch(Node::canSignal) ? null
                        : "pause needs every target's process: --target-pids or --target-data-dirs (with sibyl.pid)";
                case "kill", "restart" -> nodes.stream().allMatch(n -> n.canSignal() && n.canRestart()) ? null
                        : k + " needs --restart-cmd and --target-data-dirs (the restarted node's pid is read from its sibyl.pid)";
                case "partition" -> partitionRefusal(nodes, client);
                default -> "unknown nemesis " + k;
            };
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String partitionRefusal(List<Node> nodes, CqlClient client) {
        for (Node n : nodes) {
            if (client.send("GET", n.url() + "/v1/admin/fault/partition") != 200) {
                return "partition needs the fault-injection switch on every node (sibyl.cluster.fault_injection = on); "
                        + n.url() + "/v1/admin/fault/partition did not answer 200";
            }
            if (!n.hasClusterAddress()) {
                return "partition needs every node's cluster address; " + n.url() + " is not in GET /v1/cluster";
            }
        }
        return null;
    }
}
