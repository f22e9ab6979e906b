package io.sibyl.actors.consistency;

import io.sibyl.actors.ring.NetworkTopologyStrategy;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.SimpleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sibyl.actors.consistency.ConsistencyLevel.ALL;
import static io.sibyl.actors.consistency.ConsistencyLevel.ANY;
import static io.sibyl.actors.consistency.ConsistencyLevel.EACH_QUORUM;
import static io.sibyl.actors.consistency.ConsistencyLevel.LOCAL_ONE;
import static io.sibyl.actors.consistency.ConsistencyLevel.LOCAL_QUORUM;
import static io.sibyl.actors.consistency.ConsistencyLevel.LOCAL_SERIAL;
import static io.sibyl.actors.consistency.ConsistencyLevel.ONE;
import static io.sibyl.actors.consistency.ConsistencyLevel.QUORUM;
import static io.sibyl.actors.consistency.ConsistencyLevel.SERIAL;
import static io.sibyl.actors.consistency.ConsistencyLevel.THREE;
import static io.sibyl.actors.consistency.ConsistencyLevel.TWO;
import static io.sibyl.actors.ring.TestRings.ids;
import static io.sibyl.actors.ring.TestRings.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsistencyLevelTest {

    private static final NetworkTopologyStrategy NTS = new NetworkTopologyStrategy(Map.of("dc1", 3, "dc2", 2));

    private static final NodeInfo A1 = node("a1", "dc1", "r1");
    private static final NodeInfo A2 = node("a2", "dc1", "r2");
    private static final NodeInfo A3 = node("a3", "dc1", "r3");
    private static final NodeInfo B1 = node("b1", "dc2", "r1");
    private static final NodeInfo B2 = node("b2", "dc2", "r2");

    @Test
    void parseIsCaseInsensitiveWithAClearError() {
        assertEquals(QUORUM, ConsistencyLevel.parse("quorum"));
        assertEquals(LOCAL_ONE, ConsistencyLevel.parse(" Local_One "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConsistencyLevel.parse("MOST"));
        assertTrue(e.getMessage().contains("'MOST'") && e.getMessage().contains("LOCAL_QUORUM"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConsistencyLevel.parse(null));
        assertThrows(IllegalArgumentException.class, () -> ConsistencyLevel.parse(""));
    }

    @Test
    void onlyLocalLevelsAreDatacenterLocal() {
        for (ConsistencyLevel cl : ConsistencyLevel.values()) {
            assertEquals(EnumSet.of(LOCAL_ONE, LOCAL_QUORUM, LOCAL_SERIAL).contains(cl), cl.isDatacenterLocal(), cl.name());
        }
    }

    /** Columns: level, then blockFor for SimpleStrategy RF 1, 2, 3, 5. */
    @ParameterizedTest
    @CsvSource({
            "ANY,          1, 1, 1, 1",
            "ONE,          1, 1, 1, 1",
            "TWO,          2, 2, 2, 2",
            "THREE,        3, 3, 3, 3",
            "QUORUM,       1, 2, 2, 3",
            "LOCAL_QUORUM, 1, 2, 2, 3",
            "EACH_QUORUM,  1, 2, 2, 3",
            "ALL,          1, 2, 3, 5",
            "LOCAL_ONE,    1, 1, 1, 1",
            "SERIAL,       1, 2, 2, 3",
            "LOCAL_SERIAL, 1, 2, 2, 3",
    })
    void blockForSimpleStrategy(ConsistencyLevel cl, int rf1, int rf2, int rf3, int rf5) {
        int[] expected = {rf1, rf2, rf3, rf5};
        int[] rfs = {1, 2, 3, 5};
        for (int i = 0; i < rfs.length; i++) {
            assertEquals(expected[i], cl.blockFor(new SimpleStrategy(rfs[i]), "dc1"), cl + " at RF " + rfs[i]);
        }
    }

    /** Columns: level, blockFor from dc1, blockFor from dc2, for NTS {dc1: 3, dc2: 2}. */
    @ParameterizedTest
    @CsvSource({
            "ANY,          1, 1",
            "ONE,          1, 1",
            "TWO,          2, 2",
            "THREE,        3, 3",
            "QUORUM,       3, 3",
            "LOCAL_QUORUM, 2, 2",
            "EACH_QUORUM,  4, 4",
            "ALL,          5, 5",
            "LOCAL_ONE,    1, 1",
            "SERIAL,       3, 3",
            "LOCAL_SERIAL, 2, 2",
    })
    void blockForNetworkTopologyStrategy(ConsistencyLevel cl, int fromDc1, int fromDc2) {
        assertEquals(fromDc1, cl.blockFor(NTS, "dc1"));
        assertEquals(fromDc2, cl.blockFor(NTS, "dc2"));
    }

    @Test
    void blockForEdgeCases() {
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 5, "dc2", 1, "dc3", 0));
        assertEquals(3, LOCAL_QUORUM.blockFor(nts, "dc1"));
        assertEquals(1, LOCAL_QUORUM.blockFor(nts, "dc2"));
        assertEquals(1, LOCAL_QUORUM.blockFor(nts, "dc9"), "an unreplicated local DC still needs one (and has none)");
        assertEquals(Map.of("dc1", 3, "dc2", 1), EACH_QUORUM.blockForPerDc(nts), "a DC with RF 0 has no quorum to reach");
        assertEquals(4, EACH_QUORUM.blockFor(nts, "dc1"));
        assertEquals(Map.of("dc1", 2, "dc2", 2), EACH_QUORUM.blockForPerDc(NTS));
        assertEquals(Map.of(), EACH_QUORUM.blockForPerDc(new SimpleStrategy(3)));
        assertEquals(Map.of(), QUORUM.blockForPerDc(NTS));
        assertEquals(4, QUORUM.blockFor(new SimpleStrategy(6), "dc1"));
    }

    @Test
    void pendingReplicasRaiseWriteBlockFor() {
        NodeInfo pendingDc1 = node("p1", "dc1", "r1");
        NodeInfo pendingDc2 = node("p2", "dc2", "r1");
        List<NodeInfo> pending = List.of(pendingDc1, pendingDc2);
        assertEquals(5, QUORUM.blockForWrite(NTS, "dc1", pending));
        assertEquals(3, LOCAL_QUORUM.blockForWrite(NTS, "dc1", pending), "only the local pending replica counts");
        assertEquals(3, ONE.blockForWrite(NTS, "dc1", pending));
        assertEquals(1, ANY.blockForWrite(NTS, "dc1", pending));
        assertEquals(7, ALL.blockForWrite(NTS, "dc1", pending));
    }

    // ------------------------------------------------------------------ live checks, single DC RF 3

    /**
     * SimpleStrategy RF 3, three replicas in dc1. Columns: level, then for 0/1/2/3 nodes down
     * either "ok" or the expected "required/alive" of the UnavailableException (writes).
     */
    @ParameterizedTest
    @CsvSource({
            "ANY,          ok,  ok,  ok,  ok",
            "ONE,          ok,  ok,  ok,  1/0",
            "TWO,          ok,  ok,  2/1, 2/0",
            "THREE,        ok,  3/2, 3/1, 3/0",
            "QUORUM,       ok,  ok,  2/1, 2/0",
            "LOCAL_QUORUM, ok,  ok,  2/1, 2/0",
            "EACH_QUORUM,  ok,  ok,  2/1, 2/0",
            "ALL,          ok,  3/2, 3/1, 3/0",
            "LOCAL_ONE,    ok,  ok,  ok,  1/0",
            "SERIAL,       ok,  ok,  2/1, 2/0",
            "LOCAL_SERIAL, ok,  ok,  2/1, 2/0",
    })
    void liveNodesWithNodesDown(ConsistencyLevel cl, String down0, String down1, String down2, String down3) {
        ReplicationStrategy rf3 = new SimpleStrategy(3);
        List<NodeInfo> replicas = List.of(A1, A2, A3);
        String[] expected = {down0, down1, down2, down3};
        for (int down = 0; down <= 3; down++) {
            List<NodeInfo> live = replicas.subList(down, 3);
            String actual = outcome(() -> cl.assureSufficientLiveNodesForWrite(rf3, "dc1", live), cl);
            assertEquals(expected[down], actual, cl + " with " + down + " down (write)");
            if (cl != ANY) {
                String read = outcome(() -> cl.assureSufficientLiveNodesForRead(rf3, "dc1", live), cl);
                assertEquals(expected[down], read, cl + " with " + down + " down (read)");
            }
        }
    }

    private static String outcome(Runnable check, ConsistencyLevel cl) {
        try {
            check.run();
            return "ok";
        } catch (UnavailableException e) {
            assertEquals(cl, e.consistency());
            return e.required() + "/" + e.alive();
        }
    }

    @Test
    void anyNeedsNoLiveReplicaForWritesButIsInvalidForReads() {
        ANY.assureSufficientLiveNodesForWrite(new SimpleStrategy(3), "dc1", List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ANY.assureSufficientLiveNodesForRead(new SimpleStrategy(3), "dc1", List.of(A1)));
        assertTrue(e.getMessage().contains("only supported for writes"));
        assertThrows(IllegalArgumentException.class, () -> ANY.filterForRead(NTS, "dc1", List.of(A1)));
        assertThrows(IllegalArgumentException.class, SERIAL::validateForWrite);
        ONE.validateForWrite();
        SERIAL.validateForRead();
    }

    @Test
    void rfAboveNodeCountFailsAtQuorumAndAll() {
        // RF 5 on a 3-node cluster: placement returns the 3 nodes; QUORUM needs 3, ALL needs 5.
        ReplicationStrategy rf5 = new SimpleStrategy(5);
        QUORUM.assureSufficientLiveNodesForWrite(rf5, "dc1", List.of(A1, A2, A3));
        UnavailableException e = assertThrows(UnavailableException.class,
                () -> ALL.assureSufficientLiveNodesForWrite(rf5, "dc1", List.of(A1, A2, A3)));
        assertEquals(5, e.required());
        assertEquals(3, e.alive());
        assertThrows(UnavailableException.class, () -> QUORUM.assureSufficientLiveNodesForWrite(rf5, "dc1", List.of(A1, A2)));
    }

    // ------------------------------------------------------------------ live checks, two DCs

    @Test
    void oneDcDown() {
        List<NodeInfo> dc1Only = List.of(A1, A2, A3);
        // dc2 is down: local levels from dc1 and levels satisfiable by dc1's 3 replicas pass.
        for (ConsistencyLevel ok : List.of(ANY, ONE, TWO, THREE, QUORUM, LOCAL_QUORUM, LOCAL_ONE, SERIAL, LOCAL_SERIAL)) {
            ok.assureSufficientLiveNodesForWrite(NTS, "dc1", dc1Only);
        }
        UnavailableException each = assertThrows(UnavailableException.class,
                () -> EACH_QUORUM.assureSufficientLiveNodesForWrite(NTS, "dc1", dc1Only));
        assertEquals(2, each.required());
        assertEquals(0, each.alive());
        assertEquals("dc2", each.dc().orElseThrow());
        assertTrue(each.getMessage().contains("EACH_QUORUM in DC dc2"), each.getMessage());
        UnavailableException all = assertThrows(UnavailableException.class,
                () -> ALL.assureSufficientLiveNodesForWrite(NTS, "dc1", dc1Only));
        assertEquals(5, all.required());
        // Seen from a coordinator in dc2, the local levels fail.
        UnavailableException local = assertThrows(UnavailableException.class,
                () -> LOCAL_QUORUM.assureSufficientLiveNodesForWrite(NTS, "dc2", dc1Only));
        assertEquals(2, local.required());
        assertEquals(0, local.alive());
        assertThrows(UnavailableException.class, () -> LOCAL_ONE.assureSufficientLiveNodesForRead(NTS, "dc2", dc1Only));
        // Plus one node down in dc1: global QUORUM (3 of 5) fails, LOCAL_QUORUM (2 of 3) holds.
        List<NodeInfo> twoLeft = List.of(A1, A2);
        assertThrows(UnavailableException.class, () -> QUORUM.assureSufficientLiveNodesForWrite(NTS, "dc1", twoLeft));
        LOCAL_QUORUM.assureSufficientLiveNodesForWrite(NTS, "dc1", twoLeft);
    }

    @Test
    void eachQuorumPassesWithAQuorumInEveryDc() {
        EACH_QUORUM.assureSufficientLiveNodesForWrite(NTS, "dc1", List.of(A1, A3, B1, B2));
        UnavailableException e = assertThrows(UnavailableException.class,
                () -> EACH_QUORUM.assureSufficientLiveNodesForRead(NTS, "dc1", List.of(A1, B1, B2)));
        assertEquals("dc1", e.dc().orElseThrow());
        assertEquals(2, e.required());
        assertEquals(1, e.alive());
        // Pending replica in dc2 raises that DC's requirement.
        NodeInfo pendingB = node("b3", "dc2", "r3");
        assertThrows(UnavailableException.class, () -> EACH_QUORUM.assureSufficientLiveNodesForWrite(
                NTS, "dc1", List.of(A1, A3, B1, B2), List.of(pendingB)));
        EACH_QUORUM.assureSufficientLiveNodesForWrite(NTS, "dc1", List.of(A1, A3, B1, B2, pendingB), List.of(pendingB));
    }

    // ------------------------------------------------------------------ read targets

    @Test
    void filterForReadTakesTheClosestNeeded() {
        List<NodeInfo> byProximity = List.of(A2, B1, A1, B2, A3);
        assertEquals(ids(List.of(A2)), ids(ONE.filterForRead(NTS, "dc1", byProximity)));
        assertEquals(ids(List.of(A2, B1)), ids(ONE.filterForRead(NTS, "dc1", byProximity, true)), "speculation adds one");
        assertEquals(ids(List.of(A2, B1, A1)), ids(QUORUM.filterForRead(NTS, "dc1", byProximity)));
        assertEquals(ids(List.of(A2, A1)), ids(LOCAL_QUORUM.filterForRead(NTS, "dc1", byProximity)));
        assertEquals(ids(List.of(A2, A1, A3)), ids(LOCAL_QUORUM.filterForRead(NTS, "dc1", byProximity, true)));
        assertEquals(ids(List.of(B1, B2)), ids(LOCAL_QUORUM.filterForRead(NTS, "dc2", byProximity)));
        assertEquals(ids(List.of(A2)), ids(LOCAL_ONE.filterForRead(NTS, "dc1", byProximity)));
        assertEquals(ids(List.of(A2, B1, A1, B2)), ids(EACH_QUORUM.filterForRead(NTS, "dc1", byProximity, true)),
                "a local quorum of each DC, no speculation");
        assertEquals(ids(List.of(A2, B1, A1, B2, A3)), ids(ALL.filterForRead(NTS, "dc1", byProximity)));
        assertEquals(ids(List.of(A2, B1)), ids(EACH_QUORUM.filterForRead(new SimpleStrategy(3), "dc1", byProximity)),
                "EACH_QUORUM is QUORUM for SimpleStrategy");
        assertEquals(ids(List.of(A2, B1)), ids(THREE.filterForRead(NTS, "dc1", List.of(A2, B1))), "never more than alive");
    }

    // ------------------------------------------------------------------ write acks

    @Test
    void isSufficientCountsAcksPerLevel() {
        assertTrue(QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 1, "dc2", 2)));
        assertFalse(QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 2)));
        assertTrue(LOCAL_QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 2)));
        assertFalse(LOCAL_QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 1, "dc2", 2)), "remote acks do not count");
        assertTrue(EACH_QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 2, "dc2", 2)));
        assertFalse(EACH_QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 3, "dc2", 1)));
        assertTrue(EACH_QUORUM.isSufficient(new SimpleStrategy(3), "dc1", Map.of("dc1", 2)));
        assertTrue(ANY.isSufficient(NTS, "dc1", Map.of("hint", 1)));
        assertFalse(ANY.isSufficient(NTS, "dc1", Map.of()));
        assertTrue(ALL.isSufficient(NTS, "dc1", Map.of("dc1", 3, "dc2", 2)));
        assertFalse(ALL.isSufficient(NTS, "dc1", Map.of("dc1", 3, "dc2", 1)));
        NodeInfo pending = node("p", "dc2", "r1");
        assertFalse(QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 3), List.of(pending)));
        assertTrue(QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 3, "dc2", 1), List.of(pending)));
        assertFalse(EACH_QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 2, "dc2", 2), List.of(pending)));
        assertTrue(LOCAL_QUORUM.isSufficient(NTS, "dc1", Map.of("dc1", 2), List.of(pending)));
        assertTrue(LOCAL_ONE.countsForWrite(A1, "dc1"));
        assertFalse(LOCAL_ONE.countsForWrite(B1, "dc1"));
        assertTrue(ONE.countsForWrite(B1, "dc1"));
    }

    @Test
    void exceptionsCarryTheApiDetails() {
        WriteTimeoutException w = new WriteTimeoutException(QUORUM, 1, 2, WriteType.SIMPLE);
        assertEquals(1, w.received());
        assertEquals(2, w.blockFor());
        assertEquals(WriteType.SIMPLE, w.writeType());
        assertTrue(w.getMessage().contains("QUORUM") && w.getMessage().contains("1 of 2"), w.getMessage());
        ReadTimeoutException r = new ReadTimeoutException(LOCAL_QUORUM, 1, 2, false);
        assertFalse(r.dataPresent());
        assertEquals(LOCAL_QUORUM, r.consistency());
        ReadFailureException f = new ReadFailureException(QUORUM, 1, 2,
                Map.of(A1.id(), "tombstone failure threshold exceeded"));
        assertEquals(1, f.failures());
        assertEquals(Set.of(A1.id()), f.reasons().keySet());
        UnavailableException u = new UnavailableException(ALL, 3, 2);
        assertTrue(u.dc().isEmpty());
        assertTrue(u.getMessage().contains("Cannot achieve consistency level ALL"), u.getMessage());
    }
}
