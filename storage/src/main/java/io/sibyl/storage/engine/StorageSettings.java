package io.sibyl.storage.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.sibyl.storage.commitlog.CommitLogConfig;
import io.sibyl.storage.commitlog.CommitLogSync;
import io.sibyl.storage.commitlog.ReplayFailurePolicy;
import io.sibyl.storage.read.ReadThresholds;
import io.sibyl.storage.sstable.SSTableConfig;

import java.time.Duration;

/**
 * The storage engine's settings, read from {@code sibyl.storage} (defaults in the storage module's
 * reference.conf; names as Cassandra's).
 *
 * @param memtableHeapSpace          {@code memtable_heap_space}: memory for all memtables
 * @param memtableCleanupThreshold   {@code memtable_cleanup_threshold}: flush the largest memtable once the
 *                                   unflushed ones together pass this fraction of the space
 * @param memtableFlushCheckInterval {@code memtable_flush_check_interval}: how often sizes are checked
 * @param memtableFlushWriters       {@code memtable_flush_writers}: memtable flushes that may write at once
 *                                   (of one table or of several)
 * @param autoSnapshot               {@code auto_snapshot}: snapshot a table before TRUNCATE and DROP
 * @param keyCacheSize               {@code key_cache_size}: estimated heap bytes of the node's key cache
 *                                   ("auto": Cassandra's min(5% of the heap, 100 MiB); 0 disables it)
 * @param fileCacheSize              {@code file_cache_size}: heap bytes of decompressed chunks kept for point reads
 *                                   (the chunk cache; 0 disables it)
 */
