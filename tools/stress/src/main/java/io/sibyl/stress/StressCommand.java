package io.sibyl.stress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sibyl stress}: the load tool of docs/performance.md. */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = {"Puts load on Sibyl nodes over the HTTP API (or the CQL native protocol) and reports throughput and latency.",
                "Exit code: 0 after a run with successful ops, 1 if set-up or loading failed, 3 if no op succeeded."},
        sortOptions = false)
public final class StressCommand implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_SETUP_FAILED = 1;
    public static final int EXIT_NO_SUCCESS = 3;
    /** Requests per connection unless --pipeline or --rate says otherwise. */
    public static final int DEFAULT_PIPELINE = 8;

    @Spec
    CommandSpec spec;

    @Option(names = "--target", split = ",", defaultValue = "http://127.0.0.1:8080",
            description = {"Node URLs, comma-separated; requests go round-robin over all (default: ${DEFAULT-VALUE}).",
                    "cql://HOST:PORT,... runs the same workload over the CQL native protocol with the Apache Cassandra "
                    + "Java driver (prepared statements, token-aware, async); works against Sibyl and Cassandra alike."})
    List<String> targets;

    @Option(names = "--workload", defaultValue = "ingest",
            description = "ingest, read, mixed or timeseries (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "Measured time after the warm-up (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "Unmeasured time before (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--concurrency", defaultValue = "64", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--consistency", defaultValue = "ONE", description = "Consistency level (default: ${DEFAULT-VALUE}).")
    String consistency;

    @Option(names = "--rf", defaultValue = "1", description = "Replication factor of a keyspace it creates (default: ${DEFAULT-VALUE}).")
    int rf;

    @Option(names = "--keys", defaultValue = "1000000", description = "Loaded keys that read and mixed address (default: ${DEFAULT-VALUE}).")
    long keys;

    @Option(names = "--batch", defaultValue = "1",
            description = "Rows per request through the NDJSON bulk endpoint (ingest, timeseries, --load) (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rate", defaultValue = "0",
            description = "Fixed ops/s, latency from each op's intended start; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--pipeline", defaultValue = "0",
            description = {"Requests in flight per connection (HTTP/1.1 pipelining): the --concurrency requests use "
                    + "concurrency/pipeline connections, as a Cassandra driver multiplexes a few connections; "
                    + "1 = a connection per request in flight. Default: " + DEFAULT_PIPELINE + ", or 1 with --rate. "
                    + "Ignored with cql:// targets (the driver multiplexes its connections by stream id)."})
    int pipeline;

    @Option(names = "--read-latest", defaultValue = "0",
            description = "timeseries: half the requests read a device's latest N readings (default: ${DEFAULT-VALUE}).")
    int readLatest;

    @Option(names = "--keyspace", defaultValue = "stress", description = "Keyspace (default: ${DEFAULT-VALUE}).")
    String keyspace;

    @Option(names = "--load", description = "read/mixed: first write --keys rows through the bulk endpoint and flush.")
    boolean load;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Per-request timeout; a timed-out request is an error (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--progress-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "Time between progress lines (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    @Option(names = {"--user", "-u"}, defaultValue = "${env:SIBYL_USER}",
            description = "Role to log in as when the nodes have authentication on (or $SIBYL_USER).")
    String user;

    @Option(names = {"--password", "-pw"}, defaultValue = "${env:SIBYL_PASSWORD}",
            description = "The role's password (or $SIBYL_PASSWORD).")
    String password;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line.")
    boolean json;

    @Option(names = "--cacert", description = "PEM file of the CA that signed the nodes' certificates (https:// targets; "
            + "default: the JVM's trusted CAs).")
    java.nio.file.Path caCert;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StressSettings settings;
        javax.net.ssl.SSLContext ssl;
        try {
            settings = settings();
            ssl = caCert == null ? null : TrustedCa.load(caCert);
        } catch (IllegalArgumentException e) {
            err.println("stress: " + e.getMessage());
            err.flush();
            return spec.exitCodeOnInvalidInput();
        }
        StressSummary summary;
        try {
            summary = new StressRun(settings, out, err).trusting(ssl)
                    .withCredentials(Credentials.of(user, password)).run();
        } catch (StressException e) {
            err.println("stress: " + e.getMessage());
            err.flush();
            return EXIT_SETUP_FAILED;
        }
        out.print(summary.toText());
        if (settings.json()) {
            out.println(summary.toJson());
        }
        out.flush();
        return summary.ops() > 0 ? EXIT_OK : EXIT_NO_SUCCESS;
    }

    StressSettings settings() {
        WorkloadKind kind;
        try {
            kind = WorkloadKind.valueOf(workload.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --workload " + workload + " (ingest, read, mixed, timeseries)");
        }
        List<String> cleaned = targets.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        for (String t : cleaned) {
            if (CqlStress.isCql(t)) {
                CqlStress.contactPoint(t); // checks HOST:PORT
            } else if (!t.startsWith("http://") && !t.startsWith("https://")) {
                throw new IllegalArgumentException("--target " + t + " must be an http:// or https:// URL, or cql://HOST:PORT");
            }
        }
        boolean cql = !cleaned.isEmpty() && CqlStress.isCql(cleaned.get(0));
        if (cql) {
            try {
                com.datastax.oss.driver.api.core.DefaultConsistencyLevel.valueOf(consistency.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad --consistency " + consistency);
            }
        }
        return new StressSettings(cleaned, kind, duration, warmup, concurrency, consistency.toUpperCase(java.util.Locale.ROOT),
                rf, keys, batch, rate, cql ? 1 : pipeline != 0 ? pipeline : rate > 0 ? 1 : DEFAULT_PIPELINE, readLatest, keyspace, load, seed, timeout, progressInterval, json);
    }
}
