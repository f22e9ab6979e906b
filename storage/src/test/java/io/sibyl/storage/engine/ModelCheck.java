package io.sibyl.storage.engine;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.FilteredPartition;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs a battery of reads against the engine and the reference model and compares them. */
final class ModelCheck {

    /** pk 0..3 in ring order: token(pk) = (pk mod 3) * 1000 - 1000, ties by key bytes. */
    static final List<Long> RING_ORDER = List.of(0L, 3L, 1L, 2L);

    private ModelCheck() {
    }

    /** Runs one read on the engine side (a store, or a list of sources). */
    interface Engine {
        ReadResult read(SinglePartitionReadCommand c);

        ReadResult scan(PartitionRangeReadCommand c);

        static Engine of(List<? extends PartitionSource> sources) {
            return new Engine() {
                @Override
                public ReadResult read(SinglePartitionReadCommand c) {
                    return c.execute(sources);
                }

                @Override
                public ReadResult scan(PartitionRangeReadCommand c) {
                    return c.execute(sources);
                }
            };
        }
    }

    static void check(TableMetadata table, Engine engine, ReferenceModel model, int lastNow, long seed, Object context) {
        Random rnd = new Random(seed);
        for (int now : new int[]{lastNow, lastNow + 3}) {
            for (long pk : RING_ORDER) {
                for (boolean reversed : new boolean[]{false, true}) {
                    single(table, engine, model, pk, List.of(), reversed, DataLimits.NO_LIMIT, DataLimits.NO_LIMIT, now, context);
                }
            }
            for (int i = 0; i < 25; i++) {
                long pk = RING_ORDER.get(rnd.nextInt(4));
                List<Restriction> rs = new ArrayList<>();
                int n = rnd.nextInt(3);
                for (int j = 0; j < n; j++) {
                    rs.add(Restriction.shape(rnd.nextInt(8), rnd.nextInt(4), rnd.nextInt(4), rnd.nextBoolean(), rnd.nextBoolean()));
                }
                int limit = pickLimit(rnd);
                int ppl = pickLimit(rnd);
                single(table, engine, model, pk, rs, rnd.nextBoolean(), limit, ppl, now, context);
            }
            for (int i = 0; i < 8; i++) {
                boolean reversed = rnd.nextBoolean();
                int limit = pickLimit(rnd);
                int ppl = pickLimit(rnd);
                List<Restriction> rs = rnd.nextInt(3) == 0
                        ? List.of(Restriction.shape(rnd.nextInt(8), rnd.nextInt(4), rnd.nextInt(4), rnd.nextBoolean(), rnd.nextBoolean()))
                        : List.of();
                scan(table, engine, model, KeyRange.all(), RING_ORDER, rs, reversed, limit, ppl, now, context);
                // token(pk) > -1000 AND token(pk) <= 0: just pks 1 (token 0).
                scan(table, engine, model, KeyRange.tokens(-1000, 0), List.of(1L), rs, reversed, limit, ppl, now, context);
                // Paging on from pk 0 (exclusive) to the end: 3, 1, 2.
                scan(table, engine, model, KeyRange.fromKey(TestTables.key(0), false, Long.MIN_VALUE), List.of(3L, 1L, 2L),
                        rs, reversed, limit, ppl, now, context);
            }
        }
    }

    private static int pickLimit(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 2;
            case 2 -> 3;
            default -> DataLimits.NO_LIMIT;
        };
    }

    private static ClusteringFilter filter(List<Restriction> rs, boolean reversed) {
        List<Slice> slices = rs.isEmpty() ? List.of(Slice.ALL) : rs.stream().map(Restriction::toSlice).toList();
        return ClusteringFilter.slices(slices, reversed);
    }

    static void single(TableMetadata table, Engine engine, ReferenceModel model, long pk, List<Restriction> rs,
                       boolean reversed, int limit, int ppl, int now, Object context) {
        ReadResult r = engine.read(new SinglePartitionReadCommand(table, TestTables.key(pk), filter(rs, reversed), now,
                new DataLimits(limit, ppl)));
        List<ReferenceModel.Expected> expected = model.read(List.of(pk), rs, reversed, limit, ppl, now);
        assertEquals(expected, actual(r), () -> "read pk=" + pk + " " + rs + " reversed=" + reversed + " limit=" + limit
                + " ppl=" + ppl + " now=" + now + "\nafter " + context);
    }

    static void scan(TableMetadata table, Engine engine, ReferenceModel model, KeyRange range, List<Long> pks,
                     List<Restriction> rs, boolean reversed, int limit, int ppl, int now, Object context) {
        ReadResult r = engine.scan(new PartitionRangeReadCommand(table, range, filter(rs, reversed), now,
                new DataLimits(limit, ppl)));
        List<ReferenceModel.Expected> expected = model.read(pks, rs, reversed, limit, ppl, now);
        assertEquals(expected, actual(r), () -> "scan " + range + " " + rs + " reversed=" + reversed + " limit=" + limit
                + " ppl=" + ppl + " now=" + now + "\nafter " + context);
    }

    static List<ReferenceModel.Expected> actual(ReadResult r) {
        List<ReferenceModel.Expected> out = new ArrayList<>();
        for (FilteredPartition p : r.filtered()) {
            List<ReferenceModel.ModelRow> rows = new ArrayList<>();
            for (Row row : p.rows()) {
                ReferenceModel.CK ck = new ReferenceModel.CK(TestTypes.bigint(row.clustering().get(0)),
                        TestTypes.bigint(row.clustering().get(1)));
                rows.add(new ReferenceModel.ModelRow(ck, cells(row), true));
            }
            out.add(new ReferenceModel.Expected(TestTypes.bigint(p.key().key()), p.isStaticOnly(), cells(p.staticRow()), rows));
        }
        return out;
    }

    private static TreeMap<String, String> cells(Row row) {
        TreeMap<String, String> m = new TreeMap<>();
        for (Cell c : row.cells()) {
            m.put(ReferenceModel.slot(c), ReferenceModel.describe(c));
        }
        return m;
    }

}
