package io.sibyl.app;

import io.sibyl.app.cli.SibylCommand;
import picocli.CommandLine;

/** The {@code sibyl} command line: the only {@code main} of the project. */
public final class Main {
    static {
        // CompletionStages that Pekko's javadsl returns run even their non-async callbacks on the
        // CompletableFuture default executor (the common pool). On a 2-core machine the common pool has
        // parallelism 1, and the JDK then starts a new thread for every callback (ThreadPerTaskExecutor):
        // measured at ~1,500 threads/s under load, capping ingest at ~1,500 writes/s. Two or more workers
        // make the JDK use the pool. Set before anything touches ForkJoinPool.
        String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(key) == null) {
            System.setProperty(key, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
        }
    }

    private Main() {}

    public static void main(String[] args) {
        // Always exit: a node's actor system may leave non-daemon threads behind once it has ended
        // (exit-jvm is off so that `sibyl start` can restart a downed node in-process).
        System.exit(new CommandLine(new SibylCommand()).execute(args));
    }
}
