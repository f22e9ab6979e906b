package io.sibyl.storage.read;

/**
 * How many live rows a read returns ({@code LIMIT}) and how many per partition
 * ({@code PER PARTITION LIMIT}). Counted while merging, on live rows only: tombstones do not count, and
 * a partition with only a live static row counts as one row when the whole partition is selected.
 */
public record DataLimits(int rows, int perPartitionRows) {

    public static final int NO_LIMIT = Integer.MAX_VALUE;
    public static final DataLimits NONE = new DataLimits(NO_LIMIT, NO_LIMIT);

    public DataLimits {
        if (rows <= 0 || perPartitionRows <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + rows + ", " + perPartitionRows);
        }
    }

    public static DataLimits rows(int rows) {
        return new DataLimits(rows, NO_LIMIT);
    }

    public static DataLimits perPartition(int perPartitionRows) {
        return new DataLimits(NO_LIMIT, perPartitionRows);
    }

    public boolean isUnlimited() {
        return rows == NO_LIMIT && perPartitionRows == NO_LIMIT;
    }
}
