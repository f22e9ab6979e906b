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
        // the remaining node fetches the ranges; the leaving one hands its hints over
        assertEquals(Set.of(A.id(), B.id()), m.change().streamers());
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

    @Test
    void replaceTakesTheDeadNodesTokensThroughEveryStep() {
        ClusterMetadata m = twoNodes();
        NodeRecord r = record("r", B.tokens(), NodeStatus.JOINING);
        m = m.apply(new MetadataEntry.PrepareReplace(3, r, B.id()));
        assertEquals(TopologyChange.Kind.REPLACE, m.change().kind());
        assertEquals(B.id(), m.change().replaced());
        assertEquals(Set.of(r.id()), m.change().streamers());
        assertEquals(NodeStatus.NORMAL, m.status(B.id()), "the dead node keeps its tokens until the end");
        assertTrue(m.describeChange().contains("REPLACE of r (replacing b)"), m.describeChange());
        m = MetadataFixtures.runToEnd(m);
        assertEquals(NodeStatus.NORMAL, m.status(r.id()));
        assertEquals(NodeStatus.LEFT, m.status(B.id()));
        assertEquals(List.of(-100L, -50L, 50L, 100L), m.currentRing().sortedTokens());
        assertFalse(m.currentRing().contains(B.id()));
        assertEquals(8, m.epoch(), "prepare, start, stream, done, mid, finish");
        // The LEFT node cannot come back, nor be replaced again.
        ClusterMetadata done = m;
        assertThrows(ClusterMetadata.IllegalTransitionException.class, () -> done.apply(
                new MetadataEntry.PrepareReplace(9, record("s", B.tokens(), NodeStatus.JOINING), B.id())));
    }

    @Test
    void replaceIsRefusedUnlessTheNodeIsNormalAndTheTokensRackAndChangeFit() {
        ClusterMetadata m = twoNodes();
        var unknown = assertThrows(ClusterMetadata.IllegalTransitionException.class, () -> m.apply(
                new MetadataEntry.PrepareReplace(3, record("r", List.of(1L), NodeStatus.JOINING), NodeId.of("zz"))));
        assertTrue(unknown.getMessage().contains("unknown"), unknown.getMessage());
        var tokens = assertThrows(ClusterMetadata.IllegalTransitionException.class, () -> m.apply(
                new MetadataEntry.PrepareReplace(3, record("r", List.of(-50L), NodeStatus.JOINING), B.id())));
        assertTrue(tokens.getMessage().contains("exactly the tokens"), tokens.getMessage());
        var rack = assertThrows(ClusterMetadata.IllegalTransitionException.class, () -> m.apply(
                new MetadataEntry.PrepareReplace(3, record("r", "dc1", "r9", B.tokens(), NodeStatus.JOINING), B.id())));
        assertTrue(rack.getMessage().contains("rack"), rack.getMessage());
        assertThrows(ClusterMetadata.IllegalTransitionException.class, () -> m.apply(
                new MetadataEntry.PrepareReplace(3, record("r", B.tokens(), NodeStatus.NORMAL), B.id())),
                "the replacing node enters as JOINING");
        // Another change runs: refused; the leaving node is not NORMAL either.
        ClusterMetadata leaving = m.apply(new MetadataEntry.PrepareLeave(3, A.id(), false));
        var busy = assertThrows(ClusterMetadata.IllegalTransitionException.class, () -> leaving.apply(
                new MetadataEntry.PrepareReplace(4, record("r", B.tokens(), NodeStatus.JOINING), B.id())));
        assertTrue(busy.getMessage().contains("in progress"), busy.getMessage());
    }

    @Test
    void anAbortedReplaceForgetsTheNewNodeAndKeepsTheDeadOne() {
        ClusterMetadata m = twoNodes();
        NodeRecord r = record("r", B.tokens(), NodeStatus.JOINING);
        m = m.apply(new MetadataEntry.PrepareReplace(3, r, B.id()));
        m = m.apply(new MetadataEntry.StartChange(4, r.id()));
        assertTrue(m.pendingRing().contains(r.id()));
        assertFalse(m.pendingRing().contains(B.id()));
        m = m.apply(new MetadataEntry.AbortChange(5, r.id(), "source down"));
        assertNull(m.change());
        assertNull(m.status(r.id()));
        assertEquals(NodeStatus.NORMAL, m.status(B.id()));
        assertEquals(twoNodes().currentRing().sortedTokens(), m.currentRing().sortedTokens());
        assertEquals("source down", m.lastAbort());
    }
}
