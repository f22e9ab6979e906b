package io.sibyl.stress;

import java.time.Duration;
import java.util.List;

/** Everything a run needs, as parsed from the command line. */
public record StressSettings(
        List<String> targets,
        WorkloadKind workload,
        Duration duration,
        Duration warmup,
        int concurrency,
        String consistency,
        int replicationFactor,
        long keys,
        int batch,
        double rate,
        int pipeline,
        int readLatest,
        String keyspace,
        boolean load,
        long seed,
        Duration timeout,
        Duration progressInterval,
        boolean json) {

    /** Whether the targets are CQL native protocol addresses (cql://HOST:PORT). */
    public boolean cql() {
        return CqlStress.isCql(targets.get(0));
    }

    /** Devices of the timeseries workload (docs/performance.md). */
    public static final int DEVICES = 10_000;

    public StressSettings {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("--target needs at least one URL");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be >= 1");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1");
        }
        if (keys < 1) {
            throw new IllegalArgumentException("--keys must be >= 1");
        }
        if (pipeline < 1) {
            throw new IllegalArgumentException("--pipeline must be >= 1");
        }
        if (pipeline > 1 && rate > 0) {
            throw new IllegalArgumentException("--rate needs --pipeline 1 (one request in flight per connection)");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be >= 0");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be > 0");
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must be >= 0");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("--rf must be >= 1");
        }
        if (!keyspace.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("--keyspace must be a plain CQL identifier");
        }
        long cqlTargets = targets.stream().filter(CqlStress::isCql).count();
        if (cqlTargets != 0 && cqlTargets != targets.size()) {
            throw new IllegalArgumentException("--target: all http(s):// or all cql://, not both");
        }
        if (!consistency.matches("[A-Za-z_]+")) {
            throw new IllegalArgumentException("bad --consistency " + consistency);
        }
    }
}
