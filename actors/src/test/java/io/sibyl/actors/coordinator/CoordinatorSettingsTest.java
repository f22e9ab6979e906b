package io.sibyl.actors.coordinator;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoordinatorSettingsTest {

    @Test
    void defaultsAreCassandras() {
        CoordinatorSettings s = CoordinatorSettings.defaults();
        assertEquals(Duration.ofSeconds(2), s.writeRequestTimeout());
        assertEquals(Duration.ofSeconds(5), s.readRequestTimeout());
        assertEquals(Duration.ofSeconds(10), s.rangeRequestTimeout());
        assertEquals(1024, s.maxInFlightPerPeer());
        assertTrue(s.hintedHandoffEnabled());
        assertEquals(CoordinatorSettings.ReadRepair.BLOCKING, s.readRepair());
        assertEquals(Duration.ofSeconds(60), s.truncateRequestTimeout());
    }

    @Test
    void settingsAreRead() {
        CoordinatorSettings s = CoordinatorSettings.fromConfig(ConfigFactory.parseString("""
                sibyl.coordinator { write_request_timeout = 300ms, read_repair = NONE, max_in_flight_per_peer = 8,
                                    truncate_request_timeout = 7s }
                sibyl.hints.hinted_handoff_enabled = off
                """));
        assertEquals(Duration.ofMillis(300), s.writeRequestTimeout());
        assertEquals(CoordinatorSettings.ReadRepair.NONE, s.readRepair());
        assertFalse(s.hintedHandoffEnabled());
        assertEquals(8, s.maxInFlightPerPeer());
        assertEquals(Duration.ofSeconds(7), s.truncateRequestTimeout());
        assertThrows(IllegalArgumentException.class, () -> CoordinatorSettings.fromConfig(
                ConfigFactory.parseString("sibyl.coordinator.read_repair = sometimes")));
        assertThrows(IllegalArgumentException.class, () -> CoordinatorSettings.fromConfig(
                ConfigFactory.parseString("sibyl.coordinator.write_request_timeout = 0s")));
    }
}
