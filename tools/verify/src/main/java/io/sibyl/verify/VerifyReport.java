package io.sibyl.verify;

import io.sibyl.verify.checker.CheckResult;
import io.sibyl.verify.nemesis.FaultWindow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a run found: per workload its history and verdicts, the faults applied, when they were all healed. */
public record VerifyReport(VerifySettings settings, List<VerifyRun.WorkloadOutcome> workloads, List<FaultWindow> faults,
                           long healedAtNanos) {

    public boolean passed() {
        return workloads.stream().flatMap(w -> w.results().stream()).allMatch(CheckResult::passed);
    }

    /** Completed ops of a history by outcome (ok, fail, info). */
    public static Map<String, Long> outcomes(List<Op> history) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ok", 0L);
        m.put("fail", 0L);
        m.put("info", 0L);
        for (Op op : history) {
            if (!op.isInvoke()) {
                m.merge(op.type().name().toLowerCase(), 1L, Long::sum);
            }
        }
        return m;
    }

    public String summaryText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%nsibyl verify: seed %d, %s, %s, nemesis %s%n", settings.seed(),
                settings.targets().isEmpty() ? settings.nodes() + " local nodes" : settings.targets(),
                settings.duration(), settings.nemesis()));
        Map<String, Long> faultCounts = new LinkedHashMap<>();
        faults.forEach(f -> faultCounts.merge(f.kind(), 1L, Long::sum));
        sb.append("faults: ").append(faults.size()).append(' ').append(faultCounts).append('\n');
        for (VerifyRun.WorkloadOutcome w : workloads) {
            sb.append(String.format("%-9s ops %s%n", w.name(), outcomes(w.history())));
            for (CheckResult r : w.results()) {
                sb.append(String.format("  %-22s %-8s %s%n", r.checker(), r.verdict(), r.figures()));
                if (r.counterExample() != null) {
                    sb.append("  counter-example:\n");
                    r.counterExample().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
                }
            }
        }
        sb.append(passed() ? "PASSED: every checker found the histories valid\n" : "FAILED: see the verdicts above\n");
        return sb.toString();
    }
}
