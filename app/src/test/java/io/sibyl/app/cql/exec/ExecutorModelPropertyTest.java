package io.sibyl.app.cql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Model-based: random INSERT / UPDATE / DELETE (cell, row, range, partition) statements through the
 * CQL executors and through a plain in-memory model, then every kind of SELECT compared.
 */
class ExecutorModelPropertyTest {

    /** One random statement; {@code a}/{@code b} are clustering bounds, {@code v} a value or null. */
    record Op(int kind, int k, int c, Integer v, int a, int b) {
        String cql() {
            return switch (kind) {
                case 0 -> "INSERT INTO ks.t (k, c, v) VALUES (" + k + ", " + c + ", " + v + ")";
                case 1 -> "UPDATE ks.t SET v = " + v + " WHERE k = " + k + " AND c = " + c;
                case 2 -> "DELETE FROM ks.t WHERE k = " + k + " AND c = " + c;
                case 3 -> "DELETE FROM ks.t WHERE k = " + k + " AND c >= " + Math.min(a, b) + " AND c < " + Math.max(a, b);
                case 4 -> "DELETE FROM ks.t WHERE k = " + k;
                case 5 -> "DELETE v FROM ks.t WHERE k = " + k + " AND c = " + c;
                default -> "DELETE FROM ks.t WHERE k = " + k + " AND c > " + a;
            };
        }
    }

    /** A row of the model: the INSERT marker and the value. */
    static final class ModelRow {
        boolean marker;
        Integer v;

        boolean exists() {
            return marker || v != null;
        }
    }

    static final class Model {
        final Map<Integer, TreeMap<Integer, ModelRow>> partitions = new TreeMap<>();

        void apply(Op op) {
            TreeMap<Integer, ModelRow> p = partitions.computeIfAbsent(op.k(), x -> new TreeMap<>());
            switch (op.kind()) {
                case 0 -> {
                    ModelRow r = p.computeIfAbsent(op.c(), x -> new ModelRow());
                    r.marker = true;
                    r.v = op.v();
                }
                case 1 -> p.computeIfAbsent(op.c(), x -> new ModelRow()).v = op.v();
                case 2 -> p.remove(op.c());
                case 3 -> p.subMap(Math.min(op.a(), op.b()), true, Math.max(op.a(), op.b()), false).clear();
                case 4 -> p.clear();
                case 5 -> {
                    ModelRow r = p.get(op.c());
                    if (r != null) {
                        r.v = null;
                    }
                }
                default -> p.tailMap(op.a(), false).clear();
            }
        }

        List<Map<String, Object>> partition(int k, boolean reversed, int from, int to) {
            List<Map<String, Object>> out = new ArrayList<>();
            TreeMap<Integer, ModelRow> p = partitions.getOrDefault(k, new TreeMap<>());
            var view = p.subMap(from, true, to, true);
            for (var e : (reversed ? view.descendingMap() : view).entrySet()) {
                if (e.getValue().exists()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("k", k);
                    row.put("c", e.getKey());
                    row.put("v", e.getValue().v);
                    out.add(row);
                }
            }
            return out;
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(-5, 5).injectNull(0.2),
                Arbitraries.integers().between(0, 10),
                Arbitraries.integers().between(0, 10)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 40)
    void selectsAgreeWithTheModel(@ForAll("ops") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("sibyl-model");
        try {
            TestDb db = new TestDb(dir);
            db.keyspace("ks");
            db.table("CREATE TABLE ks.t (k int, c int, v int, PRIMARY KEY (k, c))");
            Model model = new Model();
            for (Op op : ops) {
                db.exec(op.cql());
                model.apply(op);
            }
            List<Map<String, Object>> everything = new ArrayList<>();
            for (int k = 0; k <= 4; k++) {
                List<Map<String, Object>> expected = model.partition(k, false, 0, 9);
                everything.addAll(expected);
                assertEquals(expected, db.rows("SELECT k, c, v FROM ks.t WHERE k = ?", k), "partition " + k);
                assertEquals(model.partition(k, true, 0, 9),
                        db.rows("SELECT k, c, v FROM ks.t WHERE k = ? ORDER BY c DESC", k));
                assertEquals(model.partition(k, false, 3, 6),
                        db.rows("SELECT k, c, v FROM ks.t WHERE k = ? AND c >= 3 AND c <= 6", k));
                assertEquals(model.partition(k, true, 3, 6),
                        db.allPages("SELECT k, c, v FROM ks.t WHERE k = " + k + " AND c >= 3 AND c <= 6 ORDER BY c DESC",
                                2, null));
            }
            Comparator<Map<String, Object>> byKey = Comparator.comparing((Map<String, Object> r) -> (Integer) r.get("k"))
                    .thenComparing(r -> (Integer) r.get("c"));
            List<Map<String, Object>> scanned = new ArrayList<>(db.allPages("SELECT k, c, v FROM ks.t", 3, null));
            scanned.sort(byKey);
            assertEquals(everything, scanned);
            assertEquals((long) everything.size(), db.rows("SELECT count(*) FROM ks.t").get(0).get("count"));
            List<Map<String, Object>> in = db.allPages("SELECT k, c, v FROM ks.t WHERE k IN (4, 1)", 4, null);
            List<Map<String, Object>> expectedIn = new ArrayList<>(model.partition(4, false, 0, 9));
            expectedIn.addAll(model.partition(1, false, 0, 9));
            assertEquals(expectedIn, in);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
