package io.sibyl.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Signals to node processes by pid, child or not: SIGKILL (a crash), SIGTERM then wait (the clean shutdown
 * path), SIGSTOP/SIGCONT (a pause the node cannot notice).
 */
public final class Signals {
    private Signals() {
    }

    /** {@code kill -<signal> <pid>}; fails with the command's output when it does not succeed. */
    public static void send(long pid, String signal) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        String output = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (k.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed: " + output);
        }
    }

    /** SIGKILL and wait until the process is gone (at most {@code wait}); true when it is. */
    public static boolean kill(long pid, Duration wait) throws InterruptedException {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return true;
        }
        h.get().destroyForcibly();
        return awaitExit(h.get(), wait);
    }

    /** SIGTERM, wait {@code grace}, then SIGKILL; true when it ended within the grace period. */
    public static boolean terminate(long pid, Duration grace) throws InterruptedException {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return true;
        }
        h.get().destroy();
        if (awaitExit(h.get(), grace)) {
            return true;
        }
        h.get().destroyForcibly();
        awaitExit(h.get(), Duration.ofSeconds(10));
        return false;
    }

    private static boolean awaitExit(ProcessHandle h, Duration wait) throws InterruptedException {
        try {
            h.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !h.isAlive();
        }
    }
}
