package io.sibyl.actors.hints;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The undelivered hints of one target, in the order they were stored: the HintReplayer's state.
 * Mutable, because copying a backlog of thousands of hints per event would cost more than the
 * journal; only the replayer's event handler changes it, and snapshots take an immutable copy.
 */
final class HintQueue {

    private final ArrayDeque<PendingHint> hints = new ArrayDeque<>();
    private long nextId = 1;
    private long bytes;

    static HintQueue of(HintQueueSnapshot snapshot) {
        HintQueue q = new HintQueue();
        q.nextId = snapshot.nextId();
        for (PendingHint h : snapshot.hints()) {
            q.hints.addLast(h);
            q.bytes += h.mutation().length;
        }
        return q;
    }

    HintQueueSnapshot snapshot() {
        return new HintQueueSnapshot(nextId, hints.stream().toList());
    }

    HintQueue apply(HintEvent event) {
        if (event instanceof HintEvent.HintStored s) {
            PendingHint h = new PendingHint(nextId++, s.createdAtMillis(), s.ttlSeconds(), s.tableIds(), s.mutation());
            hints.addLast(h);
            bytes += h.mutation().length;
        } else if (event instanceof HintEvent.HintsDelivered d) {
            while (!hints.isEmpty() && hints.peekFirst().id() <= d.upToId()) {
                bytes -= hints.pollFirst().mutation().length;
            }
        }
        return this;
    }

    /** The first hint with an id above {@code afterId}, or null. */
    PendingHint firstAfter(long afterId) {
        Iterator<PendingHint> it = hints.iterator();
        while (it.hasNext()) {
            PendingHint h = it.next();
            if (h.id() > afterId) {
                return h;
            }
        }
        return null;
    }

    /** The id of the newest hint ever stored (0 before the first). */
    long lastId() {
        return nextId - 1;
    }

    PendingHint oldest() {
        return hints.peekFirst();
    }

    int size() {
        return hints.size();
    }

    boolean isEmpty() {
        return hints.isEmpty();
    }

    long bytes() {
        return bytes;
    }
}
