package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class NativeTransportSettingsTest {

    private static NativeTransportSettings parse(String overrides) {
        return NativeTransportSettings.from(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()));
    }

    @Test
    void readThreadsAreOnePerCoreByDefaultACountOrZero() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, parse("").readThreads(), "auto: one per core");
        assertEquals(3, parse("sibyl.cql.read_threads = 3").readThreads());
        assertEquals(0, parse("sibyl.cql.read_threads = 0").readThreads(), "0: the event loops execute reads");
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> parse("sibyl.cql.read_threads = -1"));
        assertTrue(neg.getMessage().contains("read_threads"), neg.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class, () -> parse("sibyl.cql.read_threads = many"));
        assertTrue(word.getMessage().contains("auto or a count"), word.getMessage());
    }

    @Test
    void ioThreadsZeroMeansOnePerCore() {
        assertEquals(Runtime.getRuntime().availableProcessors(), parse("sibyl.cql.io_threads = 0").ioThreads());
        assertEquals(2, parse("sibyl.cql.io_threads = 2").ioThreads());
    }
}
