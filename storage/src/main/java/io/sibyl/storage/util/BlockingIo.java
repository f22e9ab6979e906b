package io.sibyl.storage.util;

import org.apache.pekko.stream.Materializer;

import java.util.concurrent.Executor;

/**
 * Where storage runs blocking file IO (commit-log writes and fsyncs, SSTable writes, flush commits):
 * Pekko's blocking-IO dispatcher, never the default dispatcher, whose few threads must stay free for
 * actors and stream stages.
 */
public final class BlockingIo {

    /** The blocking-IO dispatcher Pekko provides (for {@code ActorAttributes.dispatcher}). */
    public static final String DISPATCHER = "pekko.actor.default-blocking-io-dispatcher";

    private BlockingIo() {
    }

    /** The blocking-IO dispatcher of {@code materializer}'s actor system, as an executor. */
    public static Executor executor(Materializer materializer) {
        return materializer.system().dispatchers().lookup(DISPATCHER);
    }
}
