package io.sibyl.verify.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import io.sibyl.verify.checker.CheckResult;
import io.sibyl.verify.checker.SetChecker;
import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.client.CqlResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique integers inserted at QUORUM into {@value #BUCKETS} partitions ({@code bucket = v % BUCKETS}), read
 * whole now and then at QUORUM, and once at ALL after the faults are healed.
 */
public final class SetWorkload implements Workload {
    static final int BUCKETS = 8;
    private static final String TABLE = KEYSPACE + ".set_items";
    private final AtomicLong next = new AtomicLong();
    private final int rf;

    public SetWorkload(int rf) {
        this.rf = rf;
    }

    @Override
    public String name() {
        return "set";
    }

    @Override
    public void setup(CqlClient client, String node) throws Exception {
        Schema.keyspace(client, node, rf);
        Schema.run(client, node, "CREATE TABLE IF NOT EXISTS " + TABLE + " (bucket int, v bigint, PRIMARY KEY (bucket, v))");
    }

    @Override
    public Op nextInvoke(int process, Random rnd) {
        if (rnd.nextInt(20) == 0) {
            return Op.invoke(process, "read", null, null, 0);
        }
        return Op.invoke(process, "add", null, next.getAndIncrement(), 0);
    }

    @Override
    public Op execute(CqlClient client, String node, Op invoke) {
        if (invoke.f().equals("add")) {
            long v = ((Number) invoke.value()).longValue();
            CqlResult r = client.execute(node, "INSERT INTO " + TABLE + " (bucket, v) VALUES (?, ?)",
                    List.of(v % BUCKETS, v), "QUORUM", null);
            return r.ok() ? invoke.complete(Op.Type.OK, v, 0, null) : Workload.failOrInfo(invoke, r, false);
        }
        return readAll(client, node, invoke, "QUORUM");
    }

    private Op readAll(CqlClient client, String node, Op invoke, String cl) {
        List<Long> out = new ArrayList<>();
        for (int b = 0; b < BUCKETS; b++) {
            String paging = null;
            do {
                CqlResult r = client.execute(node, "SELECT v FROM " + TABLE + " WHERE bucket = ?", List.of(b), cl, null, paging);
                if (!r.ok()) {
                    return Workload.failOrInfo(invoke, r, true);
                }
                for (JsonNode row : r.body().path("rows")) {
                    out.add(row.path("v").asLong());
                }
                JsonNode ps = r.body().path("paging_state");
                paging = ps.isTextual() ? ps.asText() : null;
            } while (paging != null);
        }
        out.sort(null);
        return invoke.complete(Op.Type.OK, out, 0, null);
    }

    @Override
    public void finalReads(CqlClient client, List<String> nodes, History history, int process) {
        FinalReads.untilOk(history, process, "final-read", null, nodes,
                (node, inv) -> readAll(client, node, inv, "ALL"));
    }

    @Override
    public List<CheckResult> check(List<Op> history) {
        return List.of(new SetChecker().check(history));
    }
}
