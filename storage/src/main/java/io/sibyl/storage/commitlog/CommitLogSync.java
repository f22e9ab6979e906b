package io.sibyl.storage.commitlog;

import java.util.Locale;

/**
 * When a write is acknowledged relative to the fsync that makes it durable ({@code commitlog_sync}).
 */
public enum CommitLogSync {
    /**
     * Acknowledged after an fsync covering it; all writes that queue up while one fsync runs share the
     * next one, and {@code commitlog_sync_group_window} may space fsyncs further apart to group more.
     */
    GROUP,
    /** Acknowledged after an fsync covering it, fsyncing as soon as the previous one is done (no window). */
    BATCH,
    /**
     * Acknowledged once written to the file (so a process crash loses nothing, an OS crash may lose up to
     * {@code commitlog_sync_period}); fsynced every {@code commitlog_sync_period}.
     */
    PERIODIC;

    public static CommitLogSync parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("commitlog_sync must be group, batch or periodic, not '" + s + "'");
        }
    }
}
