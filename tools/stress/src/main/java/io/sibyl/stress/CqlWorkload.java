package io.sibyl.stress;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workloads of {@link Workload} over the CQL native protocol, with prepared statements (the
 * driver routes each by its partition key): the same tables, keys, values and mix as over HTTP. A
 * batch of rows ({@code --batch}) is an UNLOGGED BATCH, the native protocol's counterpart of the
 * NDJSON bulk request. Thread-safe; per-lane state is in the {@link Lane}.
 */
final class CqlWorkload {

    /** One statement to execute and what it means for the counters. */
    record Op(Statement<?> statement, Operation.Kind kind, int rows) {}

    private final WorkloadKind kind;
    private final int batch;
    private final int readLatest;
    private final int devices;
    private final long startMillis;
    private final long keys;
    private final ScrambledZipfianGenerator zipfian;
    private final RandomText text;
    private final ConsistencyLevel consistency;
    private final Duration timeout;
    private final AtomicLong next = new AtomicLong();

    private final PreparedStatement insertUser;
    private final PreparedStatement readUser;
    private final PreparedStatement[] updateField;
    private final PreparedStatement insertReading;
    private final PreparedStatement readLatestReadings;

    CqlWorkload(CqlSession session, StressSettings s) {
        this.kind = s.workload();
        this.batch = s.batch();
        this.readLatest = s.readLatest();
        this.devices = StressSettings.DEVICES;
        this.startMillis = System.currentTimeMillis();
        this.keys = s.keys();
        this.zipfian = kind == WorkloadKind.MIXED ? new ScrambledZipfianGenerator(s.keys()) : null;
        this.text = UserTable.newText(s.seed());
        this.consistency = DefaultConsistencyLevel.valueOf(s.consistency());
        this.timeout = s.timeout();
        String ks = s.keyspace();
        if (kind == WorkloadKind.TIMESERIES) {
            insertUser = readUser = null;
            updateField = null;
            insertReading = session.prepare("INSERT INTO " + ks + "." + TimeseriesWorkload.TABLE
                    + " (device_id, ts, value) VALUES (?, ?, ?)");
            readLatestReadings = readLatest > 0 ? session.prepare("SELECT * FROM " + ks + "." + TimeseriesWorkload.TABLE
                    + " WHERE device_id = ? LIMIT " + readLatest) : null;
        } else {
            insertReading = readLatestReadings = null;
            insertUser = insertUserStatement(session, ks);
            readUser = session.prepare("SELECT * FROM " + ks + "." + UserTable.TABLE + " WHERE y_id = ?");
            updateField = new PreparedStatement[UserTable.FIELDS];
            for (int i = 0; i < UserTable.FIELDS; i++) {
                updateField[i] = session.prepare("UPDATE " + ks + "." + UserTable.TABLE + " SET "
                        + UserTable.FIELD_NAMES[i] + " = ? WHERE y_id = ?");
            }
        }
    }

    static PreparedStatement insertUserStatement(CqlSession session, String keyspace) {
        StringBuilder cql = new StringBuilder("INSERT INTO ").append(keyspace).append('.').append(UserTable.TABLE)
                .append(" (y_id");
        for (String f : UserTable.FIELD_NAMES) {
            cql.append(", ").append(f);
        }
        cql.append(") VALUES (?");
        cql.append(", ?".repeat(UserTable.FIELDS)).append(')');
        return session.prepare(cql.toString());
    }

    /** The full row of key number {@code n}, bound to the user-table insert. */
    static Statement<?> userRow(PreparedStatement insert, long n, RandomText text, Lane lane) {
        Object[] values = new Object[UserTable.FIELDS + 1];
        values[0] = Keys.user(n);
        for (int i = 0; i < UserTable.FIELDS; i++) {
            values[i + 1] = text.randomString(UserTable.FIELD_LENGTH, lane.random);
        }
        return insert.bind(values);
    }

    Op next(Lane lane) {
        Op op = switch (kind) {
            case INGEST -> ingest(lane);
            case READ -> new Op(readUser.bind(Keys.user(lane.random.nextLong(keys))), Operation.Kind.READ, 1);
            case MIXED -> mixed(lane);
            case TIMESERIES -> timeseries(lane);
        };
        return new Op(op.statement().setConsistencyLevel(consistency).setTimeout(timeout), op.kind(), op.rows());
    }

    private Op ingest(Lane lane) {
        long first = next.getAndAdd(batch);
        if (batch == 1) {
            return new Op(userRow(insertUser, first, text, lane), Operation.Kind.WRITE, 1);
        }
        BatchStatementBuilder b = BatchStatement.builder(DefaultBatchType.UNLOGGED);
        for (int i = 0; i < batch; i++) {
            b.addStatement((com.datastax.oss.driver.api.core.cql.BatchableStatement<?>) userRow(insertUser, first + i, text, lane));
        }
        return new Op(b.build(), Operation.Kind.BULK, batch);
    }

    private Op mixed(Lane lane) {
        long n = zipfian.next(lane.random);
        if (lane.random.nextBoolean()) {
            return new Op(readUser.bind(Keys.user(n)), Operation.Kind.READ, 1);
        }
        int field = lane.random.nextInt(UserTable.FIELDS);
        return new Op(updateField[field].bind(text.randomString(UserTable.FIELD_LENGTH, lane.random), Keys.user(n)),
                Operation.Kind.WRITE, 1);
    }

    private Op timeseries(Lane lane) {
        if (readLatestReadings != null && lane.random.nextBoolean()) {
            return new Op(readLatestReadings.bind(Keys.device(lane.random.nextInt(devices))), Operation.Kind.READ, 1);
        }
        long first = next.getAndAdd(batch);
        if (batch == 1) {
            return new Op(reading(first, lane), Operation.Kind.WRITE, 1);
        }
        BatchStatementBuilder b = BatchStatement.builder(DefaultBatchType.UNLOGGED);
        for (int i = 0; i < batch; i++) {
            b.addStatement(reading(first + i, lane));
        }
        return new Op(b.build(), Operation.Kind.BULK, batch);
    }

    private com.datastax.oss.driver.api.core.cql.BoundStatement reading(long seq, Lane lane) {
        return insertReading.bind(Keys.device(seq % devices), Instant.ofEpochMilli(startMillis + seq / devices),
                Math.round(lane.random.nextDouble() * 10000) / 100.0);
    }
}
