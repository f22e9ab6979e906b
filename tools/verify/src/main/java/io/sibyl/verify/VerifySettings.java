package io.sibyl.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One verify run. {@code nodes} local nodes are started unless {@code targets} (node URLs) are given.
 * {@code rate} is operations per second per workload over all its {@code concurrency} clients.
 * {@code registerReadConsistency} is SERIAL; anything else (ONE) deliberately breaks linearizability, to
 * show that the checker catches stale reads on a real cluster.
 */
public record VerifySettings(int nodes, List<String> targets, Duration duration, List<String> nemesis,
                             List<String> workloads, double rate, int concurrency, long seed, Path reportDir,
                             Duration nemesisInterval, Duration faultHold, Duration quietPeriod,
                             Duration opTimeout, Duration checkBudget, List<String> jvmOpts,
                             String registerReadConsistency) {

    public static VerifySettings defaults(Path reportDir) {
        return new VerifySettings(3, List.of(), Duration.ofMinutes(1), List.of("kill", "pause", "partition"),
                List.of("register", "set", "bank"), 30, 5, 1, reportDir,
                Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofMinutes(2),
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), "SERIAL");
    }

    public VerifySettings withDuration(Duration d) {
        return new VerifySettings(nodes, targets, d, nemesis, workloads, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency);
    }

    public VerifySettings withNodes(int n) {
        return new VerifySettings(n, targets, duration, nemesis, workloads, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency);
    }

    public VerifySettings withNemesis(List<String> kinds) {
        return new VerifySettings(nodes, targets, duration, kinds, workloads, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency);
    }

    public VerifySettings withFaultTiming(Duration interval, Duration hold) {
        return new VerifySettings(nodes, targets, duration, nemesis, workloads, rate, concurrency, seed, reportDir,
                interval, hold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency);
    }

    public VerifySettings withSeed(long s) {
        return new VerifySettings(nodes, targets, duration, nemesis, workloads, rate, concurrency, s, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency);
    }

    public VerifySettings withWorkloads(List<String> w) {
        return new VerifySettings(nodes, targets, duration, nemesis, w, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency);
    }
}
