package io.sibyl.stress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One reading per request for {@code devices} devices. Reading {@code s} goes to device
 * {@code s % devices} at {@code start + s / devices} ms, so every (device, ts) is new and each device's
 * clock moves forward. With {@code --read-latest N}, half the requests read a random device's latest
 * N readings instead (the clustering order is DESC, so that is a LIMIT N partition read).
 */
final class TimeseriesWorkload implements Workload {

    static final String TABLE = "readings";

    private final Endpoints endpoints;
    private final int batch;
    private final int readLatest;
    private final int devices;
    private final long startMillis;
    private final AtomicLong sequence = new AtomicLong();

    TimeseriesWorkload(Endpoints endpoints, int batch, int readLatest, int devices, long startMillis) {
        this.endpoints = endpoints;
        this.batch = batch;
        this.readLatest = readLatest;
        this.devices = devices;
        this.startMillis = startMillis;
    }

    static String createTable(String keyspace) {
        return "CREATE TABLE IF NOT EXISTS " + keyspace + "." + TABLE
                + " (device_id text, ts timestamp, value double, PRIMARY KEY ((device_id), ts))"
                + " WITH CLUSTERING ORDER BY (ts DESC)";
    }

    @Override
    public String table() {
        return TABLE;
    }

    @Override
    public String createTableCql(String keyspace) {
        return createTable(keyspace);
    }

    @Override
    public Operation next(Lane lane, int target) {
        if (readLatest > 0 && lane.random.nextBoolean()) {
            String device = Keys.device(lane.random.nextInt(devices));
            return new Operation(endpoints.get(target, device, readLatest), Operation.Kind.READ, 1);
        }
        StringBuilder sb = lane.freshBody();
        long first = sequence.getAndAdd(batch);
        if (batch == 1) {
            appendReading(sb, first, lane);
            return new Operation(endpoints.put(target, sb.toString()), Operation.Kind.WRITE, 1);
        }
        for (int i = 0; i < batch; i++) {
            appendReading(sb, first + i, lane);
            sb.append('\n');
        }
        return new Operation(endpoints.bulk(target, sb.toString()), Operation.Kind.BULK, batch);
    }

    /** Timestamps go as epoch milliseconds (docs/api.md allows them in values), cheaper than ISO-8601 to parse. */
    private void appendReading(StringBuilder sb, long seq, Lane lane) {
        sb.append("{\"device_id\":\"");
        Keys.appendDevice(sb, seq % devices);
        sb.append("\",\"ts\":").append(startMillis + seq / devices)
                .append(",\"value\":").append(Math.round(lane.random.nextDouble() * 10000) / 100.0).append('}');
    }
}
