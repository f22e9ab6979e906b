package io.sibyl.storage.commitlog;

import java.time.Duration;

/**
 * The commit log's settings.
 *
 * @param sync          when writes are acknowledged ({@code commitlog_sync})
 * @param syncPeriod    fsync interval in periodic mode ({@code commitlog_sync_period})
 * @param groupWindow   least time between fsyncs in group mode ({@code commitlog_sync_group_window}); 0: none
 * @param segmentSize   bytes per segment file ({@code commitlog_segment_size}); a mutation may use at most half
 * @param replayFailure what to do with corrupt records on replay
 */
public record CommitLogConfig(CommitLogSync sync, Duration syncPeriod, Duration groupWindow, int segmentSize,
                              ReplayFailurePolicy replayFailure) {

    public static final CommitLogConfig DEFAULT = new CommitLogConfig(CommitLogSync.GROUP, Duration.ofSeconds(10),
            Duration.ZERO, 32 << 20, ReplayFailurePolicy.STOP);

    public CommitLogConfig {
        if (segmentSize < 4096) {
            throw new IllegalArgumentException("commitlog_segment_size must be at least 4 KiB: " + segmentSize);
        }
        if (syncPeriod.isNegative() || syncPeriod.isZero()) {
            throw new IllegalArgumentException("commitlog_sync_period must be positive");
        }
        if (groupWindow.isNegative()) {
            throw new IllegalArgumentException("commitlog_sync_group_window must not be negative");
        }
    }

    /** The largest serialized mutation accepted (Cassandra's max_mutation_size: half a segment). */
    public int maxMutationSize() {
        return segmentSize / 2;
    }

    public CommitLogConfig withSync(CommitLogSync s) {
        return new CommitLogConfig(s, syncPeriod, groupWindow, segmentSize, replayFailure);
    }

    public CommitLogConfig withSegmentSize(int bytes) {
        return new CommitLogConfig(sync, syncPeriod, groupWindow, bytes, replayFailure);
    }

    public CommitLogConfig withReplayFailure(ReplayFailurePolicy p) {
        return new CommitLogConfig(sync, syncPeriod, groupWindow, segmentSize, p);
    }
}
