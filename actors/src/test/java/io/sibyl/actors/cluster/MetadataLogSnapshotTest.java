package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.TokenAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/**
 * The metadata log's snapshot: a snapshot at epoch N plus the entries after it (those up to N removed, as
 * the coordinator does) gives the same metadata as the whole log, for a new node and for one that stopped
 * at any epoch before or after N.
 */
class MetadataLogSnapshotTest {

    /** A random accepted history: the log (by key) and the metadata after each epoch. */
    private record History(Map<String, MetadataEntry> log, List<ClusterMetadata> states) {
        ClusterMetadata last() {
            return states.get(states.size() - 1);
        }
    }

    private static History history(long seed, int ops) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ClusterMetadata m = ClusterMetadata.EMPTY;
        Map<String, MetadataEntry> log = new TreeMap<>();
        List<ClusterMetadata> states = new ArrayList<>(List.of(m));
        int nextId = 0;
        for (int i = 0; i < ops; i++) {
            MetadataEntry entry = ClusterMetadataPropertiesTest.randomEntry(m, rnd, "n" + nextId);
            nextId++;
            try {
                m = m.apply(entry);
                log.put(MetadataLog.key(entry.epoch()), entry);
                states.add(m);
            } catch (ClusterMetadata.IllegalTransitionException refused) {
                // only accepted entries are in a log
            }
        }
        return new History(log, states);
    }

    /** {@code log} after the coordinator's snapshot update at {@code epoch}: the snapshot in, entries up to it out. */
    private static Map<String, MetadataEntry> snapshotted(Map<String, MetadataEntry> log, ClusterMetadata at) {
        Map<String, MetadataEntry> out = new TreeMap<>(log);
        MetadataLog.truncatedBy(log, at.epoch()).forEach(out::remove);
        out.put(MetadataLog.SNAPSHOT_KEY, MetadataEntry.Snapshot.of(at));
        return out;
    }

    @Property(tries = 300)
    void snapshotPlusTailEqualsTheWholeLogFromAnyEpoch(@ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int ops) {
        History h = history(seed, ops);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eed);
        int n = rnd.nextInt(h.states().size());
        ClusterMetadata atN = h.states().get(n);
        Map<String, MetadataEntry> truncated = snapshotted(h.log(), atN);
        assertTrue(truncated.keySet().stream().filter(k -> !k.equals(MetadataLog.SNAPSHOT_KEY))
                .allMatch(k -> Long.parseLong(k) > atN.epoch()), "entries up to the snapshot are gone");
        ClusterMetadata whole = MetadataLog.replay(ClusterMetadata.EMPTY, h.log(), e -> {
            throw new AssertionError(e);
        });
        assertEquals(h.last(), whole);
        // a new node
        assertEquals(whole, MetadataLog.replay(ClusterMetadata.EMPTY, truncated, e -> {
            throw new AssertionError(e);
        }));
        // a node that stopped at any epoch (behind the snapshot, or after it) catches up
        int from = rnd.nextInt(h.states().size());
        ClusterMetadata stopped = h.states().get(from);
        assertEquals(whole, MetadataLog.replay(stopped, truncated, e -> {
            throw new AssertionError(e);
        }));
        // a follower that applied entries up to `from` sees the truncation as nothing changed (no rewind)
        List<Long> rewound = new ArrayList<>();
        assertEquals(whole, MetadataLog.follow(stopped, MetadataLog.upTo(h.log(), stopped.epoch()), truncated,
                e -> {
                    throw new AssertionError(e);
                }, rewound::add));
        assertTrue(rewound.isEmpty(), "a truncated entry is not a changed one");
    }

    @Test
    void aNodeDownForManyEpochsInstallsTheSnapshotAndReplaysTheRest() {
        TokenAllocator alloc = TokenAllocator.seeded(7);
        ClusterMetadata m = ClusterMetadata.EMPTY;
        Map<String, MetadataEntry> log = new TreeMap<>();
        List<ClusterMetadata> states = new ArrayList<>(List.of(m));
        for (int i = 0; i < 3; i++) {
            MetadataEntry e = new MetadataEntry.Register(m.epoch() + 1,
                    MetadataFixtures.record("a" + i, MetadataFixtures.freshTokens(m, alloc, 4), NodeStatus.NORMAL));
            m = m.apply(e);
            log.put(MetadataLog.key(e.epoch()), e);
            states.add(m);
        }
        ClusterMetadata downAt = m; // a node stops here, at epoch 3
        // ten joins and a decommission happen while it is down: 6 entries each
        for (int i = 0; i < 10; i++) {
            NodeRecord j = MetadataFixtures.record("j" + i, MetadataFixtures.freshTokens(m, alloc, 4), NodeStatus.JOINING);
            MetadataEntry e = new MetadataEntry.PrepareJoin(m.epoch() + 1, j);
            for (; e != null; e = MetadataFixtures.nextStep(m)) {
                m = m.apply(e);
                log.put(MetadataLog.key(e.epoch()), e);
            }
        }
        MetadataEntry e = new MetadataEntry.PrepareLeave(m.epoch() + 1, NodeId.of("a0"), false);
        for (; e != null; e = MetadataFixtures.nextStep(m)) {
            m = m.apply(e);
            log.put(MetadataLog.key(e.epoch()), e);
            if (m.change() != null && m.change().step() == TopologyChange.Step.STREAMING && !log.containsKey(MetadataLog.SNAPSHOT_KEY)) {
                // the coordinator snapshots mid-change: the change in progress is in the snapshot
                log = snapshotted(log, m);
            }
        }
        assertEquals(3 + 10 * 6 + 5 + 13, m.epoch(), "a leave: 5 steps and a StreamsDone of each of 13 streamers");
        MetadataEntry.Snapshot snapshot = MetadataLog.snapshot(log);
        assertTrue(snapshot.epoch() > downAt.epoch() + 50);
        assertFalse(log.containsKey(MetadataLog.key(downAt.epoch() + 1)), "the entries it missed are truncated");
        ClusterMetadata caughtUp = MetadataLog.replay(downAt, log, err -> {
            throw new AssertionError(err);
        });
        assertEquals(m, caughtUp);
        assertEquals(NodeStatus.LEFT, caughtUp.status(NodeId.of("a0")));
        assertNull(caughtUp.change());
        // without the snapshot, it would stop at the gap
        Map<String, MetadataEntry> noSnapshot = new TreeMap<>(log);
        noSnapshot.remove(MetadataLog.SNAPSHOT_KEY);
        assertEquals(downAt, MetadataLog.replay(downAt, noSnapshot, err -> { }));
    }

    @Test
    void aSnapshotIsNeverAppliedAsAnEntry() {
        ClusterMetadata m = MetadataFixtures.register(ClusterMetadata.EMPTY,
                MetadataFixtures.record("a", List.of(1L), NodeStatus.NORMAL));
        assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> m.apply(MetadataEntry.Snapshot.of(m.apply(new MetadataEntry.Register(2,
                        MetadataFixtures.record("b", List.of(2L), NodeStatus.NORMAL))))));
    }

    @Test
    void aSnapshotRoundTripsThroughTheConfiguredCborSerializer() {
        ActorTestKit kit = ActorTestKit.create("MetadataLogSnapshotTest");
        try {
            Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
            ClusterMetadata m = ClusterMetadata.EMPTY;
            m = MetadataFixtures.register(m, MetadataFixtures.record("a", List.of(-100L, 50L), NodeStatus.NORMAL));
            m = MetadataFixtures.register(m, MetadataFixtures.record("b", List.of(100L, -50L), NodeStatus.NORMAL));
            // a replace in progress: the change names the replaced node, and there was an aborted change before
            m = m.apply(new MetadataEntry.PrepareLeave(m.epoch() + 1, NodeId.of("a"), false));
            m = m.apply(new MetadataEntry.AbortChange(m.epoch() + 1, NodeId.of("a"), "operator"));
            m = m.apply(new MetadataEntry.PrepareReplace(m.epoch() + 1,
                    MetadataFixtures.record("r", List.of(100L, -50L), NodeStatus.JOINING), NodeId.of("b")));
            m = m.apply(MetadataFixtures.nextStep(m));
            MetadataEntry.Snapshot snapshot = MetadataEntry.Snapshot.of(m);
            Serializer serializer = serialization.findSerializerFor(snapshot);
            assertTrue(serializer.getClass().getName().contains("JacksonCborSerializer"), serializer.getClass().getName());
            byte[] bytes = serialization.serialize(snapshot).get();
            Object back = serialization.deserialize(bytes, serializer.identifier(),
                    Serializers.manifestFor(serializer, snapshot)).get();
            assertEquals(snapshot, back);
            assertEquals(m, ((MetadataEntry.Snapshot) back).metadata());
            assertEquals("operator", ((MetadataEntry.Snapshot) back).metadata().lastAbort());
        } finally {
            kit.shutdownTestKit();
        }
    }
}
