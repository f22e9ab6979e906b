package io.sibyl.actors.mailbox;

import java.util.concurrent.atomic.LongAdder;

/**
 * The message counters of one actor kind, shared by every actor of the kind (in one actor system).
 * Pending is derived (enqueued - completed - dropped): the sums are read without a lock, so a snapshot
 * taken while messages flow may be off by the messages in flight, never negative.
 */
public final class KindCounters {
    private final String kind;
    private final LongAdder enqueued = new LongAdder();
    private final LongAdder dequeued = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder actors = new LongAdder();

    KindCounters(String kind) {
        this.kind = kind;
    }

    void enqueued() {
        enqueued.increment();
    }

    void dequeued() {
        dequeued.increment();
    }

    void dropped() {
        dropped.increment();
    }

    void actorStarted() {
        actors.increment();
    }

    void actorStopped() {
        actors.decrement();
    }

    /** The counters now. */
    public ActorKindStats snapshot() {
        // read the outflow first: a message enqueued and dequeued between the reads then counts as pending, not -1
        long completed = dequeued.sum();
        long lost = dropped.sum();
        long in = enqueued.sum();
        return new ActorKindStats(kind, Math.max(0, actors.sum()), Math.max(0, in - completed - lost), completed, lost);
    }
}
