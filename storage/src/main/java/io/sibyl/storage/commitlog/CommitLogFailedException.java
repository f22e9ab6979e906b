package io.sibyl.storage.commitlog;

/**
 * A write could not be made durable: the commit log failed to write or fsync (disk full, I/O error) and
 * now refuses all writes (Cassandra's commit_failure_policy = stop), or it is closed.
 */
public final class CommitLogFailedException extends RuntimeException {

    public CommitLogFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
