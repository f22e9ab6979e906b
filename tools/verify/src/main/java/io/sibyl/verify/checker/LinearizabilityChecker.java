package io.sibyl.verify.checker;

import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that the {@code read}/{@code write}/{@code cas} operations of a history on compare-and-set registers
 * are linearizable, each key on its own (a register per key, initially without a value). A failed op
 * did not take effect and is left out; an {@code info} write or cas may take effect at any time after its
 * invocation, or never; an {@code info} read tells nothing and is left out.
 *
 * <p>On a violation the counter-example is made small while staying a proof: the history is cut at the
 * earliest completion after which it is no longer linearizable (found by bisection; ops still running at
 * that point become of unknown outcome), then reads are dropped one at a time as long as what remains
 * is still not linearizable (removing a read never turns a linearizable history into a non-linearizable one,
 * so what remains still proves the violation).
 */
public final class LinearizabilityChecker {
    private final Duration budget;

    public LinearizabilityChecker(Duration budget) {
        this.budget = budget;
    }

    public CheckResult check(List<Op> history) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, List<RegisterOp>> byKey = registerOps(history);
        Verdict verdict = Verdict.VALID;
        StringBuilder counterExample = new StringBuilder();
        Map<String, Object> figures = new LinkedHashMap<>();
        int checkedOps = 0;
        List<String> unknownKeys = new ArrayList<>();
        List<String> invalidKeys = new ArrayList<>();
        for (Map.Entry<String, List<RegisterOp>> e : byKey.entrySet()) {
            List<RegisterOp> ops = e.getValue();
            checkedOps += ops.size();
            WglSearch.Outcome outcome = WglSearch.check(ops, null, deadline);
            switch (outcome) {
                case LINEARIZABLE -> { }
                case TIMED_OUT -> {
                    unknownKeys.add(e.getKey());
                    verdict = verdict.and(Verdict.UNKNOWN);
                }
                case NOT_LINEARIZABLE -> {
                    invalidKeys.add(e.getKey());
                    verdict = Verdict.INVALID;
                    if (counterExample.isEmpty()) {
                        counterExample.append(counterExample(e.getKey(), ops));
                    }
                }
            }
        }
        figures.put("keys", byKey.size());
        figures.put("ops_checked", checkedOps);
        figures.put("invalid_keys", invalidKeys);
        figures.put("unknown_keys", unknownKeys);
        figures.put("budget_s", budget.toSeconds());
        return new CheckResult("linearizable-register", verdict, figures,
                counterExample.isEmpty() ? null : counterExample.toString());
    }

    /** The register ops of each key, in invocation order, numbered per key. */
    static Map<String, List<RegisterOp>> registerOps(List<Op> history) {
        Map<String, List<RegisterOp>> byKey = new TreeMap<>();
        for (History.Pair p : History.pairs(history)) {
            Op inv = p.invoke();
            Op done = p.completion();
            if (!List.of("read", "write", "cas").contains(inv.f()) || done.isFail()) {
                continue;
            }
            boolean unknown = done.isInfo();
            if (unknown && inv.f().equals("read")) {
                continue;
            }
            long end = unknown ? Long.MAX_VALUE : done.time();
            RegisterOp op = switch (inv.f()) {
                case "read" -> new RegisterOp(0, inv.index(), inv.process(), "read", null, null, asLong(done.value()), inv.time(), end);
                case "write" -> new RegisterOp(0, inv.index(), inv.process(), "write", null, asLong(inv.value()), null, inv.time(), end);
                default -> {
                    List<?> v = (List<?>) inv.value();
                    yield new RegisterOp(0, inv.index(), inv.process(), "cas", asLong(v.get(0)), asLong(v.get(1)), null, inv.time(), end);
                }
            };
            byKey.computeIfAbsent(inv.key(), k -> new ArrayList<>()).add(op);
        }
        byKey.replaceAll((k, ops) -> {
            ops.sort(Comparator.comparingLong(RegisterOp::start));
            return RegisterOp.renumber(ops);
        });
        return byKey;
    }

    private static Long asLong(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    /** A small sub-history of {@code ops} that is still not linearizable, described for a reader. */
    String counterExample(String key, List<RegisterOp> ops) {
        long shrinkDeadline = System.nanoTime() + Math.min(budget.toNanos(), Duration.ofSeconds(20).toNanos());
        List<Long> cuts = ops.stream().filter(o -> !o.unknownOutcome()).map(RegisterOp::end).sorted().distinct().toList();
        if (cuts.isEmpty()) {
            return "key " + key + ": not linearizable (no completed op to cut at)\n";
        }
        int lo = 0;
        int hi = cuts.size() - 1;   // the whole history (cut at its last completion) is not linearizable
        while (lo < hi && System.nanoTime() < shrinkDeadline) {
            int mid = (lo + hi) >>> 1;
            if (WglSearch.check(cut(ops, cuts.get(mid)), null, shrinkDeadline) == WglSearch.Outcome.NOT_LINEARIZABLE) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        long at = cuts.get(hi);
        List<RegisterOp> small = cut(ops, at);
        if (WglSearch.check(small, null, shrinkDeadline) != WglSearch.Outcome.NOT_LINEARIZABLE) {
            small = ops;   // ran out of time while bisecting: show it whole
        }
        for (int i = small.size() - 1; i >= 0 && System.nanoTime() < shrinkDeadline; i--) {
            if (!small.get(i).f().equals("read")) {
                continue;
            }
            List<RegisterOp> without = new ArrayList<>(small);
            without.remove(i);
            without = RegisterOp.renumber(without);
            if (WglSearch.check(without, null, shrinkDeadline) == WglSearch.Outcome.NOT_LINEARIZABLE) {
                small = without;
            }
        }
        RegisterOp culprit = small.stream().filter(o -> o.end() == at).findFirst().orElse(null);
        StringBuilder sb = new StringBuilder();
        sb.append("key ").append(key).append(": no linearization of these ").append(small.size())
                .append(" ops (register initially without a value) is consistent with what they returned;\n")
                .append("  cut where the history stops being linearizable: the op completing at ")
                .append(String.format("%.3fs", at / 1e9)).append(" cannot be placed")
                .append(culprit == null ? "" : " (" + culprit.describe().trim() + ")").append(":\n");
        for (RegisterOp op : small) {
            sb.append("  ").append(op.describe()).append('\n');
        }
        return sb.toString();
    }

    /** The ops invoked by {@code time}; those still running then become of unknown outcome, reads among them dropped. */
    static List<RegisterOp> cut(List<RegisterOp> ops, long time) {
        List<RegisterOp> out = new ArrayList<>();
        for (RegisterOp op : ops) {
            if (op.start() > time) {
                continue;
            }
            if (op.end() > time) {
                if (!op.f().equals("read")) {
                    out.add(op.asUnknown());
                }
            } else {
                out.add(op);
            }
        }
        return RegisterOp.renumber(out);
    }
}
