package io.sibyl.verify.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.verify.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetCheckerTest {
    private final SetChecker checker = new SetChecker();

    private HistoryBuilder adds() {
        return new HistoryBuilder()
                .invoke(0, "add", null, 1L, 0).ok(0, "add", null, 1L, 1)
                .invoke(1, "add", null, 2L, 0).fail(1, "add", null, 2L, 1)
                .invoke(2, "add", null, 3L, 0).info(2, "add", null, 3L, 100);
    }

    @Test
    void everyAcknowledgedElementPresentIsValidAndInfoTimeToAppearIsMeasured() {
        List<Op> h = adds()
                .invoke(5, "read", null, null, 200).ok(5, "read", null, List.of(1L), 210)
                .invoke(5, "read", null, null, 400).ok(5, "read", null, List.of(1L, 3L), 450)
                .invoke(5, "final-read", null, null, 500).ok(5, "final-read", null, List.of(1L, 3L), 510)
                .build();
        CheckResult r = checker.check(h);
        assertEquals(Verdict.VALID, r.verdict(), String.valueOf(r));
        assertEquals(1, r.figures().get("unknown_present_in_final_read"));
        assertEquals(450L, r.figures().get("unknown_time_to_appear_ms_median"));
    }

    @Test
    void lostAcknowledgedElementIsInvalid() {
        List<Op> h = adds().invoke(5, "final-read", null, null, 500).ok(5, "final-read", null, List.of(3L), 510).build();
        CheckResult r = checker.check(h);
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(1, r.figures().get("lost"));
        assertTrue(r.counterExample().startsWith("lost"), r.counterExample());
    }

    @Test
    void phantomOfAFailedAddIsInvalid() {
        List<Op> h = adds().invoke(5, "final-read", null, null, 500).ok(5, "final-read", null, List.of(1L, 2L), 510).build();
        CheckResult r = checker.check(h);
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(1, r.figures().get("phantom"));
    }

    @Test
    void elementNeverAddedIsInvalid() {
        List<Op> h = adds().invoke(5, "final-read", null, null, 500).ok(5, "final-read", null, List.of(1L, 42L), 510).build();
        assertEquals(1, checker.check(h).figures().get("unexpected"));
        assertEquals(Verdict.INVALID, checker.check(h).verdict());
    }

    @Test
    void withoutASuccessfulFinalReadTheVerdictIsUnknown() {
        List<Op> h = adds().invoke(5, "final-read", null, null, 500).info(5, "final-read", null, null, 510).build();
        assertEquals(Verdict.UNKNOWN, checker.check(h).verdict());
    }
}
