package io.sibyl.stress;

import picocli.CommandLine;

/**
 * Runs {@code stress} without the node's CLI, from this module's jar and its three libraries; {@code sibyl stress}
 * (the {@code sibyl} CLI's subcommand) is the usual way in.
 */
public final class StressMain {

    private StressMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StressCommand()).execute(args));
    }
}
