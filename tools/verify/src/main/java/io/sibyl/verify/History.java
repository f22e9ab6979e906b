package io.sibyl.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An append-only, thread-safe history of {@link Op}s in the order they happened, each given its index.
 * Written as JSON lines (one op per line, Jepsen's history format in spirit).
 */
public final class History {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Op> ops = new ArrayList<>();
    private final long origin;

    public History() {
        this(System.nanoTime());
    }

    public History(long originNanos) {
        this.origin = originNanos;
    }

    /** A history built by hand (tests): the ops in order, indexes assigned. */
    public static History of(List<Op> ops) {
        History h = new History(0);
        ops.forEach(h::append);
        return h;
    }

    /** Nanoseconds since this history's origin: the clock every op's time is on. */
    public long now() {
        return System.nanoTime() - origin;
    }

    public synchronized Op append(Op op) {
        Op indexed = op.withIndex(ops.size());
        ops.add(indexed);
        return indexed;
    }

    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    public void writeJsonLines(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Op op : ops()) {
                w.write(JSON.writeValueAsString(op));
                w.newLine();
            }
        }
    }

    /** Reads a history written by {@link #writeJsonLines} (numbers come back as Integer or Long: checkers take any Number). */
    public static List<Op> readJsonLines(Path file) throws IOException {
        List<Op> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readValue(line, Op.class));
            }
        }
        return out;
    }

    /** Every completed operation with its invocation: the pairs checkers work on. */
    public record Pair(Op invoke, Op completion) {
        public long start() { return invoke.time(); }
        public long end() { return completion.time(); }
    }

    /**
     * Pairs each invocation with its process's next completion. An invocation without one (the run ended
     * while it was in flight) is paired with a synthetic {@code INFO} at {@code Long.MAX_VALUE}.
     */
    public static List<Pair> pairs(List<Op> ops) {
        Map<Integer, Op> open = new HashMap<>();
        List<Pair> out = new ArrayList<>();
        Map<Op, Integer> slot = new HashMap<>();
        for (Op op : ops) {
            if (op.isInvoke()) {
                Op prev = open.put(op.process(), op);
                if (prev != null) {
                    throw new IllegalArgumentException("process " + op.process() + " invoked " + op + " while " + prev + " was in flight");
                }
                slot.put(op, out.size());
                out.add(null);
            } else {
                Op inv = open.remove(op.process());
                if (inv == null) {
                    throw new IllegalArgumentException("completion without invocation: " + op);
                }
                out.set(slot.get(inv), new Pair(inv, op));
            }
        }
        for (Op inv : open.values()) {
            out.set(slot.get(inv), new Pair(inv, inv.complete(Op.Type.INFO, null, Long.MAX_VALUE, "never completed")));
        }
        return out;
    }
}
