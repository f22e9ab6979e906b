package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.ast.Using;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.schema.TableMetadata;

/**
 * The write timestamp (µs), TTL (seconds, 0 = none) and "now" (seconds) of one statement.
 * Precedence of the timestamp: USING TIMESTAMP, then the batch's, then the request's, then the clock.
 * TTL: USING TTL (0 removes the table default), else the table's default_time_to_live.
 */
record WriteOptions(long timestamp, int ttl, int nowInSec) {

    /** Cassandra's MAX_TTL: 20 years. */
    static final int MAX_TTL = 20 * 365 * 24 * 60 * 60;

    static WriteOptions of(Using using, TermBinder binder, TableMetadata table, Long batchTimestamp,
                           Long requestTimestamp, MicrosClock clock) {
        Integer ttl = using.ttl() == null ? null : binder.bindInt(using.ttl(), "ttl");
        Long ts = null;
        if (using.timestamp() != null) {
            if (batchTimestamp != null) {
                throw new InvalidRequestException("Timestamp must be set either on BATCH or individual statements");
            }
            ts = binder.bindLong(using.timestamp(), "timestamp");
        }
        if (ts == null) {
            ts = batchTimestamp;
        }
        return of(table, ttl, ts != null ? ts : requestTimestamp, clock);
    }

    /** For REST rows: explicit ttl/timestamp or null. */
    static WriteOptions of(TableMetadata table, Integer ttl, Long timestamp, MicrosClock clock) {
        int effectiveTtl;
        if (ttl != null) {
            validateTtl(ttl);
            effectiveTtl = ttl;
        } else {
            effectiveTtl = table.params().defaultTimeToLive();
        }
        if (timestamp != null && timestamp == Long.MIN_VALUE) {
            throw new InvalidRequestException("Invalid timestamp " + timestamp);
        }
        long ts = timestamp != null ? timestamp : clock.nextMicros();
        return new WriteOptions(ts, effectiveTtl, clock.nowInSeconds());
    }

    static void validateTtl(int ttl) {
        if (ttl < 0) {
            throw new InvalidRequestException("A TTL must be greater or equal to 0, but was " + ttl);
        }
        if (ttl > MAX_TTL) {
            throw new InvalidRequestException("ttl is too large. requested (" + ttl + ") maximum (" + MAX_TTL + ")");
        }
    }

    LivenessInfo liveness() {
        return LivenessInfo.create(timestamp, ttl, nowInSec);
    }

    DeletionTime deletion() {
        return new DeletionTime(timestamp, nowInSec);
    }
}
