package io.sibyl.app.cli;

import io.sibyl.storage.compaction.sim.CompactionSimulator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sibyl compaction-sim}: each compaction strategy's planner over synthetic flushes (no disk, no
 * node), reporting write amplification and SSTables per read under an ingest and an update-heavy load.
 */
@Command(name = "compaction-sim", mixinStandardHelpOptions = true,
        description = "Simulate STCS, LCS and TWCS over synthetic flushes: write amplification and SSTables per read.")
public final class CompactionSimCommand implements Runnable {
    @Option(names = "--flushes", description = "Memtables flushed (default ${DEFAULT-VALUE})")
    int flushes = 400;

    @Option(names = "--rows-per-flush", description = "Writes per memtable (default ${DEFAULT-VALUE})")
    int rowsPerFlush = 16_000;

    @Option(names = "--row-bytes", description = "Bytes per row on disk (default ${DEFAULT-VALUE})")
    int rowBytes = 1024;

    @Option(names = "--flush-every", description = "Simulated seconds between flushes (default ${DEFAULT-VALUE})")
    int flushEverySeconds = 2;

    @Option(names = "--compaction-throughput", description = "MiB/s compactions may read plus write; 0 = unlimited (default ${DEFAULT-VALUE})")
    long compactionMiBps = 64;

    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE})")
    long seed = 42;

    @Override
    public void run() {
        CompactionSimulator.Config c = new CompactionSimulator.Config(flushes, rowsPerFlush, rowBytes,
                flushEverySeconds * 1000L, compactionMiBps << 20, seed);
        CompactionSimulator sim = new CompactionSimulator(c);
        System.out.printf("%d flushes of %d rows x %d bytes (%.1f MiB each), one every %d s, compaction %d MiB/s%n",
                flushes, rowsPerFlush, rowBytes, rowsPerFlush * (double) rowBytes / (1 << 20), flushEverySeconds,
                compactionMiBps);
        System.out.printf("%-13s %-5s %8s %11s %9s %14s %12s %16s%n", "workload", "strat", "write-amp", "compactions",
                "sstables", "sstables/read", "max/read", "ranges/read");
        for (CompactionSimulator.Workload w : CompactionSimulator.Workload.values()) {
            for (Map.Entry<String, Map<String, String>> s : CompactionSimulator.standardStrategies(c).entrySet()) {
                CompactionSimulator.Result r = sim.run(s.getValue(), w);
                System.out.printf("%-13s %-5s %8.2f %11d %9d %14.2f %12d %16.2f%n", w.name().toLowerCase(), s.getKey(),
                        r.writeAmplification(), r.compactions(), r.finalSSTables(), r.avgSSTablesPerRead(),
                        r.maxSSTablesPerRead(), r.avgSSTablesCoveringKey());
            }
        }
    }
}
