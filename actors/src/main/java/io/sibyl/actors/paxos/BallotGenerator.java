package io.sibyl.actors.paxos;

import io.sibyl.storage.types.TimeUUIDs;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Makes the ballots of one coordinator: timestamps strictly increasing (in microseconds, never below
 * the wall clock nor below a floor the caller learnt from a rejection), and a low half (clock
 * sequence and node) fixed per generator — derived from the node id plus randomness — so two
 * coordinators never make the same ballot.
 */
public final class BallotGenerator {

    private final long clockSeqAndNode;
    private final LongSupplier clockMicros;
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);

    /** @param nodeName this node's id: its hash seeds the node bits, randomness the rest */
    public BallotGenerator(String nodeName) {
        this(nodeName, () -> System.currentTimeMillis() * 1000);
    }

    BallotGenerator(String nodeName, LongSupplier clockMicros) {
        this.clockMicros = clockMicros;
        SecureRandom random = new SecureRandom();
        long node = ((long) nodeName.hashCode() << 16) ^ (random.nextLong() & 0xFFFF_FFFF_FFFFL);
        long clockSeq = random.nextInt(1 << 14);
        // variant 10 in the top two bits, then 14 bits of clock sequence, then 48 bits of node
        this.clockSeqAndNode = 0x8000_0000_0000_0000L | (clockSeq << 48) | (node & 0xFFFF_FFFF_FFFFL);
    }

    /** A new ballot, later than every ballot made here before and with micros at least {@code minMicros}. */
    public Ballot next(long minMicros) {
        long now = clockMicros.getAsLong();
        long micros = lastMicros.updateAndGet(last -> Math.max(Math.max(now, minMicros), last == Long.MIN_VALUE ? now : last + 1));
        return of(micros, clockSeqAndNode);
    }

    public Ballot next() {
        return next(Long.MIN_VALUE);
    }

    /** The ballot of a given time and low half. */
    public static Ballot of(long micros, long clockSeqAndNode) {
        UUID uuid = TimeUUIDs.of(micros * 10 + Ballot.UUID_EPOCH_OFFSET, clockSeqAndNode);
        return new Ballot(uuid);
    }
}
