package io.sibyl.verify.checker;

import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks a set workload: {@code add} of unique elements, {@code read}s of the whole set during the run and
 * one {@code final-read} (at ALL, after every fault healed). Invalid when an acknowledged element is missing
 * from the final read (lost), when an element whose add failed definitely appears (phantom: the database said
 * it did nothing), or when an element nobody added appears (unexpected). For elements of unknown outcome it
 * reports how many appeared and how long after their invocation each was first seen by a read.
 */
public final class SetChecker {

    public CheckResult check(List<Op> history) {
        Map<Long, Op.Type> outcome = new HashMap<>();
        Map<Long, Long> invokedAt = new HashMap<>();
        Map<Long, Long> firstSeen = new HashMap<>();
        TreeSet<Long> finalRead = null;
        int reads = 0;
        for (History.Pair p : History.pairs(history)) {
            Op inv = p.invoke();
            Op done = p.completion();
            switch (inv.f()) {
                case "add" -> {
                    long e = ((Number) inv.value()).longValue();
                    outcome.put(e, done.type());
                    invokedAt.put(e, inv.time());
                }
                case "read", "final-read" -> {
                    if (!done.isOk()) {
                        continue;
                    }
                    reads++;
                    TreeSet<Long> seen = elements(done.value());
                    for (Long e : seen) {
                        firstSeen.merge(e, done.time(), Math::min);
                    }
                    if (inv.f().equals("final-read")) {
                        finalRead = seen;
                    }
                }
                default -> { }
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        long acknowledged = outcome.values().stream().filter(t -> t == Op.Type.OK).count();
        long failed = outcome.values().stream().filter(t -> t == Op.Type.FAIL).count();
        List<Long> unknown = outcome.entrySet().stream().filter(e -> e.getValue() == Op.Type.INFO).map(Map.Entry::getKey).sorted().toList();
        figures.put("attempted", outcome.size());
        figures.put("acknowledged", acknowledged);
        figures.put("failed", failed);
        figures.put("unknown", unknown.size());
        figures.put("reads", reads);
        if (finalRead == null) {
            figures.put("final_read", "none succeeded");
            return new CheckResult("set", Verdict.UNKNOWN, figures, null);
        }
        TreeSet<Long> lost = new TreeSet<>();
        TreeSet<Long> phantom = new TreeSet<>();
        TreeSet<Long> unexpected = new TreeSet<>();
        for (Map.Entry<Long, Op.Type> e : outcome.entrySet()) {
            boolean present = finalRead.contains(e.getKey());
            if (e.getValue() == Op.Type.OK && !present) {
                lost.add(e.getKey());
            } else if (e.getValue() == Op.Type.FAIL && present) {
                phantom.add(e.getKey());
            }
        }
        for (Long e : finalRead) {
            if (!outcome.containsKey(e)) {
                unexpected.add(e);
            }
        }
        List<Long> appearMillis = new ArrayList<>();
        int recovered = 0;
        for (Long e : unknown) {
            if (finalRead.contains(e)) {
                recovered++;
            }
            Long seen = firstSeen.get(e);
            if (seen != null) {
                appearMillis.add(Math.max(0, seen - invokedAt.get(e)) / 1_000_000);
            }
        }
        appearMillis.sort(null);
        figures.put("final_read_size", finalRead.size());
        figures.put("lost", lost.size());
        figures.put("phantom", phantom.size());
        figures.put("unexpected", unexpected.size());
        figures.put("unknown_present_in_final_read", recovered);
        figures.put("unknown_time_to_appear_ms_median", appearMillis.isEmpty() ? null : appearMillis.get(appearMillis.size() / 2));
        figures.put("unknown_time_to_appear_ms_max", appearMillis.isEmpty() ? null : appearMillis.get(appearMillis.size() - 1));
        boolean valid = lost.isEmpty() && phantom.isEmpty() && unexpected.isEmpty();
        String counterExample = null;
        if (!valid) {
            StringBuilder sb = new StringBuilder();
            if (!lost.isEmpty()) {
                sb.append("lost (acknowledged, absent from the final read at ALL): ").append(sample(lost)).append('\n');
            }
            if (!phantom.isEmpty()) {
                sb.append("phantom (add failed definitely, yet present): ").append(sample(phantom)).append('\n');
            }
            if (!unexpected.isEmpty()) {
                sb.append("unexpected (never added, yet present): ").append(sample(unexpected)).append('\n');
            }
            counterExample = sb.toString();
        }
        return new CheckResult("set", valid ? Verdict.VALID : Verdict.INVALID, figures, counterExample);
    }

    private static TreeSet<Long> elements(Object value) {
        TreeSet<Long> out = new TreeSet<>();
        for (Object o : (Collection<?>) value) {
            out.add(((Number) o).longValue());
        }
        return out;
    }

    private static String sample(TreeSet<Long> s) {
        List<Long> first = s.stream().limit(20).toList();
        return s.size() + " " + first + (s.size() > first.size() ? " ..." : "");
    }
}
