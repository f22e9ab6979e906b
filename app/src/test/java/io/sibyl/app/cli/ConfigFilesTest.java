package io.sibyl.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every module's reference.conf parses and resolves, and config/sibyl.conf — which says "every value
 * below IS the default" — parses and agrees with the defaults it documents.
 */
class ConfigFilesTest {

    private static final Path SIBYL_CONF = Path.of("..", "config", "sibyl.conf");

    @Test
    void referenceConfigsParseAndResolve() {
        Config reference = ConfigFactory.defaultReference();
        assertTrue(reference.hasPath("sibyl.storage.commitlog_sync"));
        assertTrue(reference.hasPath("sibyl.cluster.num_tokens"));
        assertTrue(reference.hasPath("sibyl.coordinator.write_request_timeout"));
        assertTrue(reference.hasPath("sibyl.hints.max_hint_window"));
        assertTrue(reference.hasPath("sibyl.http.port"));
    }

    @Test
    void sibylConfDocumentsTheDefaults() {
        assertTrue(Files.exists(SIBYL_CONF), SIBYL_CONF.toAbsolutePath().toString());
        Config file = ConfigFactory.parseFile(SIBYL_CONF.toFile());
        Config reference = ConfigFactory.defaultReference();
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : file.entrySet()) {
            String path = e.getKey();
            if (!reference.hasPath(path)) {
                differ.add(path + " is not a setting any module knows");
            } else if (!reference.getValue(path).unwrapped().toString().equals(e.getValue().unwrapped().toString())
                    && !sameDuration(reference, file, path)) {
                differ.add(path + " = " + e.getValue().unwrapped() + " but the default is "
                        + reference.getValue(path).unwrapped());
            }
        }
        assertEquals(List.of(), differ);
    }

    /** "10s" and "10000ms", or "4MiB" and "4194304", are the same default written two ways. */
    private static boolean sameDuration(Config a, Config b, String path) {
        try {
            return a.getDuration(path).equals(b.getDuration(path));
        } catch (RuntimeException notADuration) {
            try {
                return a.getBytes(path).equals(b.getBytes(path));
            } catch (RuntimeException notBytes) {
                return false;
            }
        }
    }
}
