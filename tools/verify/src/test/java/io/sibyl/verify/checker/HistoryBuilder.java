package io.sibyl.verify.checker;

import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import java.util.ArrayList;
import java.util.List;

/** Hand-made histories for checker tests: times are in milliseconds, events appended in the order written. */
final class HistoryBuilder {
    private final List<Op> ops = new ArrayList<>();

    HistoryBuilder invoke(int process, String f, String key, Object value, long ms) {
        ops.add(Op.invoke(process, f, key, value, ms * 1_000_000));
        return this;
    }

    HistoryBuilder ok(int process, String f, String key, Object value, long ms) {
        return complete(process, Op.Type.OK, f, key, value, ms);
    }

    HistoryBuilder fail(int process, String f, String key, Object value, long ms) {
        return complete(process, Op.Type.FAIL, f, key, value, ms);
    }

    HistoryBuilder info(int process, String f, String key, Object value, long ms) {
        return complete(process, Op.Type.INFO, f, key, value, ms);
    }

    private HistoryBuilder complete(int process, Op.Type type, String f, String key, Object value, long ms) {
        ops.add(new Op(-1, process, type, f, key, value, ms * 1_000_000, null));
        return this;
    }

    List<Op> build() {
        return History.of(ops).ops();
    }
}
