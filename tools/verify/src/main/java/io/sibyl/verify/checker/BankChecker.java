package io.sibyl.verify.checker;

import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a bank workload: every successful {@code read} (at SERIAL) of all accounts must show each of the
 * {@code accounts} accounts, none negative, and balances summing to {@code total} — transfers move money,
 * never create or destroy it, whatever faults happen.
 */
public final class BankChecker {
    private final int accounts;
    private final long total;

    public BankChecker(int accounts, long total) {
        this.accounts = accounts;
        this.total = total;
    }

    public CheckResult check(List<Op> history) {
        int reads = 0;
        int bad = 0;
        long transfersOk = 0;
        String first = null;
        for (History.Pair p : History.pairs(history)) {
            if (p.invoke().f().equals("transfer") && p.completion().isOk()) {
                transfersOk++;
            }
            if (!p.invoke().f().equals("read") || !p.completion().isOk()) {
                continue;
            }
            reads++;
            Map<?, ?> balances = (Map<?, ?>) p.completion().value();
            String problem = problem(balances);
            if (problem != null) {
                bad++;
                if (first == null) {
                    first = problem + " in " + p.completion() + " (invoked " + String.format("%.3fs", p.start() / 1e9) + ")";
                }
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("reads", reads);
        figures.put("bad_reads", bad);
        figures.put("transfers_ok", transfersOk);
        figures.put("accounts", accounts);
        figures.put("total", total);
        Verdict v = bad > 0 ? Verdict.INVALID : reads == 0 ? Verdict.UNKNOWN : Verdict.VALID;
        return new CheckResult("bank", v, figures, first);
    }

    private String problem(Map<?, ?> balances) {
        if (balances.size() != accounts) {
            return "read shows " + balances.size() + " accounts, expected " + accounts;
        }
        long sum = 0;
        for (Map.Entry<?, ?> e : balances.entrySet()) {
            if (e.getValue() == null) {
                return "account " + e.getKey() + " without a balance";
            }
            long b = ((Number) e.getValue()).longValue();
            if (b < 0) {
                return "account " + e.getKey() + " negative (" + b + ")";
            }
            sum += b;
        }
        return sum == total ? null : "total " + sum + ", expected " + total;
    }
}
