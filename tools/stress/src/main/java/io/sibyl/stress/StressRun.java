package io.sibyl.stress;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * One run: schema, optional load and flush, warm-up, measurement with progress lines, summary.
 *
 * <p>Clients: the measured requests go over {@link HttpConnection}s, one keep-alive HTTP/1.1
 * connection per lane and target with blocking I/O (LoadDriver says why); set-up, loading and
 * flushes use {@code java.net.http.HttpClient}, whose cost does not count.
 */
public final class StressRun {

    /** Longest wait for the compactions after --load (then measure anyway). */
    private static final Duration COMPACTION_WAIT = Duration.ofMinutes(5);

    private final StressSettings settings;
    private final PrintWriter out;
    private final PrintWriter err;
    private final CpuMeter cpu = new CpuMeter();
    /** Trust for https:// targets (--cacert); null: the JVM's default trusted CAs. */
    private SSLContext ssl;
    private Credentials credentials = Credentials.NONE;

    public StressRun(StressSettings settings, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /** The role this run logs in as (default: none). */
    public StressRun withCredentials(Credentials credentials) {
        this.credentials = credentials;
        return this;
    }

    /** https:// targets are trusted with this context (null: the JVM's default). */
    public StressRun trusting(SSLContext ssl) {
        this.ssl = ssl;
        return this;
    }

    public StressSummary run() throws StressException, InterruptedException {
        if (settings.cql()) {
            return runCql();
        }
        StressSettings s = settings;
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(2, CpuMeter.cores()), daemon("stress-callback"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("stress-timer"));
        try {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(s.timeout())
                    .executor(executor);
            if (ssl != null) {
                builder.sslContext(ssl);
            }
            HttpClient client = builder.build();
            Endpoints endpoints = new Endpoints(s.targets(), s.keyspace(), tableName(s), s.consistency(), s.timeout())
                    .withSslContext(ssl).withCredentials(credentials);
            Workload workload = Workload.create(s, endpoints);

            AdminClient admin = new AdminClient(client, credentials);
            admin.createSchema(s.targets().get(0), s.keyspace(), s.replicationFactor(), workload.createTableCql(s.keyspace()));
            if (s.load()) {
                load(client, endpoints, admin, workload, executor, scheduler);
            }
            Stats stats = new Stats();
            LoadDriver driver = new LoadDriver(workload, endpoints, s.concurrency(), s.rate(), s.pipeline(), s.seed(), stats);
            StressSummary summary = measure(driver, stats);
            driver.stop();
            if (!driver.awaitIdle(s.timeout().plusSeconds(2))) {
                err.println("warning: requests still in flight after the run; they are not counted");
            }
            return summary;
        } finally {
            scheduler.shutdownNow();
            executor.shutdownNow();
        }
    }

    /** The same run over the CQL native protocol (--target cql://...): see {@link CqlStress}. */
    private StressSummary runCql() throws StressException, InterruptedException {
        StressSettings s = settings;
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(2, CpuMeter.cores()), daemon("stress-cql"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("stress-timer"));
        long t0 = System.nanoTime();
        try (com.datastax.oss.driver.api.core.CqlSession session = CqlStress.connect(s, credentials)) {
            out.printf(Locale.ROOT, "Connected over CQL (protocol %s) in %d ms%n", session.getContext().getProtocolVersion(),
                    (System.nanoTime() - t0) / 1_000_000);
            String createTable = s.workload() == WorkloadKind.TIMESERIES ? TimeseriesWorkload.createTable(s.keyspace())
                    : UserTable.createTable(s.keyspace());
            long t1 = System.nanoTime();
            CqlStress.createSchema(session, s, createTable);
            out.printf(Locale.ROOT, "Schema ready in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            if (s.load()) {
                if (!s.workload().needsLoadedKeys()) {
                    err.println("note: --load only applies to read and mixed; ignored for " + s.workload().label());
                } else {
                    int chunk = s.batch() > 1 ? s.batch() : Loader.DEFAULT_CHUNK;
                    out.printf(Locale.ROOT, "Loading %d rows into %s.%s over CQL, %d rows per unlogged batch%n",
                            s.keys(), s.keyspace(), UserTable.TABLE, chunk);
                    CqlStress.load(session, s, chunk, out);
                    out.println("Loaded (CQL has no flush: POST /v1/admin/flush on Sibyl, nodetool flush on Cassandra, before reads from disk).");
                }
            }
            CqlWorkload workload;
            try {
                workload = new CqlWorkload(session, s);
            } catch (com.datastax.oss.driver.api.core.DriverException e) {
                throw new StressException("preparing the statements failed: " + e.getMessage());
            }
            Stats stats = new Stats();
            CqlLoadDriver driver = new CqlLoadDriver(session, workload, s.concurrency(), s.rate(), s.seed(), stats,
                    scheduler, executor);
            StressSummary summary = measure(driver, stats);
            driver.stop();
            if (!driver.awaitIdle(s.timeout().plusSeconds(2))) {
                err.println("warning: requests still in flight after the run; they are not counted");
            }
            return summary;
        } finally {
            scheduler.shutdownNow();
            executor.shutdownNow();
        }
    }

    private static String tableName(StressSettings s) {
        return s.workload() == WorkloadKind.TIMESERIES ? TimeseriesWorkload.TABLE : UserTable.TABLE;
    }

    private void load(HttpClient client, Endpoints endpoints, AdminClient admin, Workload workload,
                      ExecutorService executor, ScheduledExecutorService scheduler) throws StressException, InterruptedException {
        StressSettings s = settings;
        if (!s.workload().needsLoadedKeys()) {
            err.println("note: --load only applies to read and mixed; ignored for " + s.workload().label());
            return;
        }
        int chunk = s.batch() > 1 ? s.batch() : Loader.DEFAULT_CHUNK;
        out.printf(Locale.ROOT, "Loading %d rows into %s.%s, %d rows per bulk request%n", s.keys(), s.keyspace(),
                workload.table(), chunk);
        new Loader(client, endpoints, s.keys(), chunk, s.concurrency(), s.seed(), executor, scheduler)
                .load(out, s.progressInterval());
        for (String target : s.targets()) {
            admin.flush(target, s.keyspace(), workload.table());
        }
        out.println("Loaded and flushed; waiting for the compactions it set off.");
        out.flush();
        for (String target : s.targets()) {
            Duration waited = admin.awaitCompactions(target, COMPACTION_WAIT);
            out.printf(Locale.ROOT, "  %s: compactions done after %.1f s%n", target, waited.toMillis() / 1000.0);
        }
        out.flush();
    }

    /**
     * Runs warm-up then measurement. Histograms are cut at each progress tick and at the phase
     * boundaries; only cuts taken while measuring go into the summary.
     */
    private StressSummary measure(LoadGenerator driver, Stats stats) throws InterruptedException {
        StressSettings s = settings;
        long interval = s.progressInterval().toNanos();
        Histogram total = Stats.newHistogram();
        Histogram intervalHistogram = Stats.newHistogram();
        Histogram recycle = null;

        long start = System.nanoTime();
        long warmupEnd = start + s.warmup().toNanos();
        long end = warmupEnd + s.duration().toNanos();
        boolean measuring = false;
        long measureStart = 0;
        long cpuMeasureStart = 0;
        if (s.warmup().isZero()) {
            measuring = true;
            measureStart = start;
            cpuMeasureStart = cpu.cpuNanos();
            stats.startMeasuring();
        }
        long lastTick = start;
        long cpuLastTick = cpu.cpuNanos();
        long nextTick = start + interval;
        out.printf(Locale.ROOT, "Running %s against %d target(s): concurrency %d, CL %s, warm-up %s, duration %s%n",
                s.workload().label(), s.targets().size(), s.concurrency(), s.consistency(),
                DurationConverter.format(s.warmup()), DurationConverter.format(s.duration()));
        out.flush();
        driver.start();

        // the bar (on a terminal) or the interval lines
        try (StressProgress bar = StressProgress.start(out, s.warmup(), s.duration())) {
            while (true) {
                long now = System.nanoTime();
                long nextEvent = Math.min(nextTick, measuring ? end : warmupEnd);
                if (now < nextEvent) {
                    sleepNanos(nextEvent - now);
                    continue;
                }
                Histogram cut = stats.takeInterval(recycle);
                intervalHistogram.add(cut);
                if (measuring) {
                    total.add(cut);
                }
                recycle = cut;
                boolean finished = measuring && now >= end;
                boolean phaseChanged = finished;
                if (finished) {
                    stats.stopMeasuring();
                } else if (!measuring && now >= warmupEnd) {
                    measuring = true;
                    phaseChanged = true;
                    measureStart = now;
                    cpuMeasureStart = cpu.cpuNanos();
                    stats.startMeasuring();
                }
                // A phase boundary closes the progress interval, unless it is a sliver of one.
                if (now >= nextTick || (phaseChanged && now - lastTick > interval / 10)) {
                    long cpuNow = cpu.cpuNanos();
                    progress(bar, now - start, now - lastTick, intervalHistogram, stats,
                            CpuMeter.percent(cpuLastTick, cpuNow, now - lastTick), lastTick < warmupEnd ? "warmup" : "measure");
                    intervalHistogram.reset();
                    lastTick = now;
                    cpuLastTick = cpuNow;
                    nextTick = now + interval;
                }
                if (finished) {
                    double cpuPct = CpuMeter.percent(cpuMeasureStart, cpu.cpuNanos(), now - measureStart);
                    return StressSummary.of(s, total, stats.errorsByCode(), now - measureStart, stats.rows(),
                            stats.emptyReads(), cpuPct);
                }
            }
        }
    }

    private void progress(StressProgress bar, long elapsed, long span, Histogram h, Stats stats, double cpuPct, String phase) {
        double seconds = span / 1e9;
        long rows = stats.takeIntervalRows();
        String rowsPart = settings.batch() > 1 ? String.format(Locale.ROOT, "  rows/s %9.0f", rows / seconds) : "";
        bar.interval(elapsed, phase, h.getTotalCount() / seconds,
                h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(99) / 1000.0,
                stats.takeIntervalErrors(), rowsPart, cpuPct);
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        long millis = nanos / 1_000_000;
        Thread.sleep(millis, (int) (nanos % 1_000_000));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
