package io.sibyl.storage.compaction;

/** A compaction was stopped (node shutdown, table dropped); its inputs stay live and nothing is lost. */
public final class CompactionInterruptedException extends RuntimeException {
    public CompactionInterruptedException(String message) {
        super(message);
    }
}
