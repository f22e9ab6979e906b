package io.sibyl.verify.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Histories built from a known linearization (each op takes effect at a chosen instant inside its interval,
 * applied to a real register) must be accepted, including info ops that took effect and ones that did not;
 * the same history with one read changed to a value never written must be rejected.
 */
class LinearizabilityRandomHistoryTest {

    private record Planned(int process, String f, Object arg, long start, long lin, long end, boolean info, boolean effective) { }

    @Test
    void historiesWithAKnownLinearizationAreValidAndACorruptedReadIsNot() {
        LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(20));
        for (long seed = 1; seed <= 40; seed++) {
            Random rnd = new Random(seed);
            List<Op> history = generate(rnd, 5, 25);
            CheckResult ok = checker.check(history);
            assertEquals(Verdict.VALID, ok.verdict(), "seed " + seed + ": " + ok.counterExample());

            List<Op> corrupted = new ArrayList<>(history);
            for (int i = 0; i < corrupted.size(); i++) {
                Op op = corrupted.get(i);
                if (op.isOk() && op.f().equals("read")) {
                    corrupted.set(i, new Op(op.index(), op.process(), op.type(), op.f(), op.key(), 999L, op.time(), null));
                    break;
                }
            }
            assertEquals(Verdict.INVALID, checker.check(corrupted).verdict(), "seed " + seed);
        }
    }

    private static List<Op> generate(Random rnd, int processes, int opsPerProcess) {
        List<Planned> planned = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            long t = rnd.nextInt(5);
            for (int i = 0; i < opsPerProcess; i++) {
                long start = t;
                long lin = start + 1 + rnd.nextInt(10);
                long end = lin + 1 + rnd.nextInt(10);
                int kind = rnd.nextInt(3);
                String f = kind == 0 ? "read" : kind == 1 ? "write" : "cas";
                Object arg = switch (f) {
                    case "write" -> (long) rnd.nextInt(4);
                    case "cas" -> Arrays.asList((long) rnd.nextInt(4), (long) rnd.nextInt(4));
                    default -> null;
                };
                boolean info = !f.equals("read") && rnd.nextInt(8) == 0;
                boolean effective = !info || rnd.nextBoolean();
                planned.add(new Planned(p, f, arg, start, lin, end, info, effective));
                t = end + 1 + rnd.nextInt(3);
            }
        }
        // Apply in linearization order (ties by process) to a real register.
        planned.sort(Comparator.comparingLong(Planned::lin).thenComparingInt(Planned::process));
        Long state = null;
        List<long[]> events = new ArrayList<>();   // time, order, index into ops list
        List<Op> evs = new ArrayList<>();
        for (Planned pl : planned) {
            Op.Type type;
            Object result = null;
            switch (pl.f()) {
                case "read" -> {
                    type = Op.Type.OK;
                    result = state;
                }
                case "write" -> {
                    if (pl.effective()) {
                        state = (Long) pl.arg();
                    }
                    type = Op.Type.OK;
                    result = pl.arg();
                }
                default -> {
                    List<?> c = (List<?>) pl.arg();
                    boolean applies = Objects.equals(state, c.get(0));
                    if (applies && pl.effective()) {
                        state = (Long) c.get(1);
                    }
                    type = applies || pl.info() ? Op.Type.OK : Op.Type.FAIL;
                    result = pl.arg();
                }
            }
            if (pl.info()) {
                type = Op.Type.INFO;
                result = null;
            }
            evs.add(Op.invoke(pl.process(), pl.f(), "k", pl.arg(), pl.start()));
            events.add(new long[] {pl.start(), 0, evs.size() - 1});
            evs.add(new Op(-1, pl.process(), type, pl.f(), "k", result, pl.end(), null));
            events.add(new long[] {pl.end(), 1, evs.size() - 1});
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        List<Op> ordered = new ArrayList<>();
        for (long[] e : events) {
            ordered.add(evs.get((int) e[2]));
        }
        return History.of(ordered).ops();
    }
}
