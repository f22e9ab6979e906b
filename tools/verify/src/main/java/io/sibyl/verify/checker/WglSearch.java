package io.sibyl.verify.checker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Wing–Gong–Lowe linearizability search with Lowe's memoization, as Porcupine implements it: the
 * history is a doubly linked list of call and return entries in time order; the search repeatedly tries to
 * linearize a pending call (lifting it and its return out of the list), backtracks when it meets a return
 * whose call was not linearized, and never revisits a (set of linearized ops, register state) pair it has
 * seen. An op of unknown outcome returns at +infinity; reaching such a return means every op that did
 * complete is linearized and the remaining unknown ones may simply never have taken effect.
 */
final class WglSearch {

    enum Outcome { LINEARIZABLE, NOT_LINEARIZABLE, TIMED_OUT }

    private static final class Entry {
        final RegisterOp op;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(RegisterOp op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }
    }

    private record CacheKey(BitSet linearized, Long state) { }

    private record Frame(Entry entry, Long stateBefore) { }

    private WglSearch() {
    }

    /** Ops must be numbered 0..n-1 by {@link RegisterOp#id()}; {@code deadlineNanos} is on System.nanoTime(). */
    static Outcome check(List<RegisterOp> ops, Long initial, long deadlineNanos) {
        Entry head = buildList(ops);
        Long state = initial;
        BitSet linearized = new BitSet(ops.size());
        Set<CacheKey> cache = new HashSet<>();
        Deque<Frame> calls = new ArrayDeque<>();
        Entry entry = head.next;
        long steps = 0;
        while (head.next != null) {
            if ((++steps & 0x3FF) == 0 && System.nanoTime() > deadlineNanos) {
                return Outcome.TIMED_OUT;
            }
            if (entry.call) {
                Object next = entry.op.step(state);
                if (next != RegisterOp.NOT_ALLOWED) {
                    Long newState = ((RegisterOp.Holder) next).value();
                    BitSet withOp = (BitSet) linearized.clone();
                    withOp.set(entry.op.id());
                    if (cache.add(new CacheKey(withOp, newState))) {
                        calls.push(new Frame(entry, state));
                        state = newState;
                        linearized.set(entry.op.id());
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                if (entry.op.unknownOutcome()) {
                    return Outcome.LINEARIZABLE;   // only unknown-outcome ops remain; they need not take effect
                }
                if (calls.isEmpty()) {
                    return Outcome.NOT_LINEARIZABLE;
                }
                Frame top = calls.pop();
                state = top.stateBefore();
                linearized.clear(top.entry().op.id());
                unlift(top.entry());
                entry = top.entry().next;
            }
        }
        return Outcome.LINEARIZABLE;
    }

    private static Entry buildList(List<RegisterOp> ops) {
        List<Entry> entries = new ArrayList<>(ops.size() * 2);
        for (RegisterOp op : ops) {
            Entry call = new Entry(op, true, op.start());
            Entry ret = new Entry(op, false, op.end());
            call.match = ret;
            entries.add(call);
            entries.add(ret);
        }
        // Calls before returns at equal times: such ops count as concurrent (the lenient reading).
        entries.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Boolean.compare(!a.call, !b.call));
        Entry head = new Entry(null, false, Long.MIN_VALUE);
        Entry last = head;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }
        return head;
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }
}
