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
        assertEquals(2, run("--targets", "http://127.0.0.1:1", "--nemesis", "kill"));
        assertEquals(2, run("--rate", "0"));
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
