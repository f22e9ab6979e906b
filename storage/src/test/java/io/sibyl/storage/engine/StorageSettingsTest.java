package io.sibyl.storage.engine;

import com.typesafe.config.ConfigFactory;
import io.sibyl.storage.commitlog.CommitLogSync;
import io.sibyl.storage.commitlog.ReplayFailurePolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageSettingsTest {

    @Test
    void defaultsAreCassandraLike() {
        StorageSettings s = StorageSettings.defaults();
        assertEquals(CommitLogSync.GROUP, s.commitLog().sync());
        assertEquals(32 << 20, s.commitLog().segmentSize());
        assertEquals(Duration.ofSeconds(10), s.commitLog().syncPeriod());
        assertEquals(ReplayFailurePolicy.STOP, s.commitLog().replayFailure());
        assertEquals(256L << 20, s.memtableHeapSpace());
        assertEquals(2, s.memtableFlushWriters());
        assertEquals(0.33, s.memtableCleanupThreshold(), 1e-9, "1 / (1 + memtable_flush_writers)");
        assertEquals(16 << 10, s.sstable().chunkSize(), "Cassandra 5's chunk_length_in_kb");
        assertEquals(0.01, s.sstable().bloomFpChance());
        assertEquals(10L << 20, s.sstable().trickleFsyncBytes(), "trickle fsync on, every 10 MiB (ADR 047)");
        assertEquals(1000, s.readThresholds().tombstoneWarn());
        assertEquals(100_000, s.readThresholds().tombstoneFailure());
    }

    @Test
    void keyCacheSizeIsAutoASizeOrZero() {
        long auto = Math.min(Runtime.getRuntime().maxMemory() / 20, 100L << 20);
        assertEquals(0, StorageSettings.defaults().keyCacheSize(), "off by default (ADR 044's amendment)");
        assertEquals(auto, StorageSettings.fromConfig(ConfigFactory.parseString("sibyl.storage.key_cache_size = auto")).keyCacheSize(),
                "min(5% of the heap, 100 MiB)");
        assertEquals(8L << 20, StorageSettings.fromConfig(ConfigFactory.parseString("sibyl.storage.key_cache_size = 8MiB")).keyCacheSize());
        assertEquals(0, StorageSettings.fromConfig(ConfigFactory.parseString("sibyl.storage.key_cache_size = 0")).keyCacheSize());
        assertThrows(RuntimeException.class,
                () -> StorageSettings.fromConfig(ConfigFactory.parseString("sibyl.storage.key_cache_size = lots")));
        assertThrows(IllegalArgumentException.class, () -> StorageSettings.defaults().withKeyCacheSize(-1));
        assertEquals(Math.min(Runtime.getRuntime().maxMemory() / 10, 512L << 20), StorageSettings.defaults().fileCacheSize(),
                "auto: min(10% of the heap, 512 MiB)");
        assertEquals(0, StorageSettings.fromConfig(ConfigFactory.parseString("sibyl.storage.file_cache_size = 0")).fileCacheSize());
        assertEquals(64L << 20, StorageSettings.fromConfig(ConfigFactory.parseString("sibyl.storage.file_cache_size = 64MiB")).fileCacheSize());
        assertThrows(IllegalArgumentException.class, () -> StorageSettings.defaults().withFileCacheSize(-1));
    }

    @Test
    void trickleFsyncIsAnIntervalOrOff() {
        assertEquals(4L << 20, StorageSettings.fromConfig(ConfigFactory.parseString(
                "sibyl.storage.trickle_fsync_interval = 4MiB")).sstable().trickleFsyncBytes());
        assertEquals(0, StorageSettings.fromConfig(ConfigFactory.parseString(
                "sibyl.storage.trickle_fsync = false")).sstable().trickleFsyncBytes());
    }

    @Test
    void overridesAreReadFromSibylStorage() {
        StorageSettings s = StorageSettings.fromConfig(ConfigFactory.parseString("""
                sibyl.storage {
                  commitlog_sync = periodic
                  commitlog_sync_period = 2s
                  commitlog_segment_size = 1MiB
                  commitlog_replay_failure_policy = skip
                  tombstone_warn_threshold = 5
                  sstable_chunk_size = 4KiB
                  memtable_flush_writers = 3
                }"""));
        assertEquals(3, s.memtableFlushWriters());
        assertEquals(CommitLogSync.PERIODIC, s.commitLog().sync());
        assertEquals(Duration.ofSeconds(2), s.commitLog().syncPeriod());
        assertEquals(1 << 20, s.commitLog().segmentSize());
        assertEquals(ReplayFailurePolicy.SKIP, s.commitLog().replayFailure());
        assertEquals(5, s.readThresholds().tombstoneWarn());
        assertEquals(4096, s.sstable().chunkSize());
    }

    @Test
    void badValuesAreRejectedWithTheSettingName() {
        var e = assertThrows(IllegalArgumentException.class, () -> StorageSettings.fromConfig(
                ConfigFactory.parseString("sibyl.storage.commitlog_sync = sometimes")));
        assertTrue(e.getMessage().contains("commitlog_sync"), e.getMessage());
    }
}
