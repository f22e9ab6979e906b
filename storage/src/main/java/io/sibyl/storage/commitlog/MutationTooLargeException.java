package io.sibyl.storage.commitlog;

/** A mutation larger than the commit log accepts (half a segment, as Cassandra's max_mutation_size). */
public final class MutationTooLargeException extends IllegalArgumentException {

    public MutationTooLargeException(long size, long max) {
        super("mutation of " + size + " bytes exceeds the maximum of " + max
                + " bytes (half of commitlog_segment_size)");
    }
}
