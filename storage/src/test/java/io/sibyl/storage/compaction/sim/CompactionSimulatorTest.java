package io.sibyl.storage.compaction.sim;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompactionSimulatorTest {

    private final CompactionSimulator.Config small = new CompactionSimulator.Config(80, 500, 1024, 60_000, 0, 7);
    private final CompactionSimulator sim = new CompactionSimulator(small);

    @Test
    void withoutCompactionNothingIsRewrittenAndReadsTouchEveryOverlappingFlush() {
        var r = sim.run(Map.of("class", "SizeTieredCompactionStrategy", "enabled", "false", "min_threshold", "32",
                "max_threshold", "32", "bucket_low", "0.99", "bucket_high", "1.01", "min_sstable_size", "0"),
                CompactionSimulator.Workload.UPDATE_HEAVY);
        assertTrue(r.finalSSTables() > 0);
        assertTrue(r.writeAmplification() >= 1.0);
    }

    @Test
    void strategiesTradeWriteAmplificationForReads() {
        var stcs = sim.run(CompactionSimulator.standardStrategies(small).get("STCS"), CompactionSimulator.Workload.UPDATE_HEAVY);
        var lcs = sim.run(CompactionSimulator.standardStrategies(small).get("LCS"), CompactionSimulator.Workload.UPDATE_HEAVY);
        assertTrue(stcs.writeAmplification() > 1.5, "STCS rewrites: " + stcs);
        assertTrue(lcs.writeAmplification() > stcs.writeAmplification(), "LCS writes more: " + lcs + " vs " + stcs);
        assertTrue(lcs.avgSSTablesPerRead() <= stcs.avgSSTablesPerRead() + 0.5, "LCS reads fewer: " + lcs + " vs " + stcs);
        assertEquals(small.flushes() * 500L * 1024 >= stcs.bytesFlushed(), true);
    }

    @Test
    void ingestUnderStcsReadsOneSSTable() {
        var r = sim.run(CompactionSimulator.standardStrategies(small).get("STCS"), CompactionSimulator.Workload.INGEST);
        assertEquals(1.0, r.avgSSTablesPerRead(), 1e-9, "each key written once lives in exactly one SSTable");
        assertTrue(r.compactions() > 0);
    }
}
