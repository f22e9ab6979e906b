package io.sibyl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VerifyCommandTest {

    private static int run(String... args) {
        return new CommandLine(new VerifyCommand()).execute(args);
    }

    @Test
    void badOptionsExitTwoWithoutStartingAnything() {
        assertEquals(2, run("--nemesis", "flood"));
        assertEquals(2, run("--workload", "queue"));
        // a nemesis the targets' options cannot support is refused before anything runs
        assertEquals(2, run("--targets", "http://127.0.0.1:1", "--nemesis", "topology"));
        assertEquals(2, run("--targets", "http://127.0.0.1:1", "--nemesis", "pause", "--report", tmp()));
        assertEquals(2, run("--targets", "http://127.0.0.1:1", "--nemesis", "kill", "--target-pids", "1", "--report", tmp()));
        assertEquals(2, run("--targets", "http://127.0.0.1:1", "--nemesis", "partition", "--report", tmp()));
        assertEquals(2, run("--targets", "http://127.0.0.1:1,http://127.0.0.1:2", "--target-pids", "1"));
        assertEquals(2, run("--target-pids", "1"));
        assertEquals(2, run("--rate", "0"));
    }

    private static String tmp() {
        try {
            return java.nio.file.Files.createTempDirectory("verify-cmd").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void checkOnlyRechecksRecordedHistoriesAndFailsOnAViolation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        History good = History.of(java.util.List.of(
                Op.invoke(0, "cas", "1", java.util.Arrays.asList(null, 2L), 1),
                new Op(-1, 0, Op.Type.OK, "cas", "1", java.util.Arrays.asList(null, 2L), 2, null),
                Op.invoke(1, "read", "1", null, 3),
                new Op(-1, 1, Op.Type.OK, "read", "1", 2L, 4, null)));
        good.writeJsonLines(dir.resolve("history-register.jsonl"));
        assertEquals(0, run("--check", dir.toString()));

        History stale = History.of(java.util.List.of(
                Op.invoke(0, "cas", "1", java.util.Arrays.asList(null, 2L), 1),
                new Op(-1, 0, Op.Type.OK, "cas", "1", java.util.Arrays.asList(null, 2L), 2, null),
                Op.invoke(1, "read", "1", null, 3),
                new Op(-1, 1, Op.Type.OK, "read", "1", null, 4, null)));
        stale.writeJsonLines(dir.resolve("history-register.jsonl"));
        assertEquals(1, run("--check", dir.toString()));
        assertEquals(2, run("--check", dir.resolve("nothing-here").toString()));
    }

    @Test
    void durationsTakeSecondsMinutesAndIso() {
        VerifyCommand.DurationConverter c = new VerifyCommand.DurationConverter();
        assertEquals(Duration.ofMinutes(10), c.convert("10m"));
        assertEquals(Duration.ofSeconds(90), c.convert("90s"));
        assertEquals(Duration.ofSeconds(90), c.convert("90"));
        assertEquals(Duration.ofSeconds(90), c.convert("PT90S"));
    }
}
