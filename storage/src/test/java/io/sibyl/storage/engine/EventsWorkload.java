package io.sibyl.storage.engine;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Random CQL-like writes to the events table, each turned into the PartitionUpdate the CQL layer
 * would build and into the facts the {@link ReferenceModel} records. Small domains (4 partitions,
 * 4×4 clusterings, timestamps 1..6) make equal timestamps and overlapping deletions common.
 */
public final class EventsWorkload {

    /** One random operation, as small numbers so jqwik shrinks failures to readable cases. */
    public record OpSpec(int kind, int pk, int ck1, int ck2, int ts, int ttl, int value, int extra) {
    }

    public record Write(PartitionUpdate update, Consumer<ReferenceModel> model, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    static final int START = 1_000;
    static final int KINDS = 13;

    public final TableMetadata table = TestTables.events();
    private int now = START;

    public static Arbitrary<OpSpec> ops() {
        return Combinators.combine(
                Arbitraries.integers().between(0, KINDS - 1),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 6),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 4))),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 1023)).as(OpSpec::new);
    }

    public int now() {
        return now;
    }

    public List<Write> writes(List<OpSpec> specs) {
        List<Write> out = new ArrayList<>();
        for (OpSpec s : specs) {
            out.add(write(s));
        }
        return out;
    }

    Write write(OpSpec s) {
        now += s.extra() % 3;
        int at = now;
        long pk = s.pk();
        long ts = s.ts();
        ReferenceModel.CK ck = new ReferenceModel.CK(s.ck1(), s.ck2());
        Clustering clustering = Clustering.of(TestTypes.bigint(s.ck1()), TestTypes.bigint(s.ck2()));
        PartitionUpdate.Builder b = PartitionUpdate.builder(table, TestTables.key(pk));
        List<Consumer<ReferenceModel>> facts = new ArrayList<>();
        String what;
        switch (s.kind()) {
            case 0, 1 -> {
                LivenessInfo marker = LivenessInfo.create(ts, s.ttl(), at);
                List<Cell> cells = new ArrayList<>();
                cells.add(Cell.expiring("v1", null, TestTypes.bigint(s.value()), ts, s.ttl(), at));
                if ((s.extra() & 8) != 0) {
                    cells.add(Cell.expiring("v2", null, TestTypes.text("t" + s.value()), ts, s.ttl(), at));
                }
                b.add(Row.of(clustering, marker, DeletionTime.LIVE, cells, Map.of()));
                facts.add(m -> m.marker(pk, ck, marker));
                cells.forEach(c -> facts.add(m -> m.cell(pk, ck, c)));
                what = "INSERT";
            }
            case 2, 3 -> {
                Cell c = s.kind() == 2
                        ? Cell.expiring("v1", null, TestTypes.bigint(s.value()), ts, s.ttl(), at)
                        : Cell.expiring("v2", null, TestTypes.text("t" + s.value()), ts, s.ttl(), at);
                b.add(Row.of(clustering, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(c), Map.of()));
                facts.add(m -> m.cell(pk, ck, c));
                what = "UPDATE " + c.column();
            }
            case 4 -> {
                Cell c = Cell.expiring("s", null, TestTypes.bigint(s.value()), ts, s.ttl(), at);
                b.add(Row.of(Clustering.STATIC, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(c), Map.of()));
                facts.add(m -> m.cell(pk, null, c));
                what = "UPDATE static";
            }
            case 5 -> {
                Cell c = Cell.tombstone((s.extra() & 8) != 0 ? "v2" : "v1", null, ts, at);
                b.add(Row.of(clustering, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(c), Map.of()));
                facts.add(m -> m.cell(pk, ck, c));
                what = "DELETE " + c.column();
            }
            case 6 -> {
                b.add(Row.of(clustering, LivenessInfo.EMPTY, new DeletionTime(ts, at), List.of(), Map.of()));
                facts.add(m -> m.deleteRow(pk, ck, ts));
                what = "DELETE row";
            }
            case 7 -> {
                int e = s.extra() >> 3;
                Restriction r = Restriction.shape(e, s.ck1(), s.ck2(), (e & 8) != 0, (e & 16) != 0);
                b.addRangeTombstone(r.toSlice(), new DeletionTime(ts, at));
                facts.add(m -> m.deleteRange(pk, r, ts));
                what = "DELETE range " + r;
            }
            case 8 -> {
                b.deletePartition(new DeletionTime(ts, at));
                facts.add(m -> m.deletePartition(pk, ts));
                what = "DELETE partition";
            }
            case 9 -> {
                Cell c = Cell.expiring("tags", TestTypes.bigint(s.value()), new byte[0], ts, s.ttl(), at);
                b.add(Row.of(clustering, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(c), Map.of()));
                facts.add(m -> m.cell(pk, ck, c));
                what = "UPDATE tags + {" + s.value() + "}";
            }
            case 10 -> {
                Cell c = Cell.tombstone("tags", TestTypes.bigint(s.value()), ts, at);
                b.add(Row.of(clustering, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(c), Map.of()));
                facts.add(m -> m.cell(pk, ck, c));
                what = "UPDATE tags - {" + s.value() + "}";
            }
            case 11 -> {
                // SET tags = {v, v+1}: Cassandra deletes the old elements just before the new write.
                DeletionTime overwrite = new DeletionTime(ts - 1, at);
                Cell c1 = Cell.expiring("tags", TestTypes.bigint(s.value()), new byte[0], ts, s.ttl(), at);
                Cell c2 = Cell.expiring("tags", TestTypes.bigint(s.value() + 1), new byte[0], ts, s.ttl(), at);
                b.add(Row.of(clustering, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(c1, c2), Map.of("tags", overwrite)));
                facts.add(m -> m.deleteCollection(pk, ck, "tags", ts - 1));
                facts.add(m -> m.cell(pk, ck, c1));
                facts.add(m -> m.cell(pk, ck, c2));
                what = "UPDATE tags = {" + s.value() + ", " + (s.value() + 1) + "}";
            }
            default -> {
                Cell c = Cell.tombstone("s", null, ts, at);
                b.add(Row.of(Clustering.STATIC, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(c), Map.of()));
                facts.add(m -> m.cell(pk, null, c));
                what = "DELETE static";
            }
        }
        String description = what + " pk=" + pk + " ck=(" + s.ck1() + "," + s.ck2() + ") ts=" + ts
                + (s.ttl() > 0 ? " ttl=" + s.ttl() : "") + " now=" + at;
        return new Write(b.build(), m -> facts.forEach(f -> f.accept(m)), description);
    }
}
