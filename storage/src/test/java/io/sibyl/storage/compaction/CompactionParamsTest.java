package io.sibyl.storage.compaction;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompactionParamsTest {

    @Test
    void defaultsAreCassandras() {
        CompactionParams p = CompactionParams.DEFAULT;
        assertEquals(CompactionParams.Strategy.SIZE_TIERED, p.strategy());
        assertEquals(4, p.minThreshold());
        assertEquals(32, p.maxThreshold());
        assertEquals(0.5, p.bucketLow());
        assertEquals(1.5, p.bucketHigh());
        assertEquals(160L << 20, p.sstableSizeBytes());
        assertEquals(10, p.fanout());
        assertEquals(TimeUnit.DAYS, p.windowUnit());
        assertEquals(0.2, p.tombstoneThreshold());
        assertTrue(p.enabled());
    }

    @Test
    void fullyQualifiedClassNamesAreShortened() {
        Map<String, String> n = CompactionParams.normalize(Map.of("class",
                "org.apache.cassandra.db.compaction.LeveledCompactionStrategy", "sstable_size_in_mb", "64"));
        assertEquals("LeveledCompactionStrategy", n.get("class"));
        assertEquals(64L << 20, CompactionParams.parse(n).sstableSizeBytes());
    }

    @Test
    void twcsOptions() {
        CompactionParams p = CompactionParams.parse(Map.of("class", "TimeWindowCompactionStrategy",
                "compaction_window_unit", "hours", "compaction_window_size", "6"));
        assertEquals(6 * 3_600_000L, p.windowMillis());
    }

    @Test
    void badOptionsAreRejectedWithClearMessages() {
        assertMessage("Unable to find compaction strategy class 'Foo'", Map.of("class", "Foo"));
        assertMessage("Missing sub-option 'class'", Map.of("min_threshold", "4"));
        assertMessage("not understood by SizeTieredCompactionStrategy",
                Map.of("class", "SizeTieredCompactionStrategy", "sstable_size_in_mb", "10"));
        assertMessage("not understood by LeveledCompactionStrategy",
                Map.of("class", "LeveledCompactionStrategy", "compaction_window_size", "3"));
        assertMessage("not understood by TimeWindowCompactionStrategy",
                Map.of("class", "TimeWindowCompactionStrategy", "fanout_size", "3"));
        assertMessage("min_threshold must be at least 2", Map.of("class", "SizeTieredCompactionStrategy", "min_threshold", "1"));
        assertMessage("max_threshold cannot be smaller", Map.of("class", "SizeTieredCompactionStrategy", "max_threshold", "3"));
        assertMessage("bucket_high must be greater than 1", Map.of("class", "SizeTieredCompactionStrategy", "bucket_high", "0.9"));
        assertMessage("must be an integer", Map.of("class", "SizeTieredCompactionStrategy", "min_threshold", "four"));
        assertMessage("sstable_size_in_mb must be larger than 0", Map.of("class", "LeveledCompactionStrategy", "sstable_size_in_mb", "0"));
        assertMessage("is not valid for compaction_window_unit",
                Map.of("class", "TimeWindowCompactionStrategy", "compaction_window_unit", "WEEKS"));
        assertMessage("enabled must be true or false", Map.of("class", "SizeTieredCompactionStrategy", "enabled", "yes"));
        assertMessage("tombstone_threshold must be greater than 0",
                Map.of("class", "SizeTieredCompactionStrategy", "tombstone_threshold", "-1"));
    }

    private static void assertMessage(String expected, Map<String, String> options) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompactionParams.parse(options));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
