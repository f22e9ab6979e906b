package io.sibyl.verify.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import io.sibyl.verify.checker.CheckResult;
import io.sibyl.verify.checker.LinearizabilityChecker;
import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.client.CqlResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compare-and-set registers with lightweight transactions: {@code read} is a SELECT at SERIAL, {@code cas}
 * an {@code UPDATE .. IF v = ?} (from no value: {@code INSERT .. IF NOT EXISTS}); {@code applied = false} is a
 * fail (the op did not take effect). Clients work on {@code keys} registers at a time and move to fresh keys
 * every {@value #OPS_PER_KEY} ops per key, as Jepsen's independent keys do, so each key's history stays small
 * enough for the linearizability search.
 */
public final class RegisterWorkload implements Workload {
    static final int OPS_PER_KEY = 150;
    private static final String TABLE = KEYSPACE + ".registers";
    private final int rf;
    private final int keys;
    private final Duration checkBudget;
    private final String readConsistency;
    private final AtomicLong issued = new AtomicLong();

    /** {@code readConsistency} SERIAL; ONE only to show the checker catching the stale reads it allows. */
    public RegisterWorkload(int rf, int keys, Duration checkBudget, String readConsistency) {
        this.rf = rf;
        this.keys = keys;
        this.checkBudget = checkBudget;
        this.readConsistency = readConsistency;
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public void setup(CqlClient client, String node) throws Exception {
        Schema.keyspace(client, node, rf);
        Schema.run(client, node, "CREATE TABLE IF NOT EXISTS " + TABLE + " (k bigint PRIMARY KEY, v bigint)");
    }

    @Override
    public Op nextInvoke(int process, Random rnd) {
        long generation = issued.getAndIncrement() / ((long) OPS_PER_KEY * keys);
        String key = String.valueOf(generation * keys + rnd.nextInt(keys));
        if (rnd.nextBoolean()) {
            return Op.invoke(process, "read", key, null, 0);
        }
        Long expected = rnd.nextInt(8) == 0 ? null : (long) rnd.nextInt(5);
        return Op.invoke(process, "cas", key, Arrays.asList(expected, (long) rnd.nextInt(5)), 0);
    }

    @Override
    public Op execute(CqlClient client, String node, Op invoke) {
        long k = Long.parseLong(invoke.key());
        if (invoke.f().equals("read")) {
            CqlResult r = client.execute(node, "SELECT v FROM " + TABLE + " WHERE k = ?", List.of(k), readConsistency, null);
            if (!r.ok()) {
                return Workload.failOrInfo(invoke, r, true);
            }
            JsonNode rows = r.body().path("rows");
            Long v = rows.isEmpty() || rows.get(0).path("v").isNull() ? null : rows.get(0).path("v").asLong();
            return invoke.complete(Op.Type.OK, v, 0, null);
        }
        List<?> cas = (List<?>) invoke.value();
        Long expected = (Long) cas.get(0);
        long value = (Long) cas.get(1);
        CqlResult r = expected == null
                ? client.execute(node, "INSERT INTO " + TABLE + " (k, v) VALUES (?, ?) IF NOT EXISTS", List.of(k, value), "QUORUM", "SERIAL")
                : client.execute(node, "UPDATE " + TABLE + " SET v = ? WHERE k = ? IF v = ?", List.of(value, k, expected), "QUORUM", "SERIAL");
        if (!r.ok()) {
            return Workload.failOrInfo(invoke, r, false);
        }
        return r.applied() ? invoke.complete(Op.Type.OK, invoke.value(), 0, null)
                : invoke.complete(Op.Type.FAIL, null, 0, "not applied");
    }

    @Override
    public void finalReads(CqlClient client, List<String> nodes, History history, int process) {
        // The linearizability check needs no final read: every read during the run is checked.
    }

    @Override
    public List<CheckResult> check(List<Op> history) {
        return List.of(new LinearizabilityChecker(checkBudget).check(history));
    }

    /** For tests and reports: the keys the history touched. */
    static List<String> keysOf(List<Op> history) {
        List<String> out = new ArrayList<>();
        history.stream().map(Op::key).filter(k -> k != null && !out.contains(k)).forEach(out::add);
        return out;
    }
}
