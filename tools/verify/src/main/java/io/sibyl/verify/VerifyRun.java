package io.sibyl.verify;

import io.sibyl.verify.checker.CheckResult;
import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.cluster.LocalCluster;
import io.sibyl.verify.cluster.Members;
import io.sibyl.verify.cluster.Node;
import io.sibyl.verify.nemesis.Nemesis;
import io.sibyl.verify.report.ReportWriter;
import io.sibyl.verify.workload.BankWorkload;
import io.sibyl.verify.workload.RegisterWorkload;
import io.sibyl.verify.workload.SetWorkload;
import io.sibyl.verify.workload.Workload;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verify run end to end: start the cluster (or take the targets), create each workload's schema, run the
 * workloads' clients and the nemesis for the duration, heal every fault, wait the quiet period, do the final
 * reads, check every history, write the report.
 */
public final class VerifyRun {
    private final VerifySettings s;
    private final PrintStream out;

    public VerifyRun(VerifySettings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    /** A nemesis that cannot work on the given nodes (e.g. kill on --targets without a restart command). */
    public static final class Refused extends IllegalArgumentException {
        public Refused(String message) {
            super(message);
        }
    }

    /** The outcome of one workload: its history and its checkers' results. */
    public record WorkloadOutcome(String name, List<Op> history, List<CheckResult> results) { }

    /** The workload called {@code name}, as every run builds it (its checker settings included). */
    public static Workload workload(String name, int rf, Duration checkBudget) {
        return switch (name) {
            case "set" -> new SetWorkload(rf);
            case "register" -> new RegisterWorkload(rf, 3, checkBudget, "SERIAL");
            case "bank" -> new BankWorkload(rf, 5, 100);
            default -> throw new IllegalArgumentException("unknown workload " + name + " (register, set, bank)");
        };
    }

    public VerifyReport run() throws Exception {
        Files.createDirectories(s.reportDir());
        CqlClient client = new CqlClient(s.opTimeout());
        LocalCluster cluster = null;
        List<Node> nodes = new ArrayList<>();
        try {
            if (s.targets().isEmpty()) {
                out.printf("verify: starting %d nodes in %s%n", s.nodes(), s.reportDir().resolve("cluster"));
                cluster = LocalCluster.start(s.nodes(), s.reportDir().resolve("cluster"), s.jvmOpts(), Duration.ofMinutes(3), client);
                nodes.addAll(cluster.nodes());
            } else {
                nodes.addAll(targets(client));
                String refusal = Nemesis.refusal(s.nemesis(), nodes, false, client);
                if (refusal != null) {
                    throw new Refused(refusal);
                }
            }
            Members members = new Members(nodes);
            int rf = Math.min(3, nodes.size());
            List<String> urls = members.urls();
            List<Workload> workloads = new ArrayList<>();
            for (String w : s.workloads()) {
                workloads.add(w.equals("register") ? new RegisterWorkload(rf, 3, s.checkBudget(), s.registerReadConsistency())
                        : workload(w, rf, s.checkBudget()));
            }
            for (Workload w : workloads) {
                w.setup(client, urls.get(0));
            }

            History clock = new History();
            Map<Workload, History> histories = new LinkedHashMap<>();
            List<Thread> threads = new ArrayList<>();
            long end = clock.now() + s.duration().toNanos();
            long interval = (long) (1e9 * s.concurrency() / s.rate());
            int wi = 0;
            for (Workload w : workloads) {
                History h = new History(System.nanoTime() - clock.now());   // every history on one clock
                histories.put(w, h);
                for (int c = 0; c < s.concurrency(); c++) {
                    Thread t = new Thread(new Worker(w, h, client, members::urls, s.seed() * 1_000_003L + wi * 101L + c, c,
                            s.concurrency(), interval, end), "verify-" + w.name() + "-" + c);
                    threads.add(t);
                }
                wi++;
            }
            Nemesis nemesis = new Nemesis(members, cluster, s.nemesis(), s.seed(), s.nemesisInterval(), s.faultHold(), clock, client);
            Thread nemesisThread = new Thread(nemesis, "verify-nemesis");
            out.printf("verify: %s for %s, nemesis %s, seed %d%n", s.workloads(), s.duration(), s.nemesis(), s.seed());
            threads.forEach(Thread::start);
            nemesisThread.start();
            for (Thread t : threads) {
                t.join();
            }
            nemesis.stop();
            nemesisThread.join();
            out.println("verify: healing every fault, quiet period " + s.quietPeriod());
            if (!nemesis.healAll()) {
                out.println("verify: WARNING the cluster did not settle after healing (members not all UN, or a topology change still runs)");
            }
            long healed = clock.now();
            Thread.sleep(s.quietPeriod().toMillis());
            for (Map.Entry<Workload, History> e : histories.entrySet()) {
                e.getKey().finalReads(client, members.urls(), e.getValue(), 1_000_000);
            }

            List<WorkloadOutcome> outcomes = new ArrayList<>();
            for (Map.Entry<Workload, History> e : histories.entrySet()) {
                List<Op> ops = e.getValue().ops();
                out.printf("verify: checking %s (%d events)%n", e.getKey().name(), ops.size());
                outcomes.add(new WorkloadOutcome(e.getKey().name(), ops, e.getKey().check(ops)));
            }
            VerifyReport report = new VerifyReport(s, outcomes, nemesis.windows(), healed);
            new ReportWriter(s.reportDir()).write(report);
            out.print(report.summaryText());
            out.println("verify: report in " + s.reportDir().toAbsolutePath().resolve("index.html"));
            return report;
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /**
     * The {@code --targets} as nodes, with their processes as far as the options tell, and their cluster addresses
     * (for partitions) from the first answering target's {@code GET /v1/cluster}, matched by HTTP port and host.
     */
    private List<Node> targets(CqlClient client) throws java.io.IOException {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < s.targets().size(); i++) {
            String name = "t" + (i + 1);
            nodes.add(Node.target(name, s.targets().get(i),
                    s.targetPids().isEmpty() ? null : s.targetPids().get(i),
                    s.targetDataDirs().isEmpty() ? null : s.targetDataDirs().get(i).toAbsolutePath(),
                    s.restartCommand(), s.reportDir().resolve("restart-" + name + ".log")));
        }
        for (Node n : nodes) {
            com.fasterxml.jackson.databind.JsonNode c = client.getJson(n.url() + "/v1/cluster");
            if (c == null) {
                continue;
            }
            for (Node t : nodes) {
                for (com.fasterxml.jackson.databind.JsonNode m : c.path("nodes")) {
                    java.net.URI u = java.net.URI.create(t.url());
                    if (m.path("http_port").asInt() == t.httpPort() && sameHost(m.path("address").asText(), u.getHost())) {
                        t.clusterAddress(m.path("address").asText(), m.path("cluster_port").asInt());
                    }
                }
            }
            break;
        }
        return nodes;
    }

    private static boolean sameHost(String a, String b) {
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return a.equalsIgnoreCase(b);
        }
    }
}
