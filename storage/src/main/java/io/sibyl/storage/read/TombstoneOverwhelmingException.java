package io.sibyl.storage.read;

/**
 * A read scanned more tombstones than {@code tombstone_failure_threshold} and was aborted (Cassandra's
 * TombstoneOverwhelmingException; the API answers READ_FAILURE).
 */
public final class TombstoneOverwhelmingException extends RuntimeException {

    private final long tombstones;
    private final long threshold;

    public TombstoneOverwhelmingException(long tombstones, long threshold, String where) {
        super("Scanned over " + threshold + " tombstones" + where + "; query aborted (tombstone_failure_threshold = "
                + threshold + ")");
        this.tombstones = tombstones;
        this.threshold = threshold;
    }

    public long tombstones() {
        return tombstones;
    }

    public long threshold() {
        return threshold;
    }
}
