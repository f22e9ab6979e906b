package io.sibyl.verify;

import io.sibyl.verify.checker.CheckResult;
import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.cluster.LocalCluster;
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
                for (int i = 0; i < s.targets().size(); i++) {
                    nodes.add(Node.remote("t" + (i + 1), s.targets().get(i)));
                }
                if (!s.nemesis().isEmpty()) {
                    throw new IllegalArgumentException("--targets runs without a nemesis (use --nemesis none): kill, pause and "
                            + "partition need nodes started by verify");
                }
            }
            int rf = Math.min(3, nodes.size());
            List<String> urls = nodes.stream().map(Node::url).toList();
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
                    Thread t = new Thread(new Worker(w, h, client, urls, s.seed() * 1_000_003L + wi * 101L + c, c,
                            s.concurrency(), interval, end), "verify-" + w.name() + "-" + c);
                    threads.add(t);
                }
                wi++;
            }
            Nemesis nemesis = new Nemesis(nodes, s.nemesis(), s.seed(), s.nemesisInterval(), s.faultHold(), clock, client);
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
            nemesis.healAll();
            long healed = clock.now();
            Thread.sleep(s.quietPeriod().toMillis());
            for (Map.Entry<Workload, History> e : histories.entrySet()) {
                e.getKey().finalReads(client, urls, e.getValue(), 1_000_000);
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
}
