package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.ring.NetworkTopologyStrategy;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.SimpleStrategy;
import io.sibyl.storage.data.Mutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WritePlan#of}: the write's replicas and acks as a pure function of the ring's answer and liveness. */
class WritePlanTest {

    static final String LOCAL_DC = "dc1";
    static final Mutation M = TestCluster.put(TestCluster.RF3, 1, 1, 1);
    /** Every level a plain write accepts (SERIAL ones are for Paxos). */
    static final List<ConsistencyLevel> WRITE_LEVELS = List.of(ConsistencyLevel.ANY, ConsistencyLevel.ONE,
            ConsistencyLevel.TWO, ConsistencyLevel.THREE, ConsistencyLevel.QUORUM, ConsistencyLevel.LOCAL_QUORUM,
            ConsistencyLevel.EACH_QUORUM, ConsistencyLevel.ALL, ConsistencyLevel.LOCAL_ONE);

    /** A token's replicas as a ring would give them: natural (per the strategy), pending, and who is down. */
    record Scenario(ReplicationStrategy strategy, List<NodeInfo> natural, List<NodeInfo> pending, Set<NodeId> down,
                    ConsistencyLevel cl) {

        boolean isAlive(NodeId id) {
            return !down.contains(id);
        }

        WritePlan plan() {
            return WritePlan.of(M, strategy, natural, pending, this::isAlive, cl, LOCAL_DC);
        }

        Scenario withPending(List<NodeInfo> p) {
            return new Scenario(strategy, natural, p, down, cl);
        }
    }

