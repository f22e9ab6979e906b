package io.sibyl.actors.repair;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RepairSettingsTest {

    @Test
    void defaultsAndOverrides() {
        RepairSettings d = RepairSettings.defaults();
        assertEquals(12, d.merkleTreeDepth());
        assertEquals(Duration.ofSeconds(60), d.requestTimeout());
        assertEquals(256 * 1024, d.batchBytes());
        RepairSettings s = RepairSettings.fromConfig(ConfigFactory.parseString(
                "sibyl.repair { merkle_tree_depth = 8, request_timeout = 5s, batch_bytes = 1KiB }"));
        assertEquals(8, s.merkleTreeDepth());
        assertEquals(Duration.ofSeconds(5), s.requestTimeout());
        assertEquals(1024, s.batchBytes());
        assertThrows(IllegalArgumentException.class, () -> RepairSettings.fromConfig(
                ConfigFactory.parseString("sibyl.repair.merkle_tree_depth = 16")));
        assertThrows(IllegalArgumentException.class, () -> RepairSettings.fromConfig(
                ConfigFactory.parseString("sibyl.repair.request_timeout = 0s")));
    }
}
