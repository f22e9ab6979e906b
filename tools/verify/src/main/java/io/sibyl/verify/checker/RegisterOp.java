package io.sibyl.verify.checker;

import java.util.List;
import java.util.Objects;

/**
 * One operation on a compare-and-set register, as the linearizability search sees it: {@code read}
 * returning {@code result}, {@code write} of {@code arg}, {@code cas} from {@code expected} to {@code arg}.
 * {@code end} is {@link Long#MAX_VALUE} for an operation of unknown outcome (it may take effect at any time
 * after {@code start}, or never). {@code null} is the register without a value.
 */
record RegisterOp(int id, long historyIndex, int process, String f, Long expected, Long arg, Long result,
                  long start, long end) {

    boolean unknownOutcome() {
        return end == Long.MAX_VALUE;
    }

    /** The state after this op from {@code state}, or {@code NOT_ALLOWED} when it cannot happen there. */
    Object step(Long state) {
        return switch (f) {
            case "read" -> Objects.equals(state, result) ? new Holder(state) : NOT_ALLOWED;
            case "write" -> new Holder(arg);
            case "cas" -> Objects.equals(state, expected) ? new Holder(arg) : NOT_ALLOWED;
            default -> throw new IllegalArgumentException("not a register op: " + f);
        };
    }

    record Holder(Long value) { }

    static final Object NOT_ALLOWED = new Object();

    RegisterOp withId(int newId) {
        return new RegisterOp(newId, historyIndex, process, f, expected, arg, result, start, end);
    }

    RegisterOp asUnknown() {
        return new RegisterOp(id, historyIndex, process, f, expected, arg, result, start, Long.MAX_VALUE);
    }

    String describe() {
        String what = switch (f) {
            case "read" -> "read -> " + result;
            case "write" -> "write " + arg;
            case "cas" -> "cas " + expected + " -> " + arg;
            default -> f;
        };
        String span = String.format("[%.3fs, %s]", start / 1e9, unknownOutcome() ? "info (unknown)" : String.format("%.3fs", end / 1e9));
        return String.format("process %-4d %-22s %-16s (history index %d)", process, span, what, historyIndex);
    }

    static List<RegisterOp> renumber(List<RegisterOp> ops) {
        List<RegisterOp> out = new java.util.ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            out.add(ops.get(i).withId(i));
        }
        return out;
    }
}
