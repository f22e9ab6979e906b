package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.TokenAllocator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Model-based: random operations (each turned into the entry an operator or the coordinator might
 * append, legal or not) applied to the metadata. Accepted entries advance the epoch by one, refused
 * ones change nothing, the invariants hold at every epoch, and a node that replays the accepted log
 * from any earlier epoch (a node that was down) reaches the same metadata.
 */
class ClusterMetadataPropertiesTest {

    private static final TokenAllocator ALLOC = TokenAllocator.seeded(42);

    @Property(tries = 300)
    void acceptedEntriesAdvanceOneEpochAndInvariantsHold(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int ops) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ClusterMetadata m = ClusterMetadata.EMPTY;
        List<MetadataEntry> log = new ArrayList<>();
        List<ClusterMetadata> history = new ArrayList<>(List.of(m));
        int nextId = 0;
        for (int i = 0; i < ops; i++) {
            MetadataEntry entry = randomEntry(m, rnd, "n" + nextId);
            if (entry instanceof MetadataEntry.Register || entry instanceof MetadataEntry.PrepareJoin
                    || entry instanceof MetadataEntry.PrepareReplace) {
                nextId++;
            }
            ClusterMetadata before = m;
            try {
                m = m.apply(entry);
                assertEquals(before.epoch() + 1, m.epoch());
                log.add(entry);
                history.add(m);
            } catch (ClusterMetadata.IllegalTransitionException refused) {
                assertNotNull(refused.getMessage());
                assertEquals(before, m, "a refused entry changes nothing");
            }
            checkInvariants(m);
        }
        // A node that stopped at any epoch catches up by applying the rest in order.
        int from = rnd.nextInt(history.size());
        ClusterMetadata caughtUp = history.get(from);
        for (MetadataEntry e : log.subList(from, log.size())) {
            caughtUp = caughtUp.apply(e);
        }
        assertEquals(m, caughtUp);
        // Replaying an entry twice, or skipping one, is refused.
        if (!log.isEmpty()) {
            ClusterMetadata end = m;
            MetadataEntry last = log.get(log.size() - 1);
            assertThrowsIllegal(() -> end.apply(last));
        }
    }

    private static void assertThrowsIllegal(Runnable r) {
        try {
            r.run();
        } catch (ClusterMetadata.IllegalTransitionException expected) {
            return;
        }
        throw new AssertionError("expected the entry to be refused");
    }

    static MetadataEntry randomEntry(ClusterMetadata m, SplittableRandom rnd, String freshId) {
        long e = rnd.nextInt(20) == 0 ? m.epoch() + 2 : m.epoch() + 1;
        List<NodeId> known = new ArrayList<>(m.nodes().keySet());
        NodeId any = known.isEmpty() ? NodeId.of("ghost") : known.get(rnd.nextInt(known.size()));
        NodeId target = m.change() != null && rnd.nextInt(4) != 0 ? m.change().node() : any;
        List<Long> tokens = MetadataFixtures.freshTokens(m, ALLOC, 1 + rnd.nextInt(4));
        NodeRecord anyRecord = m.nodes().get(any);
        return switch (rnd.nextInt(10)) {
            // Mostly with the replaced node's tokens (legal if it is NORMAL and nothing runs), else fresh ones.
            case 8 -> new MetadataEntry.PrepareReplace(e, MetadataFixtures.record(freshId,
                    anyRecord != null && rnd.nextInt(4) != 0 ? anyRecord.tokens() : tokens, NodeStatus.JOINING), any);
            case 0 -> new MetadataEntry.Register(e, MetadataFixtures.record(freshId, tokens, NodeStatus.NORMAL));
            case 1 -> new MetadataEntry.PrepareJoin(e, MetadataFixtures.record(freshId, tokens, NodeStatus.JOINING));
            case 2 -> new MetadataEntry.PrepareLeave(e, any, rnd.nextBoolean());
            case 3 -> new MetadataEntry.StartChange(e, target);
            case 4 -> new MetadataEntry.BeginStreaming(e, target);
            case 5 -> new MetadataEntry.StreamsDone(e, target, rnd.nextBoolean() ? target : any);
            case 6 -> new MetadataEntry.MidChange(e, target);
            case 7 -> new MetadataEntry.FinishChange(e, target);
            default -> rnd.nextInt(3) == 0 ? new MetadataEntry.AbortChange(e, target, "test")
                    : MetadataFixtures.nextStep(m) != null ? withEpoch(MetadataFixtures.nextStep(m), e)
                    : new MetadataEntry.StartChange(e, target);
        };
    }

    private static MetadataEntry withEpoch(MetadataEntry entry, long epoch) {
        return entry.epoch() == epoch ? entry : new MetadataEntry.StartChange(epoch, NodeId.of("ghost"));
    }

    private static void checkInvariants(ClusterMetadata m) {
        TopologyChange c = m.change();
        Set<Long> tokens = new HashSet<>();
        int owning = 0;
        for (NodeRecord r : m.nodes().values()) {
            boolean replacing = c != null && c.kind() == TopologyChange.Kind.REPLACE && c.node().equals(r.id());
            if (r.status() != NodeStatus.LEFT && !replacing) {
                for (Long t : r.tokens()) {
                    assertTrue(tokens.add(t), "token " + t + " owned twice");
                }
            }
            if (r.status() == NodeStatus.JOINING) {
                assertTrue(c != null && c.isJoin() && c.node().equals(r.id()),
                        "a JOINING node is the node of the join (or replace) in progress");
            }
            if (r.status() == NodeStatus.LEAVING) {
                assertTrue(c != null && !c.isJoin() && c.node().equals(r.id()),
                        "a LEAVING node is the node of the leave in progress");
            }
            if (r.status().ownsTokens()) {
                owning += r.tokens().size();
            }
        }
        assertEquals(owning, m.currentRing().tokenCount());
        if (c != null && c.kind() == TopologyChange.Kind.REPLACE) {
            assertEquals(NodeStatus.NORMAL, m.status(c.replaced()), "the replaced node stays NORMAL until the end");
            assertEquals(m.nodes().get(c.replaced()).tokens(), m.nodes().get(c.node()).tokens());
            assertEquals(m.currentRing().sortedTokens(), m.futureRing().sortedTokens());
        }
        if (c == null) {
            assertNull(m.pendingRing());
            assertEquals(m.currentRing().sortedTokens(), m.readRing().sortedTokens());
        } else {
            assertTrue(m.nodes().containsKey(c.node()));
            assertTrue(c.streamsDone().stream().allMatch(c.streamers()::contains));
            boolean moved = c.step() == TopologyChange.Step.READS_MOVED;
            assertEquals((moved ? m.futureRing() : m.currentRing()).sortedTokens(), m.readRing().sortedTokens());
            if (c.step() == TopologyChange.Step.PREPARED
                    || (c.kind() == TopologyChange.Kind.REMOVE || c.kind() == TopologyChange.Kind.REPLACE)
                    && c.step() == TopologyChange.Step.READS_MOVED) {
                assertNull(m.pendingRing());
            } else {
                assertEquals((moved ? m.currentRing() : m.futureRing()).sortedTokens(),
                        m.pendingRing().sortedTokens());
            }
            if (moved) {
                assertTrue(c.allStreamsDone(), "reads move only after every streamer finished");
            }
        }
    }
}
