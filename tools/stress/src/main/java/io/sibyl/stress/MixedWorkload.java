package io.sibyl.stress;

/** YCSB workload A: 50% whole-row reads, 50% updates of one field, scrambled-zipfian over loaded keys. */
final class MixedWorkload implements Workload {

    private final Endpoints endpoints;
    private final ScrambledZipfianGenerator keys;
    private final RandomText text;

    MixedWorkload(Endpoints endpoints, long keys, long seed) {
        this.endpoints = endpoints;
        this.keys = new ScrambledZipfianGenerator(keys);
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
        long n = keys.next(lane.random);
        if (lane.random.nextBoolean()) {
            return new Operation(endpoints.get(target, Keys.user(n), 0), Operation.Kind.READ, 1);
        }
        StringBuilder sb = lane.freshBody();
        UserTable.appendFieldUpdate(sb, n, lane.random.nextInt(UserTable.FIELDS), text, lane.random);
        return new Operation(endpoints.put(target, sb.toString()), Operation.Kind.WRITE, 1);
    }
}
