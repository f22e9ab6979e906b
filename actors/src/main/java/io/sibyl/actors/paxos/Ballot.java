package io.sibyl.actors.paxos;

import java.util.Objects;
import java.util.UUID;

/**
 * A Paxos ballot: a version-1 (time-based) UUID, as Cassandra's. Its timestamp in microseconds is
 * also the write timestamp of the update it commits, so later ballots write later data.
 *
 * <p>Order: by timestamp, then by the low half (clock sequence and node) as an unsigned number. The
 * tie-break makes the order total, so two coordinators that pick the same microsecond still have
 * distinct, comparable ballots (Cassandra compares timestamps only and treats a tie as "not after").
 */
public record Ballot(UUID uuid) implements Comparable<Ballot> {

    /** 100 ns intervals between 1582-10-15 (the UUID epoch) and 1970-01-01. */
    static final long UUID_EPOCH_OFFSET = 0x01b21dd213814000L;

    public Ballot {
        Objects.requireNonNull(uuid, "uuid");
        if (uuid.version() != 1) {
            throw new IllegalArgumentException("a ballot is a version-1 UUID, not " + uuid);
        }
    }

    /** The ballot's time in microseconds since the Unix epoch: the timestamp of the data it commits. */
    public long micros() {
        return Math.floorDiv(uuid.timestamp() - UUID_EPOCH_OFFSET, 10);
    }

    /** Whether this ballot is strictly later than {@code other} (always true when other is null). */
    public boolean isAfter(Ballot other) {
        return other == null || compareTo(other) > 0;
    }

    @Override
    public int compareTo(Ballot o) {
        int c = Long.compare(uuid.timestamp(), o.uuid.timestamp());
        return c != 0 ? c : Long.compareUnsigned(uuid.getLeastSignificantBits(), o.uuid.getLeastSignificantBits());
    }

    /** The later of two ballots, either of which may be null. */
    public static Ballot max(Ballot a, Ballot b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "Ballot(" + uuid + " @" + micros() + ")";
    }
}
