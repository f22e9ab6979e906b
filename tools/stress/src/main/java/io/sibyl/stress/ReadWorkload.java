package io.sibyl.stress;

/** Reads one whole row by key, uniform over the loaded keys [0, keys). */
final class ReadWorkload implements Workload {

    private final Endpoints endpoints;
    private final long keys;

    ReadWorkload(Endpoints endpoints, long keys) {
        this.endpoints = endpoints;
        this.keys = keys;
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
        long n = lane.random.nextLong(keys);
        return new Operation(endpoints.get(target, Keys.user(n), 0), Operation.Kind.READ, 1);
    }
}
