package io.sibyl.stress;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --target cql://HOST:PORT,...}: the session, schema and {@code --load} of a run over the CQL
 * native protocol with the Apache Cassandra Java driver, so that Sibyl and Apache Cassandra can be
 * measured with the same client. The driver discovers the ring from the contact points and routes every
 * prepared statement to a replica of its key (token-aware); the local datacenter is the contact points'.
 */
final class CqlStress {

    static final String SCHEME = "cql://";
    static final int DEFAULT_PORT = 9042;
    private static final int LOAD_ATTEMPTS = 5;

    private CqlStress() {
    }

    static boolean isCql(String target) {
        return target.startsWith(SCHEME);
    }

    /** {@code cql://host[:port]} as a contact point; the port defaults to 9042. */
    static InetSocketAddress contactPoint(String target) {
        if (!isCql(target)) {
            throw new IllegalArgumentException("--target " + target + " is not a cql:// address");
        }
        URI uri;
        try {
            uri = URI.create("tcp://" + target.substring(SCHEME.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --target " + target + ": " + e.getMessage());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("bad --target " + target + " (expected cql://HOST:PORT)");
        }
        return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort());
    }

    static CqlSession connect(StressSettings s, Credentials credentials) throws StressException {
        List<InetSocketAddress> points = new ArrayList<>();
        for (String t : s.targets()) {
            InetSocketAddress p = contactPoint(t);
            points.add(new InetSocketAddress(p.getHostString(), p.getPort()));
        }
        try {
            var builder = CqlSession.builder().addContactPoints(points);
            if (credentials.present()) {
                builder = builder.withAuthCredentials(credentials.user(), credentials.password()); // SASL PLAIN
            }
            return builder
                    .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                            // the local datacenter is the contact points' (no --dc option needed)
                            .withString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, "DcInferringLoadBalancingPolicy")
                            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, s.timeout())
                            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, s.timeout())
                            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, s.timeout())
                            // beyond 1024 in flight a connection is added, as stress asks for up to --concurrency
                            .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, Math.max(1024, s.concurrency()))
                            .build())
                    .build();
        } catch (DriverException e) {
            throw new StressException("cannot connect to " + s.targets() + ": " + e.getMessage());
        }
    }

    static void createSchema(CqlSession session, StressSettings s, String createTableCql) throws StressException {
        try {
            session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + s.keyspace()
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + s.replicationFactor() + "}")
                    .setTimeout(s.timeout().plusSeconds(20)));
            session.execute(SimpleStatement.newInstance(createTableCql).setTimeout(s.timeout().plusSeconds(20)));
        } catch (DriverException e) {
            throw new StressException("creating the schema failed: " + e.getMessage());
        }
    }

    /**
     * {@code --load}: writes user rows 0 .. keys-1 in UNLOGGED BATCHes of {@code chunk} rows with
     * {@code concurrency} in flight; a chunk is retried a few times, then the load fails.
     */
    static long load(CqlSession session, StressSettings s, int chunk, PrintWriter out) throws StressException, InterruptedException {
        PreparedStatement insert = CqlWorkload.insertUserStatement(session, s.keyspace());
        RandomText text = UserTable.newText(s.seed() ^ 0x5DEECE66DL);
        Lane lane = new Lane(0, s.seed());
        Semaphore inFlight = new Semaphore(s.concurrency());
        AtomicLong loaded = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long lastReport = start;
        for (long first = 0; first < s.keys() && failure.get() == null; first += chunk) {
            int count = (int) Math.min(chunk, s.keys() - first);
            BatchStatementBuilder b = BatchStatement.builder(DefaultBatchType.UNLOGGED);
            for (int i = 0; i < count; i++) {
                b.addStatement((com.datastax.oss.driver.api.core.cql.BatchableStatement<?>)
                        CqlWorkload.userRow(insert, first + i, text, lane));
            }
            BatchStatement batch = b.build().setConsistencyLevel(DefaultConsistencyLevel.valueOf(s.consistency()))
                    .setTimeout(s.timeout());
            inFlight.acquire();
            sendChunk(session, batch, count, 1, inFlight, loaded, failure);
            if (System.nanoTime() - lastReport > s.progressInterval().toNanos()) {
                lastReport = System.nanoTime();
                report(out, start, loaded.get(), s.keys());
            }
        }
        inFlight.acquire(s.concurrency());
        if (failure.get() != null) {
            throw new StressException("loading failed: " + failure.get());
        }
        report(out, start, loaded.get(), s.keys());
        return loaded.get();
    }

    private static void sendChunk(CqlSession session, BatchStatement batch, int count, int attempt, Semaphore inFlight,
                                  AtomicLong loaded, AtomicReference<String> failure) {
        session.executeAsync(batch).whenComplete((rs, error) -> {
            if (error == null) {
                loaded.addAndGet(count);
                inFlight.release();
            } else if (attempt < LOAD_ATTEMPTS && failure.get() == null) {
                // upserts: resending the chunk is safe
                CompletableFuture.delayedExecutor(200L * attempt, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .execute(() -> sendChunk(session, batch, count, attempt + 1, inFlight, loaded, failure));
            } else {
                failure.compareAndSet(null, CqlErrors.classify(error).code() + " after " + attempt + " attempts: "
                        + error.getMessage());
                inFlight.release();
            }
        });
    }

    private static void report(PrintWriter out, long start, long loaded, long keys) {
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "[load %6.1fs] %d/%d rows, %.0f rows/s%n", seconds, loaded, keys,
                loaded / Math.max(seconds, 1e-9));
        out.flush();
    }

    static Duration schemaTimeout(StressSettings s) {
        return s.timeout().plusSeconds(20);
    }
}
