package io.sibyl.storage.commitlog;

import java.util.Locale;

/** What replay does with a corrupt record that is not a torn tail ({@code commitlog_replay_failure_policy}). */
public enum ReplayFailurePolicy {
    /** Refuse to start, naming the file and offset: the operator decides. */
    STOP,
    /** Log the damage, skip the record (or, if its length is unreadable, resume at the next valid record). */
    SKIP;

    public static ReplayFailurePolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("commitlog_replay_failure_policy must be stop or skip, not '" + s + "'");
        }
    }
}
