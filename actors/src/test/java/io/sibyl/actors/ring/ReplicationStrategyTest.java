package io.sibyl.actors.ring;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationStrategyTest {

    private static String error(Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> ReplicationStrategy.fromOptions(options)).getMessage();
    }

    @Test
    void parsesSimpleStrategyByShortAndFullName() {
        assertEquals(new SimpleStrategy(3),
                ReplicationStrategy.fromOptions(Map.of("class", "SimpleStrategy", "replication_factor", "3")));
        assertEquals(new SimpleStrategy(1), ReplicationStrategy.fromOptions(
                Map.of("class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1")));
    }

    @Test
    void parsesNetworkTopologyStrategy() {
        assertEquals(new NetworkTopologyStrategy(Map.of("dc1", 3, "dc2", 2)), ReplicationStrategy.fromOptions(
                Map.of("class", "NetworkTopologyStrategy", "dc1", "3", "dc2", "2")));
        assertEquals(new NetworkTopologyStrategy(Map.of("dc1", 1)), ReplicationStrategy.fromOptions(
                Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc1", "1")));
    }

    @Test
    void ntsReplicationFactorExpandsToKnownDcsNotNamed() {
        ReplicationStrategy s = ReplicationStrategy.fromOptions(
                Map.of("class", "NetworkTopologyStrategy", "replication_factor", "3", "dc2", "1"), Set.of("dc1", "dc2", "dc3"));
        assertEquals(new NetworkTopologyStrategy(Map.of("dc1", 3, "dc2", 1, "dc3", 3)), s);
        assertTrue(error(Map.of("class", "NetworkTopologyStrategy", "replication_factor", "3"))
                .contains("per data center"));
    }

    @Test
    void optionsRoundTrip() {
        for (ReplicationStrategy s : new ReplicationStrategy[]{new SimpleStrategy(2),
                new NetworkTopologyStrategy(Map.of("dc1", 3, "dc2", 0, "eu-west", 2))}) {
            assertEquals(s, ReplicationStrategy.fromOptions(s.toOptions()));
        }
        assertEquals("org.apache.cassandra.locator.SimpleStrategy", new SimpleStrategy(2).toOptions().get("class"));
    }

    @Test
    void badOptionsHaveClearMessages() {
        assertTrue(error(Map.of("replication_factor", "3")).contains("class"));
        assertTrue(error(Map.of("class", "SimpleStrategy")).contains("requires a replication_factor"));
        assertTrue(error(Map.of("class", "SimpleStrategy", "replication_factor", "three")).contains("'three'"));
        assertTrue(error(Map.of("class", "SimpleStrategy", "replication_factor", "-1")).contains("non-negative"));
        assertTrue(error(Map.of("class", "SimpleStrategy", "replication_factor", "2", "dc1", "3"))
                .contains("Unrecognized strategy option"));
        assertTrue(error(Map.of("class", "OldNetworkTopologyStrategy", "replication_factor", "2"))
                .contains("Unable to find replication strategy class 'OldNetworkTopologyStrategy'"));
        assertTrue(error(Map.of("class", "NetworkTopologyStrategy", "dc1", "1.5")).contains("'dc1'"));
        assertTrue(error(Map.of("class", "NetworkTopologyStrategy", "dc1", "-2")).contains("non-negative"));
        assertThrows(IllegalArgumentException.class, () -> new SimpleStrategy(-1));
    }

    @Test
    void replicationFactorIsTheSumForNts() {
        NetworkTopologyStrategy nts = new NetworkTopologyStrategy(Map.of("dc1", 3, "dc2", 2));
        assertEquals(5, nts.replicationFactor());
        assertEquals(3, nts.replicationFactor("dc1"));
        assertEquals(0, nts.replicationFactor("dc9"));
    }
}
