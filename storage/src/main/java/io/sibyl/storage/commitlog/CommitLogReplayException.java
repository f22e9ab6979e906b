package io.sibyl.storage.commitlog;

import java.nio.file.Path;

/** Replay met corruption that is not a torn tail; the node must not start on a silently shortened log. */
public final class CommitLogReplayException extends RuntimeException {

    private final Path file;
    private final long offset;

    public CommitLogReplayException(Path file, long offset, String reason, Throwable cause) {
        super("commit log corrupt in " + file + " at offset " + offset + ": " + reason
                + ". Restore the file, or set sibyl.storage.commitlog_replay_failure_policy = skip to start"
                + " without the damaged records", cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
