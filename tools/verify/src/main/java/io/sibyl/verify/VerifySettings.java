package io.sibyl.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One verify run. {@code nodes} local nodes are started unless {@code targets} (node URLs) are given.
 * {@code rate} is operations per second per workload over all its {@code concurrency} clients.
 * {@code registerReadConsistency} is SERIAL; anything else (ONE) deliberately breaks linearizability, to
 * show that the checker catches stale reads on a real cluster. With targets, {@code targetPids} and
 * {@code targetDataDirs} (empty, or one per target) and {@code restartCommand} (may be null) tell the nemesis
 * how to reach the nodes' processes.
 */
public record VerifySettings(int nodes, List<String> targets, Duration duration, List<String> nemesis,
                             List<String> workloads, double rate, int concurrency, long seed, Path reportDir,
                             Duration nemesisInterval, Duration faultHold, Duration quietPeriod,
                             Duration opTimeout, Duration checkBudget, List<String> jvmOpts,
                             String registerReadConsistency, List<Long> targetPids, List<Path> targetDataDirs,
                             String restartCommand) {

    public static VerifySettings defaults(Path reportDir) {
        return new VerifySettings(3, List.of(), Duration.ofMinutes(1), List.of("kill", "pause", "partition"),
                List.of("register", "set", "bank"), 30, 5, 1, reportDir,
                Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofMinutes(2),
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), "SERIAL", List.of(), List.of(), null);
    }

    public VerifySettings withDuration(Duration d) {
        return new VerifySettings(nodes, targets, d, nemesis, workloads, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency,
                targetPids, targetDataDirs, restartCommand);
    }

    public VerifySettings withNodes(int n) {
        return new VerifySettings(n, targets, duration, nemesis, workloads, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency,
                targetPids, targetDataDirs, restartCommand);
    }

    public VerifySettings withNemesis(List<String> kinds) {
        return new VerifySettings(nodes, targets, duration, kinds, workloads, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency,
                targetPids, targetDataDirs, restartCommand);
    }

    public VerifySettings withFaultTiming(Duration interval, Duration hold) {
        return new VerifySettings(nodes, targets, duration, nemesis, workloads, rate, concurrency, seed, reportDir,
                interval, hold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency,
                targetPids, targetDataDirs, restartCommand);
    }

    public VerifySettings withSeed(long s) {
        return new VerifySettings(nodes, targets, duration, nemesis, workloads, rate, concurrency, s, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency,
                targetPids, targetDataDirs, restartCommand);
    }

    public VerifySettings withWorkloads(List<String> w) {
        return new VerifySettings(nodes, targets, duration, nemesis, w, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency,
                targetPids, targetDataDirs, restartCommand);
    }

    /** A running cluster at {@code urls}; {@code pids} or {@code dataDirs} (each may be empty) and a restart command let the nemesis act on it. */
    public VerifySettings withTargets(List<String> urls, List<Long> pids, List<Path> dataDirs, String restartCmd) {
        return new VerifySettings(nodes, urls, duration, nemesis, workloads, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, quietPeriod, opTimeout, checkBudget, jvmOpts, registerReadConsistency,
                pids, dataDirs, restartCmd);
    }

    public VerifySettings withQuietPeriod(Duration q) {
        return new VerifySettings(nodes, targets, duration, nemesis, workloads, rate, concurrency, seed, reportDir,
                nemesisInterval, faultHold, q, opTimeout, checkBudget, jvmOpts, registerReadConsistency,
                targetPids, targetDataDirs, restartCommand);
    }
}
