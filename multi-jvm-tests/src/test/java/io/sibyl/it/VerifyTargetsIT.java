package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.launcher.NodeLauncher;
import io.sibyl.launcher.PidFile;
import io.sibyl.launcher.Signals;
import io.sibyl.verify.VerifyReport;
import io.sibyl.verify.VerifyRun;
import io.sibyl.verify.VerifySettings;
import io.sibyl.verify.nemesis.FaultWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sibyl verify --targets} with a nemesis on a cluster verify did not start, as an operator runs it: the test
 * starts three nodes the way an operator's script would ({@code sibyl start ... &} with the fault-injection switch
 * on), then runs verify with {@code --target-data-dirs} (the nodes' {@code sibyl.pid}) and {@code --restart-cmd}
 * (the same script). Kills, pauses and partitions must be applied and healed, the killed nodes restarted by the
 * command, and every checker pass.
 */
class VerifyTargetsIT {
    private final List<Path> dataDirs = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (Path d : dataDirs) {
            for (Path f : List.of(PidFile.in(d), d.resolve("launched.pid"))) {
                Optional<Long> pid = PidFile.read(f);
                if (pid.isPresent() && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    Signals.send(pid.get(), "CONT");
                    Signals.kill(pid.get(), Duration.ofSeconds(30));
                }
            }
        }
    }

    @Test
    void killPauseAndPartitionAgainstTargetsStartedByAnOperator() throws Exception {
        Path work = NodeProcess.workDir("verify-targets").toAbsolutePath();
        int[] http = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
        int[] cluster = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
        String seeds = "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1];
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "t" + (i + 1);
            Path dir = work.resolve(name);
            Files.createDirectories(dir);
            dataDirs.add(dir);
            urls.add("http://127.0.0.1:" + http[i]);
            List<String> cmd = NodeLauncher.startCommand(
                    List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dsibyl.cluster.fault_injection=on"),
                    List.of("--http-port", String.valueOf(http[i]), "--cluster-port", String.valueOf(cluster[i]),
                            "--cql-port", "0", "--data-dir", dir.toString(), "--node-name", name, "--seeds", seeds));
            String line = cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
            // launched.pid: for the clean-up even if the node dies before it writes its sibyl.pid
            Files.writeString(dir.resolve("start.sh"), "#!/bin/sh\nnohup " + line + " >> '" + dir.resolve("node.log")
                    + "' 2>&1 &\necho $! > '" + dir.resolve("launched.pid") + "'\n");
        }
        String restart = "sh '{data_dir}/start.sh'";
        for (Path d : dataDirs) {
            Process p = new ProcessBuilder("sh", d.resolve("start.sh").toString()).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "start script of " + d);
        }
        for (int i = 0; i < 3; i++) {
            awaitReady(urls.get(i), dataDirs.get(i));
        }
        Map<Path, Long> firstPids = dataDirs.stream().collect(Collectors.toMap(d -> d, d -> PidFile.read(PidFile.in(d)).orElseThrow()));

        VerifySettings s = VerifySettings.defaults(work.resolve("report"))
                .withTargets(urls, List.of(), dataDirs, restart)
                .withDuration(Duration.ofSeconds(35))
                .withNemesis(List.of("kill", "pause", "partition"))
                .withFaultTiming(Duration.ofSeconds(3), Duration.ofSeconds(2))
                .withQuietPeriod(Duration.ofSeconds(5))
                .withSeed(34);   // draws kill, then partition, then pause
        VerifyReport r = new VerifyRun(s, System.out).run();

        List<String> kinds = r.faults().stream().map(FaultWindow::kind).distinct().toList();
        // a restart under load takes 15-30 s, so the run has room for two or three faults
        assertTrue(kinds.contains("kill") && kinds.contains("partition"), "seed 34 draws a kill, then a partition: " + r.faults());
        for (FaultWindow f : r.faults()) {
            if (f.kind().equals("kill")) {
                Path d = work.resolve(f.target());
                assertNotEquals(firstPids.get(d), PidFile.read(PidFile.in(d)).orElseThrow(),
                        f.target() + " was killed, so the restart command started a new process");
            }
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(200, SibylClient.of(urls.get(i)).get("/ready").status(), "every target is up after healing");
        }
        assertTrue(r.passed(), "verify failed (report in " + s.reportDir() + "):\n" + r.summaryText());

        // a clean stop (SIGTERM) removes the node's pid file
        Path t1 = dataDirs.get(0);
        assertTrue(Signals.terminate(PidFile.read(PidFile.in(t1)).orElseThrow(), Duration.ofSeconds(60)), "t1 stops on SIGTERM");
        assertTrue(Files.notExists(PidFile.in(t1)), "sibyl.pid is removed on a clean exit");
    }

    private static void awaitReady(String url, Path dir) throws Exception {
        long deadline = System.nanoTime() + Clusters.READY.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (SibylClient.of(url).get("/ready").status() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " not ready; log:\n" + io.sibyl.launcher.LogTail.of(dir.resolve("node.log"), 40));
    }
}
