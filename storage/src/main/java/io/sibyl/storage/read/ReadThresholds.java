package io.sibyl.storage.read;

/**
 * Tombstone limits of one read ({@code tombstone_warn_threshold}, {@code tombstone_failure_threshold}):
 * past the first the result carries a warning, past the second the read fails with
 * {@link TombstoneOverwhelmingException} as soon as it is crossed (so it stops scanning).
 */
public record ReadThresholds(long tombstoneWarn, long tombstoneFailure) {

    public static final ReadThresholds NONE = new ReadThresholds(Long.MAX_VALUE, Long.MAX_VALUE);
    public static final ReadThresholds DEFAULT = new ReadThresholds(1000, 100_000);

    public ReadThresholds {
        if (tombstoneWarn < 0 || tombstoneFailure < 0) {
            throw new IllegalArgumentException("tombstone thresholds must not be negative");
        }
    }
}
