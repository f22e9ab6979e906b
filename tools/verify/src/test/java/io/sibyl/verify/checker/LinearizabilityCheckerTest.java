package io.sibyl.verify.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.verify.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
    private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(10));

    @Test
    void sequentialWritesCasAndReadsAreLinearizable() {
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 1L, 0).ok(0, "write", "k", 1L, 1)
                .invoke(0, "cas", "k", List.of(1L, 2L), 2).ok(0, "cas", "k", List.of(1L, 2L), 3)
                .invoke(1, "read", "k", null, 4).ok(1, "read", "k", 2L, 5)
                .build();
        CheckResult r = checker.check(h);
        assertEquals(Verdict.VALID, r.verdict());
        assertNull(r.counterExample());
    }

    @Test
    void staleReadIsCaught() {
        // write 1, then write 2 completes, then a read that starts afterwards sees 1.
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 1L, 0).ok(0, "write", "k", 1L, 1)
                .invoke(0, "write", "k", 2L, 2).ok(0, "write", "k", 2L, 3)
                .invoke(1, "read", "k", null, 4).ok(1, "read", "k", 1L, 5)
                .build();
        CheckResult r = checker.check(h);
        assertEquals(Verdict.INVALID, r.verdict());
        assertNotNull(r.counterExample());
        assertTrue(r.counterExample().contains("read -> 1"), r.counterExample());
    }

    @Test
    void concurrentReadMaySeeEitherValue() {
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 1L, 0).ok(0, "write", "k", 1L, 1)
                .invoke(0, "write", "k", 2L, 2)
                .invoke(1, "read", "k", null, 3).ok(1, "read", "k", 1L, 4)
                .ok(0, "write", "k", 2L, 5)
                .build();
        assertEquals(Verdict.VALID, checker.check(h).verdict());
    }

    @Test
    void lostUpdateIsCaught() {
        // Two CAS from 0 both succeed sequentially-overlapping: 0->1 and then 1->2 acknowledged, yet a later read sees 1.
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 0L, 0).ok(0, "write", "k", 0L, 1)
                .invoke(0, "cas", "k", List.of(0L, 1L), 2).ok(0, "cas", "k", List.of(0L, 1L), 3)
                .invoke(1, "cas", "k", List.of(1L, 2L), 4).ok(1, "cas", "k", List.of(1L, 2L), 5)
                .invoke(2, "read", "k", null, 6).ok(2, "read", "k", 1L, 7)
                .build();
        assertEquals(Verdict.INVALID, checker.check(h).verdict());
    }

    @Test
    void duplicateSuccessfulCasIsCaught() {
        // Two concurrent CAS 0->1 and 0->2 both claim success: one must have seen the other's value.
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 0L, 0).ok(0, "write", "k", 0L, 1)
                .invoke(1, "cas", "k", List.of(0L, 1L), 2)
                .invoke(2, "cas", "k", List.of(0L, 2L), 2)
                .ok(1, "cas", "k", List.of(0L, 1L), 4)
                .ok(2, "cas", "k", List.of(0L, 2L), 4)
                .build();
        CheckResult r = checker.check(h);
        assertEquals(Verdict.INVALID, r.verdict());
        assertTrue(r.counterExample().contains("cas 0 -> 1") && r.counterExample().contains("cas 0 -> 2"), r.counterExample());
    }

    @Test
    void infoWriteMayTakeEffectLater() {
        // write 5 timed out; much later a read sees 5: the write took effect after its client gave up.
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 1L, 0).ok(0, "write", "k", 1L, 1)
                .invoke(1, "write", "k", 5L, 2).info(1, "write", "k", null, 10)
                .invoke(2, "read", "k", null, 20).ok(2, "read", "k", 1L, 21)
                .invoke(2, "read", "k", null, 30).ok(2, "read", "k", 5L, 31)
                .build();
        assertEquals(Verdict.VALID, checker.check(h).verdict());
    }

    @Test
    void infoWriteMayNeverTakeEffect() {
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 1L, 0).ok(0, "write", "k", 1L, 1)
                .invoke(1, "cas", "k", List.of(1L, 7L), 2).info(1, "cas", "k", null, 10)
                .invoke(2, "read", "k", null, 20).ok(2, "read", "k", 1L, 21)
                .build();
        assertEquals(Verdict.VALID, checker.check(h).verdict());
    }

    @Test
    void infoWriteCannotTakeEffectBeforeItsInvocation() {
        // A read sees 5 before anyone asked to write 5: no info op can explain that.
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 1L, 0).ok(0, "write", "k", 1L, 1)
                .invoke(2, "read", "k", null, 2).ok(2, "read", "k", 5L, 3)
                .invoke(1, "write", "k", 5L, 4).info(1, "write", "k", null, 10)
                .build();
        assertEquals(Verdict.INVALID, checker.check(h).verdict());
    }

    @Test
    void infoCasTakingEffectTwiceIsCaught() {
        // An info cas 0->1 may explain one transition to 1, not a value flipping back after a later write.
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "k", 0L, 0).ok(0, "write", "k", 0L, 1)
                .invoke(1, "cas", "k", List.of(0L, 1L), 2).info(1, "cas", "k", null, 3)
                .invoke(2, "read", "k", null, 4).ok(2, "read", "k", 1L, 5)
                .invoke(0, "write", "k", 0L, 6).ok(0, "write", "k", 0L, 7)
                .invoke(2, "read", "k", null, 8).ok(2, "read", "k", 1L, 9)
                .build();
        assertEquals(Verdict.INVALID, checker.check(h).verdict());
    }

    @Test
    void failedOpsHaveNoEffectAndKeysAreIndependent() {
        List<Op> h = new HistoryBuilder()
                .invoke(0, "write", "a", 1L, 0).ok(0, "write", "a", 1L, 1)
                .invoke(1, "write", "b", 9L, 0).ok(1, "write", "b", 9L, 1)
                .invoke(0, "cas", "a", List.of(3L, 4L), 2).fail(0, "cas", "a", null, 3)
                .invoke(0, "read", "a", null, 4).ok(0, "read", "a", 1L, 5)
                .invoke(1, "read", "b", null, 4).ok(1, "read", "b", 9L, 5)
                .build();
        assertEquals(Verdict.VALID, checker.check(h).verdict());
        List<Op> bad = new HistoryBuilder()
                .invoke(0, "write", "a", 1L, 0).ok(0, "write", "a", 1L, 1)
                .invoke(0, "read", "b", null, 4).ok(0, "read", "b", 1L, 5)
                .build();
        CheckResult r = checker.check(bad);
        assertEquals(Verdict.INVALID, r.verdict());
        assertEquals(List.of("b"), r.figures().get("invalid_keys"));
    }

    @Test
    void counterExampleIsCutToTheViolationAndDropsUnneededReads() {
        HistoryBuilder b = new HistoryBuilder().invoke(0, "write", "k", 0L, 0).ok(0, "write", "k", 0L, 1);
        long t = 2;
        for (int i = 0; i < 30; i++) {   // many harmless reads
            b.invoke(1, "read", "k", null, t).ok(1, "read", "k", 0L, t + 1);
            t += 2;
        }
        b.invoke(0, "write", "k", 3L, t).ok(0, "write", "k", 3L, t + 1);
        b.invoke(1, "read", "k", null, t + 2).ok(1, "read", "k", 0L, t + 3);   // stale
        for (int i = 0; i < 30; i++) {   // history goes on after the violation
            t += 10;
            b.invoke(0, "write", "k", (long) i, t).ok(0, "write", "k", (long) i, t + 1);
        }
        CheckResult r = checker.check(b.build());
        assertEquals(Verdict.INVALID, r.verdict());
        long lines = r.counterExample().lines().filter(l -> l.startsWith("  process")).count();
        assertEquals(3, lines, r.counterExample());   // write 0, write 3, the stale read
    }

    @Test
    void aTinyBudgetOnAHardHistoryAnswersUnknownNotValid() {
        // Many concurrent info writes and reads: the search space explodes; a 1 ms budget cannot finish.
        Random rnd = new Random(7);
        HistoryBuilder b = new HistoryBuilder();
        List<Op> ops = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            b.invoke(p, "write", "k", (long) p, p).info(p, "write", "k", null, 1000 + p);
        }
        for (int p = 40; p < 60; p++) {
            b.invoke(p, "read", "k", null, 2000 + p).ok(p, "read", "k", (long) rnd.nextInt(40), 2000 + p);
        }
        b.invoke(99, "read", "k", null, 5000).ok(99, "read", "k", 1234L, 5001);   // impossible: forces the full search
        CheckResult r = new LinearizabilityChecker(Duration.ofMillis(1)).check(b.build());
        assertTrue(r.verdict() != Verdict.VALID, r.verdict().toString());
    }
}
