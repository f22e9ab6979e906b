package io.sibyl.storage.data;

/**
 * When something was deleted: {@code markedForDeleteAt} is the write timestamp (µs) of the deletion
 * and shadows all data written at or before it; {@code localDeletionTime} is the server second at
 * which the deletion happened, used only to decide when the tombstone may be purged (gc_grace).
 */
public record DeletionTime(long markedForDeleteAt, int localDeletionTime) implements Comparable<DeletionTime> {

    /** No deletion: shadows nothing. */
    public static final DeletionTime LIVE = new DeletionTime(Long.MIN_VALUE, Integer.MAX_VALUE);

    public boolean isLive() {
        return markedForDeleteAt == Long.MIN_VALUE && localDeletionTime == Integer.MAX_VALUE;
    }

    /** True if data written at {@code timestamp} is deleted by this. */
    public boolean deletes(long timestamp) {
        return timestamp <= markedForDeleteAt;
    }

    /** Cassandra's DeletionTime.supersedes: the later deletion wins; ties by local deletion time. */
    public boolean supersedes(DeletionTime other) {
        return markedForDeleteAt > other.markedForDeleteAt
                || (markedForDeleteAt == other.markedForDeleteAt && localDeletionTime > other.localDeletionTime);
    }

    @Override
    public int compareTo(DeletionTime o) {
        int c = Long.compare(markedForDeleteAt, o.markedForDeleteAt);
        return c != 0 ? c : Integer.compare(localDeletionTime, o.localDeletionTime);
    }

    public static DeletionTime max(DeletionTime a, DeletionTime b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return isLive() ? "LIVE" : "deletedAt=" + markedForDeleteAt + ",localDeletion=" + localDeletionTime;
    }
}
