package io.sibyl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @Test
    void writesReadsAndDeletesOnlyItsOwnPid(@TempDir Path dir) throws Exception {
        Path f = PidFile.in(dir.resolve("node1"));
        PidFile.write(f, 4242);
        assertEquals(Optional.of(4242L), PidFile.read(f));
        PidFile.write(f, 4343);   // a restarted node replaces it
        assertEquals(Optional.of(4343L), PidFile.read(f));
        PidFile.deleteIfOwn(f, 4242);
        assertTrue(Files.exists(f), "an older process must not remove the newer one's pid file");
        PidFile.deleteIfOwn(f, 4343);
        assertFalse(Files.exists(f));
        try (var s = Files.list(dir.resolve("node1"))) {
            assertEquals(0, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void garbageOrMissingIsEmpty(@TempDir Path dir) throws Exception {
        assertEquals(Optional.empty(), PidFile.read(dir.resolve("none")));
        Path f = dir.resolve(PidFile.NAME);
        Files.writeString(f, "not a pid");
        assertEquals(Optional.empty(), PidFile.read(f));
    }

    @Test
    void liveSibylPidIgnoresDeadProcesses(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        Path f = PidFile.in(dir);
        PidFile.write(f, p.pid());
        assertEquals(Optional.empty(), PidFile.liveSibylPid(f), "a live process that is no Sibyl JVM does not count");
        assertTrue(Signals.kill(p.pid(), java.time.Duration.ofSeconds(10)));
        assertEquals(Optional.empty(), PidFile.liveSibylPid(f));
    }

    @Test
    void startCommandCarriesTheRequiredFlagsAndMainClass() {
        var cmd = NodeLauncher.startCommand(java.util.List.of("-Xmx64m", " "), java.util.List.of("--http-port", "1"));
        assertTrue(cmd.containsAll(NodeLauncher.REQUIRED_JVM_FLAGS));
        int main = cmd.indexOf(NodeLauncher.MAIN_CLASS);
        assertEquals("start", cmd.get(main + 1));
        assertEquals("--http-port", cmd.get(main + 2));
        assertEquals("-Xmx64m", cmd.get(1));
        assertFalse(cmd.contains(" ") || cmd.contains(""));
    }
}