public record StorageSettings(CommitLogConfig commitLog, SSTableConfig sstable, long memtableHeapSpace,
                              double memtableCleanupThreshold, Duration memtableFlushCheckInterval,
                              int memtableFlushWriters, ReadThresholds readThresholds, boolean autoSnapshot,
                              long keyCacheSize, long fileCacheSize) {

    public StorageSettings {
        if (memtableHeapSpace <= 0) {
            throw new IllegalArgumentException("memtable_heap_space must be positive");
        }
        if (!(memtableCleanupThreshold > 0 && memtableCleanupThreshold <= 1)) {
            throw new IllegalArgumentException("memtable_cleanup_threshold must be in (0, 1]: " + memtableCleanupThreshold);
        }
        if (memtableFlushWriters < 1) {
            throw new IllegalArgumentException("memtable_flush_writers must be at least 1: " + memtableFlushWriters);
        }
        if (keyCacheSize < 0) {
            throw new IllegalArgumentException("key_cache_size must not be negative: " + keyCacheSize);
        }
        if (fileCacheSize < 0) {
            throw new IllegalArgumentException("file_cache_size must not be negative: " + fileCacheSize);
        }
    }

    /** The defaults of reference.conf. */
    public static StorageSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference());
    }

    /** Reads {@code sibyl.storage.*} from a full configuration (reference.conf supplies what is missing). */
    public static StorageSettings fromConfig(Config root) {
        Config c = root.withFallback(ConfigFactory.defaultReference()).getConfig("sibyl.storage");
        long segment = c.getMemorySize("commitlog_segment_size").toBytes();
        if (segment > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("commitlog_segment_size must be below 2 GiB");
        }
        CommitLogConfig log = new CommitLogConfig(CommitLogSync.parse(c.getString("commitlog_sync")),
                c.getDuration("commitlog_sync_period"), c.getDuration("commitlog_sync_group_window"), (int) segment,
                ReplayFailurePolicy.parse(c.getString("commitlog_replay_failure_policy")));
        SSTableConfig sst = new SSTableConfig((int) c.getMemorySize("sstable_chunk_size").toBytes(),
                (int) c.getMemorySize("column_index_size").toBytes(), c.getDouble("bloom_filter_fp_chance"),
                c.getInt("index_summary_interval"),
                c.getBoolean("trickle_fsync") ? c.getMemorySize("trickle_fsync_interval").toBytes() : 0);
        return new StorageSettings(log, sst, c.getMemorySize("memtable_heap_space").toBytes(),
                c.getDouble("memtable_cleanup_threshold"), c.getDuration("memtable_flush_check_interval"),
                c.getInt("memtable_flush_writers"), new ReadThresholds(c.getLong("tombstone_warn_threshold"), c.getLong("tombstone_failure_threshold")),
                c.getBoolean("auto_snapshot"), keyCacheSize(c),
                fileCacheSize(c));
    }

    private static final long KEY_CACHE_AUTO_MAX = 100L << 20;

    /** {@code key_cache_size}: a size, or "auto" for min(5% of the heap, 100 MiB) as Cassandra's default. */
    private static long keyCacheSize(Config c) {
        if (c.getValue("key_cache_size").unwrapped() instanceof String s && s.trim().equals("auto")) {
            return Math.min(Runtime.getRuntime().maxMemory() / 20, KEY_CACHE_AUTO_MAX);
        }
        return c.getMemorySize("key_cache_size").toBytes();
    }

    private static final long FILE_CACHE_AUTO_MAX = 512L << 20;

    /**
     * {@code file_cache_size}: a size, or "auto" for min(10% of the heap, 512 MiB) (Cassandra's default is
     * min(1/4 of the heap, 512 MiB), off-heap; this cache is on the heap, next to the memtables).
     */
    private static long fileCacheSize(Config c) {
        if (c.getValue("file_cache_size").unwrapped() instanceof String s && s.trim().equals("auto")) {
            return Math.min(Runtime.getRuntime().maxMemory() / 10, FILE_CACHE_AUTO_MAX);
        }
        return c.getMemorySize("file_cache_size").toBytes();
    }

    /** Unflushed memtable bytes (all tables) above which the largest memtable is flushed. */
    public long memtableCleanupBytes() {
        return (long) (memtableHeapSpace * memtableCleanupThreshold);
    }

    public StorageSettings withCommitLog(CommitLogConfig c) {
        return new StorageSettings(c, sstable, memtableHeapSpace, memtableCleanupThreshold, memtableFlushCheckInterval,
                memtableFlushWriters, readThresholds, autoSnapshot, keyCacheSize, fileCacheSize);
    }

    public StorageSettings withSSTable(SSTableConfig s) {
        return new StorageSettings(commitLog, s, memtableHeapSpace, memtableCleanupThreshold, memtableFlushCheckInterval,
                memtableFlushWriters, readThresholds, autoSnapshot, keyCacheSize, fileCacheSize);
    }

    public StorageSettings withReadThresholds(ReadThresholds t) {
        return new StorageSettings(commitLog, sstable, memtableHeapSpace, memtableCleanupThreshold,
                memtableFlushCheckInterval, memtableFlushWriters, t, autoSnapshot, keyCacheSize, fileCacheSize);
    }

    public StorageSettings withMemtableFlushWriters(int writers) {
        return new StorageSettings(commitLog, sstable, memtableHeapSpace, memtableCleanupThreshold,
                memtableFlushCheckInterval, writers, readThresholds, autoSnapshot, keyCacheSize, fileCacheSize);
    }

    public StorageSettings withAutoSnapshot(boolean on) {
        return new StorageSettings(commitLog, sstable, memtableHeapSpace, memtableCleanupThreshold,
                memtableFlushCheckInterval, memtableFlushWriters, readThresholds, on, keyCacheSize, fileCacheSize);
    }

    public StorageSettings withMemtableHeapSpace(long bytes) {
        return new StorageSettings(commitLog, sstable, bytes, memtableCleanupThreshold, memtableFlushCheckInterval,
                memtableFlushWriters, readThresholds, autoSnapshot, keyCacheSize, fileCacheSize);
    }

    public StorageSettings withKeyCacheSize(long bytes) {
        return new StorageSettings(commitLog, sstable, memtableHeapSpace, memtableCleanupThreshold,
                memtableFlushCheckInterval, memtableFlushWriters, readThresholds, autoSnapshot, bytes, fileCacheSize);
    }

    public StorageSettings withFileCacheSize(long bytes) {
        return new StorageSettings(commitLog, sstable, memtableHeapSpace, memtableCleanupThreshold,
                memtableFlushCheckInterval, memtableFlushWriters, readThresholds, autoSnapshot, keyCacheSize, bytes);
    }
}
