package io.sibyl.storage.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.testutil.TestEngine;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import io.sibyl.storage.token.Murmur3Partitioner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Trees built from tables through the scan path: same data, same tree; a difference is found where it is. */
class MerkleTreeBuilderTest {

    static final TableMetadata KV = TestTables.kv();
    static final int NOW = 1_000_000;
    static final TokenSubrange RING = new TokenSubrange(Long.MIN_VALUE, Long.MIN_VALUE);

    record Write(long key, long value, long timestamp) {
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        Arbitrary<Write> w = Combinators.combine(Arbitraries.longs().between(0, 200), Arbitraries.longs(),
                Arbitraries.longs().between(1, 1000)).as(Write::new);
        return w.list().ofMinSize(0).ofMaxSize(60);
    }

    static DecoratedKey key(long k) {
        byte[] bytes = TestTypes.bigint(k);
        return new DecoratedKey(Murmur3Partitioner.token(bytes), bytes);
    }

    static PartitionUpdate put(Write w) {
        return PartitionUpdate.builder(KV, key(w.key()))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.create(w.timestamp(), 0, NOW), DeletionTime.LIVE,
                        List.of(Cell.live("v", TestTypes.bigint(w.value()), w.timestamp())), Map.of()))
                .build();
    }

    static PartitionUpdate deleteRow(long k, long timestamp) {
        return PartitionUpdate.builder(KV, key(k))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.EMPTY, new DeletionTime(timestamp, NOW), List.of(), Map.of()))
                .build();
    }

    static TableStore table(List<PartitionUpdate> updates) {
        TableStore t = TestEngine.freshTable(KV);
        updates.forEach(t::apply);
        return t;
    }

    static List<PartitionUpdate> puts(List<Write> writes) {
        return writes.stream().map(MerkleTreeBuilderTest::put).toList();
    }

    @Property(tries = 50)
    void equalDataGivesEqualTreesWhateverTheWriteOrder(@ForAll("writes") List<Write> writes,
                                                       @ForAll @IntRange(min = 0, max = 10) int depth,
                                                       @ForAll long seed) {
        List<PartitionUpdate> shuffled = new ArrayList<>(puts(writes));
        Collections.shuffle(shuffled, new Random(seed));
        // The second replica also saw every write twice (a retried write must not change anything).
        List<PartitionUpdate> twice = new ArrayList<>(shuffled);
        twice.addAll(puts(writes));
        MerkleTree a = MerkleTreeBuilder.build(table(puts(writes)), RING, depth, NOW);
        MerkleTree b = MerkleTreeBuilder.build(table(twice), RING, depth, NOW);
        assertArrayEquals(a.root(), b.root());
        assertEquals(List.of(), a.difference(b));
    }

    @Property(tries = 50)
    void oneDifferingPartitionDiffersInExactlyItsLeaf(@ForAll("writes") List<Write> writes,
                                                      @ForAll @IntRange(min = 0, max = 12) int depth,
                                                      @ForAll @IntRange(min = 0, max = 200) int extraKey,
                                                      @ForAll long extraValue) {
        List<PartitionUpdate> more = new ArrayList<>(puts(writes));
        // Newer than anything generated, so it changes the partition whatever was there.
        more.add(put(new Write(extraKey, extraValue, 5000)));
        MerkleTree a = MerkleTreeBuilder.build(table(puts(writes)), RING, depth, NOW);
        MerkleTree b = MerkleTreeBuilder.build(table(more), RING, depth, NOW);
        int leaf = a.leafOf(key(extraKey).token());
        assertEquals(List.of(a.leafRange(leaf)), a.difference(b));
        assertFalse(java.util.Arrays.equals(a.root(), b.root()));
    }

    @Property(tries = 50)
    void aTombstoneChangesTheHash(@ForAll("writes") List<Write> writes,
                                  @ForAll @IntRange(min = 0, max = 200) int deletedKey,
                                  @ForAll boolean wholePartition) {
        List<PartitionUpdate> withDelete = new ArrayList<>(puts(writes));
        withDelete.add(wholePartition
                ? PartitionUpdate.partitionDeletion(KV, key(deletedKey), new DeletionTime(5000, NOW))
                : deleteRow(deletedKey, 5000));
        MerkleTree a = MerkleTreeBuilder.build(table(puts(writes)), RING, 6, NOW);
        MerkleTree b = MerkleTreeBuilder.build(table(withDelete), RING, 6, NOW);
        // Even for a key that had no data, the tombstone itself is data a replica must receive.
        assertEquals(List.of(a.leafRange(a.leafOf(key(deletedKey).token()))), a.difference(b));
    }

    @Test
    void memtablesAndSSTablesHashLikeOneMemtable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        List<Write> writes = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 400; i++) {
            writes.add(new Write(random.nextInt(150), random.nextLong(), 1 + random.nextInt(1000)));
        }
        List<PartitionUpdate> updates = new ArrayList<>(puts(writes));
        updates.add(deleteRow(3, 2000));
        updates.add(PartitionUpdate.partitionDeletion(KV, key(4), new DeletionTime(2000, NOW)));
        MerkleTree inMemory = MerkleTreeBuilder.build(table(updates), RING, 8, NOW);

        io.sibyl.storage.engine.StorageEngine engine = io.sibyl.storage.engine.StorageEngine.open(dir,
                io.sibyl.storage.engine.StorageSettings.defaults(), id -> id.equals(KV.id()) ? KV : null,
                io.sibyl.storage.testutil.TestStreams.materializer());
        try {
            engine.createTable(KV);
            TableStore onDisk = engine.table(KV.id());
            // A third of the data in each of two SSTables, the rest in the memtable; overlapping keys.
            for (int i = 0; i < updates.size(); i++) {
                onDisk.apply(updates.get(i));
                if (i == updates.size() / 3 || i == 2 * updates.size() / 3) {
                    engine.flush(KV.id()).toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            assertEquals(2, onDisk.sstables().size());
            MerkleTree mixed = MerkleTreeBuilder.build(onDisk, RING, 8, NOW);
            assertArrayEquals(inMemory.root(), mixed.root());
        } finally {
            engine.close();
        }
    }

    @Test
    void aSubrangeTreeSeesOnlyItsPartitions() {
        List<Write> writes = new ArrayList<>();
        for (long k = 0; k < 300; k++) {
            writes.add(new Write(k, k, 1));
        }
        // A range wrapping around the end of the ring, and a key outside it changed on one side.
        TokenSubrange range = new TokenSubrange(Long.MAX_VALUE / 2, Long.MIN_VALUE / 2);
        long outside = -1;
        long inside = -1;
        for (long k = 0; k < 300 && (outside < 0 || inside < 0); k++) {
            if (range.contains(key(k).token())) {
                inside = inside < 0 ? k : inside;
            } else {
                outside = outside < 0 ? k : outside;
            }
        }
        List<PartitionUpdate> changedOutside = new ArrayList<>(puts(writes));
        changedOutside.add(put(new Write(outside, 42, 5000)));
        MerkleTree a = MerkleTreeBuilder.build(table(puts(writes)), range, 8, NOW);
        assertEquals(List.of(), a.difference(MerkleTreeBuilder.build(table(changedOutside), range, 8, NOW)));
        List<PartitionUpdate> changedInside = new ArrayList<>(puts(writes));
        changedInside.add(put(new Write(inside, 42, 5000)));
        MerkleTree c = MerkleTreeBuilder.build(table(changedInside), range, 8, NOW);
        assertEquals(List.of(a.leafRange(a.leafOf(key(inside).token()))), a.difference(c));
    }
}
