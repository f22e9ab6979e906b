package io.sibyl.stress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Inserts new rows: key numbers 0, 1, 2, ... across all lanes, so each key is written once per run
 * and a later read run with {@code --keys} no larger than the ingest count addresses rows that exist.
 * The partitioner hashes keys, so sequential numbers are uniform over the ring.
 */
final class IngestWorkload implements Workload {

    private final Endpoints endpoints;
    private final int batch;
    private final RandomText text;
    private final AtomicLong nextKey = new AtomicLong();

    IngestWorkload(Endpoints endpoints, int batch, long seed) {
        this.endpoints = endpoints;
        this.batch = batch;
        this.text = UserTable.newText(seed);
    }

    @Override
    public String table() {
        return UserTable.TABLE;
    }

    @Override
    public String createTableCql(String keyspace) {
        return UserTable.createTable(keyspace);
    }

    @Override
    public Operation next(Lane lane, int target) {
        StringBuilder sb = lane.freshBody();
        long first = nextKey.getAndAdd(batch);
        if (batch == 1) {
            UserTable.appendRow(sb, first, text, lane.random);
            return new Operation(endpoints.put(target, sb.toString()), Operation.Kind.WRITE, 1);
        }
        UserTable.appendRows(sb, first, batch, text, lane.random);
        return new Operation(endpoints.bulk(target, sb.toString()), Operation.Kind.BULK, batch);
    }
}
