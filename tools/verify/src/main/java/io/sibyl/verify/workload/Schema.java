package io.sibyl.verify.workload;

import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.client.CqlResult;
import java.util.List;

/** Schema statements with retries: DDL waits for schema agreement and may time out while nodes start. */
final class Schema {
    private Schema() {
    }

    static void keyspace(CqlClient client, String node, int rf) throws InterruptedException {
        run(client, node, "CREATE KEYSPACE IF NOT EXISTS " + Workload.KEYSPACE
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + rf + "}");
    }

    static CqlResult run(CqlClient client, String node, String statement) throws InterruptedException {
        return run(client, node, statement, List.of(), "QUORUM", null);
    }

    static CqlResult run(CqlClient client, String node, String statement, List<?> values, String cl, String serial)
            throws InterruptedException {
        CqlResult last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            last = client.execute(node, statement, values, cl, serial);
            if (last.ok()) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("set-up statement failed 30 times (" + last.describe() + ", " + last.body() + "): " + statement);
    }
}
