package io.sibyl.stress;

/**
 * What to send next. Implementations are shared by all lanes and thread-safe; per-request mutable
 * state lives in the {@link Lane}.
 *
 * <p>Requests use the REST row endpoints rather than {@code POST /v1/cql}: a PUT of one JSON row
 * or a GET by key is parsed by the server as a small JSON object or a path, while a CQL statement
 * must be lexed, parsed and bound on every request (the API has no prepared statements), which
 * would measure the CQL parser more than the storage path.
 */
public interface Workload {

    /** The table requests go to. */
    String table();

    /** {@code CREATE TABLE IF NOT EXISTS ...} for that table in the keyspace. */
    String createTableCql(String keyspace);

    /** The next request of this lane, to the given target. */
    Operation next(Lane lane, int target);

    static Workload create(StressSettings s, Endpoints endpoints) {
        return switch (s.workload()) {
            case INGEST -> new IngestWorkload(endpoints, s.batch(), s.seed());
            case READ -> new ReadWorkload(endpoints, s.keys());
            case MIXED -> new MixedWorkload(endpoints, s.keys(), s.seed());
            case TIMESERIES -> new TimeseriesWorkload(endpoints, s.batch(), s.readLatest(), StressSettings.DEVICES,
                    System.currentTimeMillis());
        };
    }
}
