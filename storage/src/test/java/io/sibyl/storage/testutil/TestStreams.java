package io.sibyl.storage.testutil;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;

/** One daemonic actor system for the storage tests that run commit logs and flushes. */
public final class TestStreams {

    private static volatile Materializer materializer;

    private TestStreams() {
    }

    public static synchronized Materializer materializer() {
        if (materializer == null) {
            ActorSystem system = ActorSystem.create("storage-test",
                    ConfigFactory.parseString("pekko.daemonic = on\npekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
            materializer = Materializer.matFromSystem(system);
        }
        return materializer;
    }
}
