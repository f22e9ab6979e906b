package io.sibyl.verify.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import io.sibyl.verify.checker.BankChecker;
import io.sibyl.verify.checker.CheckResult;
import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.client.CqlResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Accounts in one partition (a clustering row each), since a conditional batch may span only one partition
 * (docs/api.md). A {@code transfer} reads both balances at SERIAL, then applies a conditional batch that
 * sets both new balances if neither changed meanwhile ({@code applied = false}: a fail). A {@code read} is
 * a SELECT of the partition at SERIAL; every one must show the same total, no balance negative.
 */
public final class BankWorkload implements Workload {
    private static final String TABLE = KEYSPACE + ".bank";
    private final int rf;
    private final int accounts;
    private final long initialBalance;

    public BankWorkload(int rf, int accounts, long initialBalance) {
        this.rf = rf;
        this.accounts = accounts;
        this.initialBalance = initialBalance;
    }

    @Override
    public String name() {
        return "bank";
    }

    @Override
    public void setup(CqlClient client, String node) throws Exception {
        Schema.keyspace(client, node, rf);
        Schema.run(client, node, "CREATE TABLE IF NOT EXISTS " + TABLE + " (p int, acct int, balance bigint, PRIMARY KEY (p, acct))");
        for (int a = 0; a < accounts; a++) {
            Schema.run(client, node, "INSERT INTO " + TABLE + " (p, acct, balance) VALUES (0, ?, ?) IF NOT EXISTS",
                    List.of(a, initialBalance), "QUORUM", "SERIAL");
        }
    }

    @Override
    public Op nextInvoke(int process, Random rnd) {
        if (rnd.nextInt(3) == 0) {
            return Op.invoke(process, "read", null, null, 0);
        }
        int from = rnd.nextInt(accounts);
        int to = (from + 1 + rnd.nextInt(accounts - 1)) % accounts;
        return Op.invoke(process, "transfer", null, Map.of("from", from, "to", to, "amount", 1 + rnd.nextInt(5)), 0);
    }

    @Override
    public Op execute(CqlClient client, String node, Op invoke) {
        CqlResult read = client.execute(node, "SELECT acct, balance FROM " + TABLE + " WHERE p = 0", List.of(), "SERIAL", null);
        if (!read.ok()) {
            return invoke.complete(Op.Type.FAIL, null, 0, "read: " + read.describe());
        }
        Map<String, Long> balances = new TreeMap<>();
        for (JsonNode row : read.body().path("rows")) {
            balances.put(row.path("acct").asText(), row.path("balance").isNull() ? null : row.path("balance").asLong());
        }
        if (invoke.f().equals("read")) {
            return invoke.complete(Op.Type.OK, balances, 0, null);
        }
        Map<?, ?> t = (Map<?, ?>) invoke.value();
        String from = String.valueOf(t.get("from"));
        String to = String.valueOf(t.get("to"));
        long amount = ((Number) t.get("amount")).longValue();
        Long fromBalance = balances.get(from);
        Long toBalance = balances.get(to);
        if (fromBalance == null || toBalance == null || fromBalance < amount) {
            return invoke.complete(Op.Type.FAIL, null, 0, "insufficient funds or missing account: " + balances);
        }
        List<Object> values = new ArrayList<>(List.of(fromBalance - amount, Integer.parseInt(from), fromBalance,
                toBalance + amount, Integer.parseInt(to), toBalance));
        CqlResult r = client.execute(node, "BEGIN BATCH "
                + "UPDATE " + TABLE + " SET balance = ? WHERE p = 0 AND acct = ? IF balance = ?; "
                + "UPDATE " + TABLE + " SET balance = ? WHERE p = 0 AND acct = ? IF balance = ?; "
                + "APPLY BATCH", values, "QUORUM", "SERIAL");
        if (!r.ok()) {
            return Workload.failOrInfo(invoke, r, false);
        }
        return r.applied() ? invoke.complete(Op.Type.OK, null, 0, null) : invoke.complete(Op.Type.FAIL, null, 0, "not applied");
    }

    @Override
    public void finalReads(CqlClient client, List<String> nodes, History history, int process) {
        FinalReads.untilOk(history, process, "read", null, nodes, (node, inv) -> execute(client, node, inv));
    }

    @Override
    public List<CheckResult> check(List<Op> history) {
        return List.of(new BankChecker(accounts, accounts * initialBalance).check(history));
    }
}