    static NodeInfo node(String id, String dc) {
        return new NodeInfo(NodeId.of(id), "127.0.0.1", 9000, 7000, dc, "r1");
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<ReplicationStrategy> simple = Arbitraries.integers().between(1, 5).map(SimpleStrategy::new);
        Arbitrary<ReplicationStrategy> nts = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3)).filter((a, b) -> a + b > 0).as((a, b) -> {
                    Map<String, Integer> rf = new LinkedHashMap<>();
                    rf.put("dc1", a);
                    rf.put("dc2", b);
                    return new NetworkTopologyStrategy(rf);
                });
        return Combinators.combine(Arbitraries.oneOf(simple, nts),
                Arbitraries.of("dc1", "dc2").list().ofMaxSize(3),
                Arbitraries.of("dc1", "dc2").list().ofSize(5),
                Arbitraries.integers().between(0, 255),
                Arbitraries.of(WRITE_LEVELS)).as((strategy, pendingDcs, simpleDcs, downBits, cl) -> {
                    List<NodeInfo> natural = new ArrayList<>();
                    if (strategy instanceof NetworkTopologyStrategy n) {
                        for (String dc : List.of("dc1", "dc2")) {
                            for (int i = 0; i < n.replicationFactor(dc); i++) {
                                natural.add(node("n" + natural.size(), dc));
                            }
                        }
                    } else {
                        for (int i = 0; i < strategy.replicationFactor(); i++) {
                            natural.add(node("n" + i, simpleDcs.get(i)));
                        }
                    }
                    List<NodeInfo> pending = new ArrayList<>();
                    for (String dc : pendingDcs) {
                        // A strategy places pending replicas where it places replicas: not in an RF 0 data center.
                        if (strategy instanceof NetworkTopologyStrategy n && n.replicationFactor(dc) == 0) {
                            dc = dc.equals("dc1") ? "dc2" : "dc1";
                        }
                        pending.add(node("p" + pending.size(), dc));
                    }
                    Set<NodeId> down = new HashSet<>();
                    List<NodeInfo> all = new ArrayList<>(natural);
                    all.addAll(pending);
                    for (int i = 0; i < all.size(); i++) {
                        if ((downBits & (1 << i)) != 0) {
                            down.add(all.get(i).id());
                        }
                    }
                    return new Scenario(strategy, natural, pending, down, cl);
                });
    }

    @Property(tries = 500)
    void everyNaturalAndPendingReplicaIsSentToOrHinted(@ForAll("scenarios") Scenario s) {
        WritePlan plan = s.plan();
        List<NodeInfo> everyone = new ArrayList<>(s.natural());
        everyone.addAll(s.pending());
        assertEquals(new HashSet<>(everyone), union(plan.live(), plan.down()));
        assertEquals(everyone.size(), plan.live().size() + plan.down().size(), "no replica twice");
        assertTrue(plan.live().stream().allMatch(n -> s.isAlive(n.id())));
        assertTrue(plan.down().stream().noneMatch(n -> s.isAlive(n.id())));
        assertEquals(s.pending(), plan.pending());
    }

    @Property(tries = 500)
    void blockForNeverExceedsTheReplicasContacted(@ForAll("scenarios") Scenario s) {
        WritePlan plan = s.plan();
        if (unavailable(plan, s.cl()) != null || s.cl() == ConsistencyLevel.ANY) {
            return; // ANY's one ack may be a hint; refused plans send nothing
        }
        List<NodeInfo> counted = s.cl().isDatacenterLocal()
                ? plan.live().stream().filter(n -> n.isIn(LOCAL_DC)).toList() : plan.live();
        assertTrue(plan.blockFor() <= counted.size(), "blockFor " + plan.blockFor() + " > " + counted.size() + " contacted");
    }

    @Property(tries = 500)
    void withoutPendingReplicasThePlanIsTodays(@ForAll("scenarios") Scenario scenario) {
        Scenario s = scenario.withPending(List.of());
        WritePlan plan = s.plan();
        assertEquals(s.cl().blockFor(s.strategy(), LOCAL_DC), plan.blockFor());
        List<NodeInfo> liveNatural = s.natural().stream().filter(n -> s.isAlive(n.id())).toList();
        assertEquals(liveNatural, plan.live());
        UnavailableException today = null;
        try {
            s.cl().assureSufficientLiveNodesForWrite(s.strategy(), LOCAL_DC, liveNatural);
        } catch (UnavailableException e) {
            today = e;
        }
        UnavailableException now = unavailable(plan, s.cl());
        assertEquals(today == null, now == null);
        if (today != null) {
            assertEquals(today.getMessage(), now.getMessage());
        }
    }

    @Property(tries = 500)
    void eachCountedPendingReplicaAddsOneAck(@ForAll("scenarios") Scenario s) {
        if (s.pending().isEmpty()) {
            return;
        }
        List<NodeInfo> fewer = s.pending().subList(0, s.pending().size() - 1);
        NodeInfo last = s.pending().get(s.pending().size() - 1);
        int expected = s.cl() == ConsistencyLevel.ANY || (s.cl().isDatacenterLocal() && !last.isIn(LOCAL_DC)) ? 0 : 1;
        assertEquals(s.withPending(fewer).plan().blockFor() + expected, s.plan().blockFor());
    }

    @Property(tries = 500)
    void unavailableExactlyWhenTooFewLiveReplicas(@ForAll("scenarios") Scenario s) {
        ConsistencyLevel cl = s.cl();
        if (cl == ConsistencyLevel.EACH_QUORUM && s.strategy() instanceof NetworkTopologyStrategy) {
            return; // per data center: ConsistencyLevelTest's business
        }
        WritePlan plan = s.plan();
        long live = cl.isDatacenterLocal() ? plan.live().stream().filter(n -> n.isIn(LOCAL_DC)).count() : plan.live().size();
        boolean refused = unavailable(plan, cl) != null;
        assertEquals(cl != ConsistencyLevel.ANY && live < plan.blockFor(), refused,
                cl + " live " + live + " blockFor " + plan.blockFor());
    }

    @Test
    void aPendingReplicaIsWrittenAndWaitedFor() {
        List<NodeInfo> natural = List.of(node("a", "dc1"), node("b", "dc1"), node("c", "dc1"));
        NodeInfo joining = node("j", "dc1");
        WritePlan plan = WritePlan.of(M, new SimpleStrategy(3), natural, List.of(joining), id -> true,
                ConsistencyLevel.QUORUM, LOCAL_DC).assureSufficientLiveReplicas(ConsistencyLevel.QUORUM, LOCAL_DC);
        assertEquals(4, plan.live().size());
        assertEquals(3, plan.blockFor(), "QUORUM of RF 3 plus the pending replica");
        assertFalse(plan.isLocalOnly(NodeId.of("a")));
    }

    @Test
    void aDownPendingReplicaIsHintedAndCanMakeTheWriteUnavailable() {
        List<NodeInfo> natural = List.of(node("a", "dc1"), node("b", "dc1"), node("c", "dc1"));
        NodeInfo joining = node("j", "dc1");
        Set<NodeId> down = Set.of(NodeId.of("c"), NodeId.of("j"));
        WritePlan plan = WritePlan.of(M, new SimpleStrategy(3), natural, List.of(joining), id -> !down.contains(id),
                ConsistencyLevel.QUORUM, LOCAL_DC);
        assertEquals(List.of(natural.get(2), joining), plan.down());
        UnavailableException e = assertThrows(UnavailableException.class,
                () -> plan.assureSufficientLiveReplicas(ConsistencyLevel.QUORUM, LOCAL_DC));
        assertEquals(3, e.required());
        assertEquals(2, e.alive());
        // Without the pending replica, two of three are a quorum.
        assertNull(unavailable(WritePlan.of(M, new SimpleStrategy(3), natural, List.of(), id -> !down.contains(id),
                ConsistencyLevel.QUORUM, LOCAL_DC), ConsistencyLevel.QUORUM));
    }

    @Test
    void localLevelsCountOnlyLocalPendingReplicas() {
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 3, "dc2", 3));
        List<NodeInfo> natural = List.of(node("a", "dc1"), node("b", "dc1"), node("c", "dc1"),
                node("d", "dc2"), node("e", "dc2"), node("f", "dc2"));
        List<NodeInfo> pending = List.of(node("j", "dc2"));
        assertEquals(2, WritePlan.of(M, nts, natural, pending, id -> true, ConsistencyLevel.LOCAL_QUORUM, LOCAL_DC).blockFor());
        assertEquals(5, WritePlan.of(M, nts, natural, pending, id -> true, ConsistencyLevel.QUORUM, LOCAL_DC).blockFor());
        assertEquals(3, WritePlan.of(M, nts, natural, List.of(node("k", "dc1")), id -> true,
                ConsistencyLevel.LOCAL_QUORUM, LOCAL_DC).blockFor());
    }

    @Test
    void aPendingReplicaThatIsAlsoNaturalCountsOnce() {
        List<NodeInfo> natural = List.of(node("a", "dc1"), node("b", "dc1"), node("c", "dc1"));
        WritePlan plan = WritePlan.of(M, new SimpleStrategy(3), natural, List.of(natural.get(1)), id -> true,
                ConsistencyLevel.QUORUM, LOCAL_DC);
        assertEquals(List.of(), plan.pending());
        assertEquals(3, plan.live().size());
        assertEquals(2, plan.blockFor());
    }

    @Test
    void theHandlerWaitsForThePendingReplicasAck() {
        List<NodeInfo> natural = List.of(node("a", "dc1"), node("b", "dc1"), node("c", "dc1"));
        NodeInfo joining = node("j", "dc1");
        WritePlan plan = WritePlan.of(M, new SimpleStrategy(3), natural, List.of(joining), id -> true,
                ConsistencyLevel.QUORUM, LOCAL_DC);
        WriteResponseHandler handler = new WriteResponseHandler(ConsistencyLevel.QUORUM, plan, LOCAL_DC, WriteType.SIMPLE);
        handler.onAck(natural.get(0));
        handler.onAck(natural.get(1));
        assertFalse(handler.result().isDone(), "a quorum of the natural replicas is not enough while one is pending");
        handler.onAck(joining);
        assertTrue(handler.result().isDone() && !handler.result().isCompletedExceptionally());
        assertEquals(3, handler.blockFor());
    }

    private static UnavailableException unavailable(WritePlan plan, ConsistencyLevel cl) {
        try {
            plan.assureSufficientLiveReplicas(cl, LOCAL_DC);
            return null;
        } catch (UnavailableException e) {
            return e;
        }
    }

    private static Set<NodeInfo> union(List<NodeInfo> a, List<NodeInfo> b) {
        Set<NodeInfo> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
