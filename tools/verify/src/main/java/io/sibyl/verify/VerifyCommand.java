package io.sibyl.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sibyl verify}: the Jepsen-style checker of docs/verify.md. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs workloads on a cluster while a nemesis injects faults, records every operation and checks",
                "the histories (set: lost/phantom writes; register: linearizability of LWT; bank: constant total).",
                "Exit code: 0 when every checker passed, 1 when one found a violation or could not decide, 2 on bad options."})
public final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "3", description = "Local nodes to start (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--targets", split = ",", description = "Node URLs of a running cluster instead of local nodes.")
    List<String> targets = List.of();

    @Option(names = "--target-pids", split = ",", description = "With --targets: each target's process id, in order (pause).")
    List<Long> targetPids = List.of();

    @Option(names = "--target-data-dirs", split = ",", description = "With --targets: each target's data directory, in order; "
            + "its sibyl.pid names the process, also after a restart (pause, kill, restart).")
    List<Path> targetDataDirs = List.of();

    @Option(names = "--restart-cmd", description = "With --targets: a shell command that starts a stopped target in the background; "
            + "{name}, {url}, {http_port}, {data_dir} are replaced (kill, restart).")
    String restartCmd;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the workloads and the nemesis run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--nemesis", defaultValue = "kill,pause,partition",
            description = "Faults, comma-separated: kill, restart, pause, partition, topology, or none (default: ${DEFAULT-VALUE}).")
    String nemesis;

    @Option(names = "--workload", defaultValue = "register,set,bank",
            description = "Workloads, comma-separated: register, set, bank (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--rate", defaultValue = "30", description = "Ops per second per workload (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--concurrency", defaultValue = "5", description = "Client threads per workload (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--seed", description = "Seed of the nemesis schedule and the clients (default: the time).")
    Long seed;

    @Option(names = "--report", defaultValue = "verify-report", description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--nemesis-interval", defaultValue = "10s", converter = DurationConverter.class,
            description = "Mean time between faults (default: ${DEFAULT-VALUE}).")
    Duration nemesisInterval;

    @Option(names = "--fault-duration", defaultValue = "6s", converter = DurationConverter.class,
            description = "Mean time a fault lasts (default: ${DEFAULT-VALUE}).")
    Duration faultHold;

    @Option(names = "--quiet-period", defaultValue = "10s", converter = DurationConverter.class,
            description = "Wait after healing before the final reads (default: ${DEFAULT-VALUE}).")
    Duration quiet;

    @Option(names = "--check-budget", defaultValue = "120s", converter = DurationConverter.class,
            description = "Time the linearizability search may take before answering UNKNOWN (default: ${DEFAULT-VALUE}).")
    Duration checkBudget;

    @Option(names = "--register-read-consistency", defaultValue = "SERIAL",
            description = "Consistency of the register's reads (default: ${DEFAULT-VALUE}); ONE breaks linearizability on purpose, to see the checker catch it.")
    String registerReadConsistency;

    @Option(names = "--check", description = "Only check the histories (history-<workload>.jsonl) of an earlier run's report directory.")
    Path checkOnly;

    @Override
    public Integer call() throws Exception {
        if (checkOnly != null) {
            return checkHistories(checkOnly);
        }
        List<String> kinds = nemesis.equals("none") ? List.of() : Arrays.asList(nemesis.split(","));
        for (String k : kinds) {
            if (!io.sibyl.verify.nemesis.Nemesis.supportedKinds().contains(k)) {
                System.err.println("verify: unknown nemesis " + k + " (kill, restart, pause, partition, topology, none)");
                return 2;
            }
        }
        String targetProblem = targetProblem(kinds);
        if (targetProblem != null) {
            System.err.println("verify: " + targetProblem);
            return 2;
        }
        for (String w : workload.split(",")) {
            if (!List.of("register", "set", "bank").contains(w)) {
                System.err.println("verify: unknown workload " + w + " (register, set, bank)");
                return 2;
            }
        }
        if (rate <= 0 || concurrency < 1 || nodes < 1) {
            System.err.println("verify: need --rate > 0, --concurrency >= 1, --nodes >= 1");
            return 2;
        }
        long s = seed != null ? seed : System.currentTimeMillis();
        VerifySettings d = VerifySettings.defaults(report);
        VerifySettings settings = new VerifySettings(nodes, targets, duration, kinds, Arrays.asList(workload.split(",")),
                rate, concurrency, s, report, nemesisInterval, faultHold, quiet, d.opTimeout(), checkBudget, d.jvmOpts(), registerReadConsistency,
                targetPids, targetDataDirs, restartCmd);
        VerifyReport r;
        try {
            r = new VerifyRun(settings, System.out).run();
        } catch (VerifyRun.Refused e) {
            System.err.println("verify: " + e.getMessage());
            return 2;
        }
        return r.passed() ? 0 : 1;
    }

    /** What is wrong with the --target-* options (checked before anything starts), or null. */
    String targetProblem(List<String> kinds) {
        boolean targetOptions = !targetPids.isEmpty() || !targetDataDirs.isEmpty() || restartCmd != null;
        if (targets.isEmpty()) {
            return targetOptions ? "--target-pids, --target-data-dirs and --restart-cmd go with --targets" : null;
        }
        if (!targetPids.isEmpty() && targetPids.size() != targets.size()
                || !targetDataDirs.isEmpty() && targetDataDirs.size() != targets.size()) {
            return "give one --target-pids / --target-data-dirs entry per --targets URL (" + targets.size() + ")";
        }
        if (kinds.contains("topology")) {
            return "the topology nemesis starts and decommissions nodes itself: it needs nodes verify started (no --targets)";
        }
        return null;
    }

    /** Re-runs the checkers on recorded histories, e.g. with a larger --check-budget after an UNKNOWN. */
    int checkHistories(Path dir) throws java.io.IOException {
        boolean passed = true;
        int found = 0;
        for (String w : List.of("register", "set", "bank")) {
            Path file = dir.resolve("history-" + w + ".jsonl");
            if (!java.nio.file.Files.isRegularFile(file)) {
                continue;
            }
            found++;
            List<Op> history = History.readJsonLines(file);
            for (io.sibyl.verify.checker.CheckResult r : VerifyRun.workload(w, 3, checkBudget).check(history)) {
                System.out.printf("%-9s %-22s %-8s %s%n", w, r.checker(), r.verdict(), r.figures());
                if (r.counterExample() != null) {
                    System.out.println(r.counterExample());
                }
                passed &= r.passed();
            }
        }
        if (found == 0) {
            System.err.println("verify: no history-<workload>.jsonl in " + dir);
            return 2;
        }
        return passed ? 0 : 1;
    }

    /** ISO-8601 ({@code PT90S}) or a number with s, m or h ({@code 90s}, {@code 10m}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            if (v.matches("\\d+[smh]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(v);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new VerifyCommand()).execute(args));
    }
}
