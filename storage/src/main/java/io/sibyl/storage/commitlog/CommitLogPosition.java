package io.sibyl.storage.commitlog;

/**
 * A place in the commit log: a segment id and a byte offset in it. Segment ids only grow, across
 * restarts too, so positions order every record ever written on this node. A position recorded with
 * an SSTable ("everything of this table before here is in an SSTable") stays meaningful after the
 * segments it points into are deleted.
 */
public record CommitLogPosition(long segmentId, int offset) implements Comparable<CommitLogPosition> {

    /** Before every record. */
    public static final CommitLogPosition NONE = new CommitLogPosition(0, 0);

    @Override
    public int compareTo(CommitLogPosition o) {
        int c = Long.compare(segmentId, o.segmentId);
        return c != 0 ? c : Integer.compare(offset, o.offset);
    }

    public boolean isBefore(CommitLogPosition o) {
        return compareTo(o) < 0;
    }

    public static CommitLogPosition max(CommitLogPosition a, CommitLogPosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "(" + segmentId + ", " + offset + ")";
    }
}
