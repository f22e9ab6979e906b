package io.sibyl.actors.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The replicated schema map: a schema survives the trip through entries, changes become the
 * right entry writes, a dropped keyspace's tables never come back, and two nodes that change the
 * schema concurrently end with the same schema once their maps merged (last writer wins per key,
 * as Distributed Data's LWWMap does).
 */
class SchemaEntriesTest {

    static TableMetadata table(String ks, String name, String valueType) {
        return new TableMetadata(ks, name, UUID.randomUUID(), List.of(ColumnMetadata.partitionKey("k", CqlTypes.parse("int"), 0),
                ColumnMetadata.regular("v", CqlTypes.parse(valueType))), TableParams.DEFAULT);
    }

    static KeyspaceMetadata keyspace(String name, int rf, TableMetadata... tables) {
        Map<String, TableMetadata> m = new HashMap<>();
        for (TableMetadata t : tables) m.put(t.name(), t);
        return new KeyspaceMetadata(name, Map.of("class", "SimpleStrategy", "replication_factor", String.valueOf(rf)), true, m);
    }

    /** One node's copy of the LWW map: key to (entry, timestamp, writer). */
    static final class Replica {
        record Stamped(SchemaEntry entry, long ts, int node) {}

        final int node;
        final Map<String, Stamped> map = new HashMap<>();
        long clock;

        Replica(int node) {
            this.node = node;
        }

        Schema schema() {
            Map<String, SchemaEntry> plain = new HashMap<>();
            map.forEach((k, s) -> plain.put(k, s.entry()));
            return SchemaEntries.materialize(plain);
        }

        Map<String, SchemaEntry> entries() {
            Map<String, SchemaEntry> plain = new HashMap<>();
            map.forEach((k, s) -> plain.put(k, s.entry()));
            return plain;
        }

        /** Applies a change the way SchemaKeeper does: validate on the local schema, write the diff. */
        void change(java.util.function.UnaryOperator<Schema> change) {
            Schema cur = schema();
            Schema next = change.apply(cur);
            SchemaEntries.diff(entries(), cur, next).forEach((k, e) -> {
                Stamped old = map.get(k);
                clock = Math.max(clock + 1, old == null ? 0 : old.ts() + 1);
                map.put(k, new Stamped(e, clock, node));
            });
        }

        void mergeFrom(Replica other) {
            other.map.forEach((k, s) -> map.merge(k, s, (a, b) ->
                    a.ts() != b.ts() ? (a.ts() > b.ts() ? a : b) : (a.node() <= b.node() ? a : b)));
            clock = Math.max(clock, other.clock);
        }
    }

    @Test
    void aSchemaSurvivesTheTripThroughEntries() {
        Schema s = Schema.EMPTY.with(keyspace("a", 3, table("a", "t1", "text"), table("a", "t2", "bigint")))
                .with(keyspace("b", 1));
        assertEquals(s, SchemaEntries.materialize(SchemaEntries.of(s)));
        assertEquals(s.version(), SchemaEntries.materialize(SchemaEntries.of(s)).version());
    }

    @Test
    void createAlterAndDropBecomeEntryWrites() {
        Replica r = new Replica(1);
        r.change(s -> s.with(keyspace("ks", 1)));
        TableMetadata t = table("ks", "t", "text");
        r.change(s -> s.with(s.keyspace("ks").withTable(t)));
        assertEquals(t, r.schema().table("ks", "t"));
        r.change(s -> s.with(s.keyspace("ks").withReplication(Map.of("class", "SimpleStrategy", "replication_factor", "3"), false)));
        assertEquals("3", r.schema().keyspace("ks").replication().get("replication_factor"));
        assertEquals(t, r.schema().table("ks", "t"), "altering a keyspace keeps its tables");
        r.change(s -> s.with(s.keyspace("ks").withoutTable("t")));
        assertNull(r.schema().table("ks", "t"));
        assertEquals(true, r.map.get(SchemaEntries.tableKey("ks", "t")).entry().deleted(), "a drop is a tombstone");
        r.change(s -> s.without("ks"));
        assertEquals(Schema.EMPTY, r.schema());
    }

    @Test
    void theTablesOfADroppedKeyspaceDoNotReturnWhenTheNameIsReused() {
        Replica a = new Replica(1);
        Replica b = new Replica(2);
        a.change(s -> s.with(keyspace("ks", 1, table("ks", "old", "text"))));
        b.mergeFrom(a);
        // b creates a table the drop on a has not seen, then a drops and recreates the keyspace
        b.change(s -> s.with(s.keyspace("ks").withTable(table("ks", "late", "int"))));
        a.change(s -> s.without("ks"));
        a.change(s -> s.with(keyspace("ks", 2)));
        a.mergeFrom(b);
        b.mergeFrom(a);
        assertEquals(a.schema(), b.schema());
        assertNotNull(a.schema().keyspace("ks"));
        assertEquals(Map.of(), a.schema().keyspace("ks").tables(), "no table of an earlier life: " + a.schema());
    }

    @Test
    void twoNodesCreatingTheSameKeyspaceConcurrentlyKeepBothTheirTables() {
        Replica a = new Replica(1);
        Replica b = new Replica(2);
        a.change(s -> s.with(keyspace("ks", 1)));
        b.change(s -> s.with(keyspace("ks", 1)));
        a.change(s -> s.with(s.keyspace("ks").withTable(table("ks", "ta", "text"))));
        b.change(s -> s.with(s.keyspace("ks").withTable(table("ks", "tb", "text"))));
        a.mergeFrom(b);
        b.mergeFrom(a);
        assertEquals(a.schema(), b.schema());
        assertEquals(2, a.schema().keyspace("ks").tables().size(), a.schema().toString());
    }

    @Test
    void conflictingDefinitionsOfOneTableConvergeOnOne() {
        Replica a = new Replica(1);
        Replica b = new Replica(2);
        a.change(s -> s.with(keyspace("ks", 1)));
        b.mergeFrom(a);
        a.change(s -> s.with(s.keyspace("ks").withTable(table("ks", "t", "text"))));
        b.change(s -> s.with(s.keyspace("ks").withTable(table("ks", "t", "bigint"))));
        a.mergeFrom(b);
        b.mergeFrom(a);
        assertEquals(a.schema(), b.schema());
        assertEquals(a.schema().version(), b.schema().version());
        assertNotNull(a.schema().table("ks", "t"));
    }

    // Random concurrent DDL on three nodes with random partial syncs: after a full exchange every
    // node materializes the same schema.
    @Property(tries = 200)
    void concurrentChangesConverge(@ForAll("ops") List<int[]> ops) {
        Replica[] nodes = {new Replica(1), new Replica(2), new Replica(3)};
        for (int[] op : ops) {
            Replica r = nodes[op[0]];
            String ks = "ks" + op[2];
            String t = "t" + op[3];
            switch (op[1]) {
                case 0 -> r.change(s -> s.keyspace(ks) != null ? s : s.with(keyspace(ks, 1 + op[3])));
                case 1 -> r.change(s -> s.without(ks));
                case 2 -> r.change(s -> s.keyspace(ks) == null ? s
                        : s.with(s.keyspace(ks).withTable(table(ks, t, op[3] % 2 == 0 ? "text" : "int"))));
                case 3 -> r.change(s -> s.keyspace(ks) == null ? s : s.with(s.keyspace(ks).withoutTable(t)));
                case 4 -> r.change(s -> s.keyspace(ks) == null ? s : s.with(s.keyspace(ks).withReplication(
                        Map.of("class", "SimpleStrategy", "replication_factor", String.valueOf(1 + op[3])), true)));
                default -> r.mergeFrom(nodes[op[3] % 3]);
            }
        }
        for (Replica x : nodes) for (Replica y : nodes) x.mergeFrom(y);
        for (Replica x : nodes) for (Replica y : nodes) x.mergeFrom(y);
        assertEquals(nodes[0].schema(), nodes[1].schema());
        assertEquals(nodes[0].schema(), nodes[2].schema());
        assertEquals(nodes[0].schema().version(), nodes[2].schema().version());
    }

    @Provide
    Arbitrary<List<int[]>> ops() {
        Arbitrary<int[]> op = Arbitraries.integers().between(0, 2).flatMap(node ->
                Arbitraries.integers().between(0, 6).flatMap(kind ->
                        Arbitraries.integers().between(0, 1).flatMap(ks ->
                                Arbitraries.integers().between(0, 2).map(t -> new int[] {node, kind, ks, t}))));
        return op.list().ofMaxSize(30);
    }
}
