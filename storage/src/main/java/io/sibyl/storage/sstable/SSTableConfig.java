package io.sibyl.storage.sstable;

/**
 * How SSTables are written.
 *
 * @param chunkSize         uncompressed bytes per LZ4 chunk ({@code sstable_chunk_size}, 64 KiB)
 * @param rowIndexBlockSize bytes of rows per row index block in a wide partition ({@code column_index_size}, 16 KiB);
 *                          partitions smaller than one block get no row index
 * @param bloomFpChance     target false-positive chance of the bloom filter ({@code bloom_filter_fp_chance}, 0.01)
 * @param summaryInterval   one summary entry per this many index entries ({@code index_summary_interval}, 128)
 * @param trickleFsyncBytes fsync each file being written every this many bytes ({@code trickle_fsync} and
 *                          {@code trickle_fsync_interval}, 10 MiB); 0: only when it is complete
 */
public record SSTableConfig(int chunkSize, int rowIndexBlockSize, double bloomFpChance, int summaryInterval,
                            long trickleFsyncBytes) {

    public static final SSTableConfig DEFAULT = new SSTableConfig(64 << 10, 16 << 10, 0.01, 128, 10L << 20);

    /** Without trickle fsync. */
    public SSTableConfig(int chunkSize, int rowIndexBlockSize, double bloomFpChance, int summaryInterval) {
        this(chunkSize, rowIndexBlockSize, bloomFpChance, summaryInterval, 0);
    }

    public SSTableConfig {
        if (trickleFsyncBytes < 0) {
            throw new IllegalArgumentException("trickle_fsync_interval must not be negative: " + trickleFsyncBytes);
        }
        if (chunkSize < 256 || chunkSize > (16 << 20)) {
            throw new IllegalArgumentException("sstable_chunk_size must be between 256 bytes and 16 MiB: " + chunkSize);
        }
        if (rowIndexBlockSize < 64) {
            throw new IllegalArgumentException("column_index_size must be at least 64 bytes: " + rowIndexBlockSize);
        }
        if (!(bloomFpChance > 0 && bloomFpChance < 1)) {
            throw new IllegalArgumentException("bloom_filter_fp_chance must be in (0, 1): " + bloomFpChance);
        }
        if (summaryInterval < 1) {
            throw new IllegalArgumentException("index_summary_interval must be positive: " + summaryInterval);
        }
    }
}
