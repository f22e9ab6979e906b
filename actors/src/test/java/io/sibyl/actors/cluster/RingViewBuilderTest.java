package io.sibyl.actors.cluster;

import static io.sibyl.actors.cluster.Membership.Phase.DOWN;
import static io.sibyl.actors.cluster.Membership.Phase.EXITING;
import static io.sibyl.actors.cluster.Membership.Phase.JOINING;
import static io.sibyl.actors.cluster.Membership.Phase.LEAVING;
import static io.sibyl.actors.cluster.Membership.Phase.UP;
import static io.sibyl.actors.cluster.Membership.Phase.WEAKLY_UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingViewBuilderTest {

    static NodeRecord record(String id, int port, NodeStatus status, long... tokens) {
        List<Long> ts = new ArrayList<>();
        for (long t : tokens) {
            ts.add(t);
        }
        return new NodeRecord(new NodeInfo(NodeId.of(id), "127.0.0.1", 8000 + port % 1000, port, "dc1", "rack1"),
                ts, status);
    }

    static Membership.Member member(int port, Membership.Phase phase, boolean reachable) {
        return new Membership.Member("127.0.0.1:" + port, port, phase, reachable);
    }

    static Map<String, NodeRecord> records(NodeRecord... rs) {
        Map<String, NodeRecord> out = new LinkedHashMap<>();
        for (NodeRecord r : rs) {
            out.put(r.key(), r);
        }
        return out;
    }

    private final NodeRecord a = record("a", 7000, NodeStatus.NORMAL, -100, 100);
    private final NodeRecord b = record("b", 7001, NodeStatus.NORMAL, -50, 50);
    private final NodeRecord c = record("c", 7002, NodeStatus.NORMAL, 0, 200);
    private final RingView start = RingView.initial(a.info());
    private final List<String> warnings = new ArrayList<>();

    private RingView next(RingView prev, Map<String, NodeRecord> rs, Membership.Member... ms) {
        return RingViewBuilder.next(prev, a.info(), rs, new Membership(List.of(ms)), warnings::add);
    }

    @Test
    void upReachableMembersAreUnAndAllTokensAreOnTheRing() {
        RingView v = next(start, records(a, b, c), member(7000, UP, true), member(7001, UP, true), member(7002, UP, true));
        assertEquals(Map.of(a.id(), NodeState.UN, b.id(), NodeState.UN, c.id(), NodeState.UN), v.states());
        assertEquals(List.of(-100L, -50L, 0L, 50L, 100L, 200L), v.ring().sortedTokens());
        assertEquals(List.of(0L, 200L), v.ring().tokensOf(c.id()));
        assertEquals(3, v.liveNodes().size());
        assertTrue(v.isSelfUp());
        assertTrue(v.version() > start.version());
    }

    @Test
    void unreachableOrGoneNodesAreDownButKeepTheirTokens() {
        RingView v1 = next(start, records(a, b, c), member(7000, UP, true), member(7001, UP, true), member(7002, UP, true));
        RingView v2 = next(v1, records(a, b, c), member(7000, UP, true), member(7001, UP, false));
        assertEquals(NodeState.DN, v2.state(b.id()), "unreachable");
        assertEquals(NodeState.DN, v2.state(c.id()), "no longer a member");
        assertFalse(v2.isAlive(b.id()));
        assertEquals(List.of(a.info()), v2.liveNodes());
        assertEquals(6, v2.ring().tokenCount());
        assertSame(v1.ring(), v2.ring(), "liveness changes keep the ring (and its replica caches)");
        assertTrue(v2.version() > v1.version());
    }

    @Test
    void thisNodeCountsAsAliveForItsOwnReplicasEvenWhenItIsNotAMember() {
        // cut off by a partition (or downed and rejoining) the node still runs: it serves CL ONE on the
        // keys it holds, while /ready (isSelfUp) and its reported state follow the membership
        RingView v = next(start, records(a, b, c), member(7001, UP, true), member(7002, UP, true));
        assertEquals(NodeState.DN, v.state(a.id()));
        assertFalse(v.isSelfUp());
        assertTrue(v.isAlive(a.id()));
        assertTrue(v.liveNodes().contains(a.info()));
        RingView cutOff = next(v, records(a, b, c));
        assertTrue(cutOff.isAlive(a.id()));
        assertFalse(cutOff.isAlive(b.id()));
        assertEquals(List.of(a.info()), cutOff.liveNodes());
    }

    @Test
    void downedMembersAreDown() {
        RingView v = next(start, records(a, b), member(7000, UP, true), member(7001, DOWN, true));
        assertEquals(NodeState.DN, v.state(b.id()));
    }

    @Test
    void joiningAndLeavingStates() {
        NodeRecord declaredJoining = record("d", 7003, NodeStatus.JOINING, 300);
        NodeRecord declaredLeaving = record("e", 7004, NodeStatus.LEAVING, 400);
        RingView v = next(start, records(a, b, c, declaredJoining, declaredLeaving),
                member(7000, UP, true), member(7001, JOINING, true), member(7002, LEAVING, true),
                member(7003, UP, true), member(7004, UP, true));
        assertEquals(NodeState.UJ, v.state(b.id()));
        assertEquals(NodeState.UL, v.state(c.id()));
        assertEquals(NodeState.UJ, v.state(declaredJoining.id()));
        assertEquals(NodeState.UL, v.state(declaredLeaving.id()));
        assertFalse(v.ring().contains(declaredJoining.id()), "a joining node's tokens are not natural yet");
        assertTrue(v.ring().contains(declaredLeaving.id()), "a leaving node owns its tokens until it has left");
        assertEquals(NodeState.UL, next(start, records(a, b), member(7000, UP, true), member(7001, EXITING, true))
                .state(b.id()));
    }

    @Test
    void weaklyUpCountsAsUp() {
        RingView v = next(start, records(a, b), member(7000, UP, true), member(7001, WEAKLY_UP, true));
        assertEquals(NodeState.UN, v.state(b.id()));
    }

    @Test
    void onlyLeftTakesTokensOffTheRing() {
        RingView v1 = next(start, records(a, b), member(7000, UP, true), member(7001, UP, true));
        RingView v2 = next(v1, records(a, record("b", 7001, NodeStatus.LEFT, -50, 50)), member(7000, UP, true));
        assertFalse(v2.ring().contains(b.id()));
        assertEquals(List.of(-100L, 100L), v2.ring().sortedTokens());
        assertTrue(v2.records().containsKey(b.id()), "a left node is still listed");
        assertTrue(v2.ring().version() > v1.ring().version());
    }

    @Test
    void nothingChangedGivesTheSameView() {
        RingView v1 = next(start, records(a, b), member(7000, UP, true), member(7001, UP, true));
        RingView v2 = next(v1, records(a, b), member(7001, UP, true), member(7000, UP, true));
        assertSame(v1, v2);
    }

    @Test
    void aMovedNodeIsReplacedOnTheRing() {
        RingView v1 = next(start, records(a, b), member(7000, UP, true), member(7001, UP, true));
        NodeRecord bMoved = record("b", 7005, NodeStatus.NORMAL, -50, 50);
        RingView v2 = next(v1, records(a, bMoved), member(7000, UP, true), member(7001, DOWN, false),
                member(7005, UP, true));
        assertEquals(7005, v2.ring().node(b.id()).orElseThrow().clusterPort());
        assertEquals(NodeState.UN, v2.state(b.id()));
        assertEquals(4, v2.ring().tokenCount());
    }

    @Test
    void aRestartedIncarnationWinsOverTheOldOneAtTheSameAddress() {
        RingView v = next(start, records(a, b), member(7000, UP, true),
                new Membership.Member("127.0.0.1:7001", 1, UP, false),
                new Membership.Member("127.0.0.1:7001", 2, JOINING, true));
        assertEquals(NodeState.UJ, v.state(b.id()));
    }

    @Test
    void aTokenClashIsReportedAndTheNodeLeftOff() {
        NodeRecord clash = record("z", 7009, NodeStatus.NORMAL, 100, 999);
        RingView v = next(start, records(a, clash), member(7000, UP, true), member(7009, UP, true));
        assertTrue(v.ring().contains(a.id()));
        assertFalse(v.ring().contains(clash.id()));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("z"), warnings.toString());
    }

    @Test
    void selfIsDownUntilItIsAMemberWithItsRecord() {
        RingView notMember = next(start, records(a));
        assertFalse(notMember.isSelfUp());
        RingView noRecord = next(start, Map.of(), member(7000, UP, true));
        assertFalse(noRecord.isSelfUp());
        assertTrue(next(start, records(a), member(7000, UP, true)).isSelfUp());
    }
}
