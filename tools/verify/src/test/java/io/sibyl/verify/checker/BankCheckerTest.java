package io.sibyl.verify.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BankCheckerTest {
    private final BankChecker checker = new BankChecker(3, 300);

    @Test
    void constantTotalIsValid() {
        var h = new HistoryBuilder()
                .invoke(0, "transfer", null, Map.of("from", 0, "to", 1, "amount", 50), 0).ok(0, "transfer", null, null, 1)
                .invoke(1, "read", null, null, 2).ok(1, "read", null, Map.of("0", 50L, "1", 150L, "2", 100L), 3)
                .invoke(1, "read", null, null, 4).info(1, "read", null, null, 5)
                .build();
        CheckResult r = checker.check(h);
        assertEquals(Verdict.VALID, r.verdict());
        assertEquals(1L, r.figures().get("transfers_ok"));
    }

    @Test
    void changedTotalIsInvalid() {
        var h = new HistoryBuilder()
                .invoke(1, "read", null, null, 2).ok(1, "read", null, Map.of("0", 50L, "1", 100L, "2", 100L), 3)
                .build();
        CheckResult r = checker.check(h);
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(r.counterExample().contains("total 250"), r.counterExample());
    }

    @Test
    void negativeBalanceIsInvalid() {
        var h = new HistoryBuilder()
                .invoke(1, "read", null, null, 2).ok(1, "read", null, Map.of("0", -10L, "1", 210L, "2", 100L), 3)
                .build();
        assertEquals(Verdict.INVALID, checker.check(h).verdict());
    }

    @Test
    void missingAccountIsInvalid() {
        var h = new HistoryBuilder()
                .invoke(1, "read", null, null, 2).ok(1, "read", null, Map.of("0", 200L, "1", 100L), 3)
                .build();
        assertEquals(Verdict.INVALID, checker.check(h).verdict());
    }
}
