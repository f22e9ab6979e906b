package io.sibyl.storage.commitlog;

/** A mutation larger than the commit log accepts (half a segment, as Cassandra's max_mutation_size). */
public final class MutationTooLargeException extends IllegalArgumentException {

    private final long size;
    private final long max;

    public MutationTooLargeException(long size, long max) {
        super("mutation of " + size + " bytes exceeds the maximum of " + max
                + " bytes (half of commitlog_segment_size)");
        this.size = size;
        this.max = max;
    }

    /** The serialized size of the rejected mutation. */
    public long size() {
        return size;
    }

    /** The largest mutation the commit log accepts. */
    public long max() {
        return max;
    }
}
