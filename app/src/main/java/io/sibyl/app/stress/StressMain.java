package io.sibyl.app.stress;

import picocli.CommandLine;

/** Runs {@code stress} on its own, for manual runs before it is wired into the {@code sibyl} CLI. */
public final class StressMain {

    private StressMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StressCommand()).execute(args));
    }
}
