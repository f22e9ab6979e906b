package io.sibyl.actors.cluster;

import static io.sibyl.actors.cluster.MetadataFixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterMetadataTest {

    private static final NodeRecord A = record("a", List.of(-100L, 100L), NodeStatus.NORMAL);
    private static final NodeRecord B = record("b", List.of(-50L, 50L), NodeStatus.NORMAL);
    private static final NodeRecord C_JOINING = record("c", List.of(0L, 200L), NodeStatus.JOINING);

    private static ClusterMetadata twoNodes() {
        return MetadataFixtures.register(MetadataFixtures.register(ClusterMetadata.EMPTY, A), B);
    }

    @Test
    void entriesMustFollowTheCurrentEpoch() {
        ClusterMetadata m = twoNodes();
        assertEquals(2, m.epoch());
        var gap = assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> m.apply(new MetadataEntry.PrepareJoin(4, C_JOINING)));
        assertTrue(gap.getMessage().contains("does not follow epoch 2"), gap.getMessage());
        assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> m.apply(new MetadataEntry.PrepareJoin(2, C_JOINING)));
    }

    @Test
    void joinGoesThroughEveryStepAndOnlyThen() {
        ClusterMetadata m = twoNodes().apply(new MetadataEntry.PrepareJoin(3, C_JOINING));
        NodeId c = C_JOINING.id();
        assertEquals(NodeStatus.JOINING, m.status(c));
        assertEquals(TopologyChange.Step.PREPARED, m.change().step());
        assertNull(m.pendingRing(), "nothing pending before StartJoin");
        assertFalse(m.readRing().contains(c));

        ClusterMetadata prepared = m;
        assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> prepared.apply(new MetadataEntry.MidChange(4, c)), "Mid before Start");
        m = m.apply(new MetadataEntry.StartChange(4, c));
        assertTrue(m.pendingRing().contains(c));
        assertFalse(m.readRing().contains(c), "reads stay on the old owners");
        m = m.apply(new MetadataEntry.BeginStreaming(5, c));
        ClusterMetadata streaming = m;
        var early = assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> streaming.apply(new MetadataEntry.MidChange(6, c)));
        assertTrue(early.getMessage().contains("have not finished streaming"), early.getMessage());
        assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> streaming.apply(new MetadataEntry.StreamsDone(6, c, A.id())), "a is no streamer of the join");
        m = m.apply(new MetadataEntry.StreamsDone(6, c, c));
        m = m.apply(new MetadataEntry.MidChange(7, c));
        assertTrue(m.readRing().contains(c), "reads moved");
        assertFalse(m.pendingRing().contains(c), "the pending ring is now the old one");
        m = m.apply(new MetadataEntry.FinishChange(8, c));
        assertEquals(NodeStatus.NORMAL, m.status(c));
        assertNull(m.change());
        assertNull(m.pendingRing());
        assertEquals(6, m.readRing().tokenCount());
    }

    @Test
    void oneChangeAtATime() {
        ClusterMetadata m = twoNodes().apply(new MetadataEntry.PrepareJoin(3, C_JOINING));
        var e = assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> m.apply(new MetadataEntry.PrepareLeave(4, A.id(), false)));
        assertTrue(e.getMessage().contains("a topology change is in progress"), e.getMessage());
        assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> m.apply(new MetadataEntry.Register(4, record("d", List.of(7L), NodeStatus.NORMAL))));
    }

    @Test
    void theFirstNodesRegisterAsNormalAndJoiningNeedsANormalNode() {
        assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> ClusterMetadata.EMPTY.apply(new MetadataEntry.PrepareJoin(1, C_JOINING)));
        assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> ClusterMetadata.EMPTY.apply(new MetadataEntry.Register(1, C_JOINING)), "JOINING record");
        var clash = assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> twoNodes().apply(new MetadataEntry.Register(3, record("x", List.of(50L), NodeStatus.NORMAL))));
        assertTrue(clash.getMessage().contains("token 50"), clash.getMessage());
    }

    @Test
    void decommissionEndsLeftWithTheTokensOffTheRingAndTheIdCannotComeBack() {
        ClusterMetadata m = twoNodes().apply(new MetadataEntry.PrepareLeave(3, B.id(), false));
        assertEquals(NodeStatus.LEAVING, m.status(B.id()));
        assertEquals(Set.of(A.id()), m.change().streamers());
        m = MetadataFixtures.runToEnd(m);
        assertEquals(NodeStatus.LEFT, m.status(B.id()));
        assertFalse(m.readRing().contains(B.id()));
        ClusterMetadata left = m;
        var again = assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> left.apply(new MetadataEntry.Register(left.epoch() + 1, B)));
        assertTrue(again.getMessage().contains("already registered (LEFT)"), again.getMessage());
        var last = assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> left.apply(new MetadataEntry.PrepareLeave(left.epoch() + 1, A.id(), false)));
        assertTrue(last.getMessage().contains("last NORMAL node"), last.getMessage());
    }

    @Test
    void abortRollsBackBeforeReadsMoveButNotAfter() {
        ClusterMetadata m = twoNodes().apply(new MetadataEntry.PrepareJoin(3, C_JOINING))
                .apply(new MetadataEntry.StartChange(4, C_JOINING.id()));
        ClusterMetadata aborted = m.apply(new MetadataEntry.AbortChange(5, C_JOINING.id(), "source down"));
        assertFalse(aborted.nodes().containsKey(C_JOINING.id()), "a joining node is forgotten");
        assertNull(aborted.pendingRing());
        assertEquals("source down", aborted.lastAbort());

        ClusterMetadata leaving = twoNodes().apply(new MetadataEntry.PrepareLeave(3, A.id(), false));
        assertEquals(NodeStatus.NORMAL,
                leaving.apply(new MetadataEntry.AbortChange(4, A.id(), "x")).status(A.id()));

        ClusterMetadata moved = twoNodes().apply(new MetadataEntry.PrepareJoin(3, C_JOINING));
        while (moved.change().step() != TopologyChange.Step.READS_MOVED) {
            moved = moved.apply(MetadataFixtures.nextStep(moved));
        }
        ClusterMetadata finalMoved = moved;
        assertThrows(ClusterMetadata.IllegalTransitionException.class,
                () -> finalMoved.apply(new MetadataEntry.AbortChange(finalMoved.epoch() + 1, C_JOINING.id(), "x")));
    }
}
