package io.sibyl.app;

import io.sibyl.app.cli.SibylCommand;
import picocli.CommandLine;

/** The {@code sibyl} command line: the only {@code main} of the project. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = new CommandLine(new SibylCommand()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
