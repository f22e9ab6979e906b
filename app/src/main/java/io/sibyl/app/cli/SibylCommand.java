package io.sibyl.app.cli;

import io.sibyl.stress.StressCommand;
import io.sibyl.verify.VerifyCommand;
import picocli.CommandLine.Command;

@Command(name = "sibyl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sibyl: a masterless, Cassandra-style distributed database.",
        footer = {"", "The ./sibyl script also runs Apache Cassandra's cqlsh (not shipped with Sibyl: pip install cqlsh, "
                + "or set SIBYL_CQLSH to its command):",
                "  ./sibyl cqlsh [host [port]] [cqlsh options]   default 127.0.0.1 9042"},
        subcommands = {StartCommand.class, LocalClusterCommand.class, StressCommand.class, VerifyCommand.class,
                CompactionSimCommand.class, RepairCommand.class, CleanupCommand.class,
                DecommissionCommand.class, RemoveNodeCommand.class, StatusCommand.class, RingCommand.class,
                InfoCommand.class, DescribeClusterCommand.class, TableStatsCommand.class, CompactionStatsCommand.class,
                TpStatsCommand.class, GetEndpointsCommand.class, FlushCommand.class, CompactCommand.class,
                DrainCommand.class, SnapshotCommand.class, ListSnapshotsCommand.class, ClearSnapshotCommand.class,
                RefreshCommand.class, GenCertsCommand.class})
public final class SibylCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
