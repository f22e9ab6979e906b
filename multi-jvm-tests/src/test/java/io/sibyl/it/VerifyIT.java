package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.verify.VerifyReport;
import io.sibyl.verify.VerifyRun;
import io.sibyl.verify.VerifySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code sibyl verify} as a test (docs/verify.md): the register (LWT linearizability), set (no lost or phantom
 * writes) and bank (constant total at SERIAL) workloads on real node JVMs while a seeded nemesis kills and
 * pauses nodes, or bootstraps and decommissions them. The short runs are in CI; the long ones are soaks.
 */
class VerifyIT {

    // soak: VerifyTargetsIT runs the same checkers in CI under kill, pause and partition (against nodes verify
    // did not start, which also covers the nemeses' process handling); this local-cluster variant adds no property.
    @Test
    @Tag("soak")
    void shortVerifyWithKillAndPausePasses() throws Exception {
        VerifySettings s = VerifySettings.defaults(NodeProcess.workDir("verify"))
                .withNodes(3)
                .withDuration(Duration.ofSeconds(40))
                .withNemesis(List.of("kill", "pause"))
                .withFaultTiming(Duration.ofSeconds(6), Duration.ofSeconds(4))
                .withSeed(17);
        VerifyReport r = new VerifyRun(s, System.out).run();
        assertPassedWithFaults(r, s.reportDir());
    }

    /** The ring grows to four nodes and (time allowing) shrinks back under load; the checkers must still pass. */
    @Test
    void shortVerifyWithTopologyChangesPasses() throws Exception {
        VerifySettings s = VerifySettings.defaults(NodeProcess.workDir("verify-topology"))
                .withNodes(3)
                .withDuration(Duration.ofSeconds(40))
                .withNemesis(List.of("topology"))
                .withFaultTiming(Duration.ofSeconds(4), Duration.ofSeconds(2))
                .withQuietPeriod(Duration.ofSeconds(5))
                .withSeed(32);
        VerifyReport r = new VerifyRun(s, System.out).run();
        assertTrue(r.faults().stream().anyMatch(f -> f.target().equals("bootstrap n4")), "n4 joined: " + r.faults());
        assertTrue(r.faults().stream().noneMatch(f -> f.target().matches(".*(FAILED|REFUSED|UNFINISHED).*")), "every change completed: " + r.faults());
        assertTrue(r.passed(), "verify failed (report in " + s.reportDir() + "):\n" + r.summaryText());
    }

    @Test
    @Tag("soak")
    void topologyKillAndPartitionForFiveMinutesPass() throws Exception {
        VerifySettings s = VerifySettings.defaults(NodeProcess.workDir("verify-topology-soak"))
                .withNodes(4)
                .withDuration(Duration.ofMinutes(5))
                .withNemesis(List.of("topology", "kill", "partition"))
                .withSeed(2032);
        VerifyReport r = new VerifyRun(s, System.out).run();
        assertTrue(r.faults().stream().anyMatch(f -> f.kind().equals("topology")), "no topology change: " + r.faults());
        assertPassedWithFaults(r, s.reportDir());
    }

    @Test
    @Tag("soak")
    void tenMinuteVerifyOnFiveNodesPasses() throws Exception {
        VerifySettings s = VerifySettings.defaults(NodeProcess.workDir("verify-soak"))
                .withNodes(5)
                .withDuration(Duration.ofMinutes(10))
                .withNemesis(List.of("kill", "pause", "partition"))
                .withSeed(1017);
        VerifyReport r = new VerifyRun(s, System.out).run();
        assertPassedWithFaults(r, s.reportDir());
    }

    private static void assertPassedWithFaults(VerifyReport r, Path dir) {
        assertTrue(r.faults().size() >= 2, "the nemesis applied too few faults: " + r.faults());
        for (VerifyRun.WorkloadOutcome w : r.workloads()) {
            long ok = VerifyReport.outcomes(w.history()).get("ok");
            assertTrue(ok >= 50, w.name() + " completed only " + ok + " ops: " + VerifyReport.outcomes(w.history()));
        }
        assertTrue(r.passed(), "verify failed (report in " + dir + "):\n" + r.summaryText());
    }
}
