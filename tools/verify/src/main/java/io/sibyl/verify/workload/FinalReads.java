package io.sibyl.verify.workload;

import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import java.util.List;
import java.util.function.BiFunction;

/** A final read, retried on each node in turn for up to a minute (nodes may still be catching up after the faults). */
final class FinalReads {
    private FinalReads() {
    }

    static void untilOk(History history, int process, String f, String key, List<String> nodes,
                        BiFunction<String, Op, Op> read) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            Op inv = history.append(Op.invoke(process, f, key, null, history.now()));
            Op done = read.apply(nodes.get(attempt % nodes.size()), inv);
            history.append(new Op(-1, done.process(), done.type(), done.f(), done.key(), done.value(), history.now(), done.error()));
            if (done.isOk() || System.nanoTime() > deadline) {
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
