package io.sibyl.actors.flush;

import io.sibyl.storage.engine.StorageEngine;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Clean shutdown of the storage engine as a CoordinatedShutdown task: flush every memtable, then close
 * the commit log, before the actor system (which runs the commit-log and flush streams) terminates. A
 * SIGTERM therefore leaves nothing to replay; a kill -9 leaves the commit log, which the next start replays.
 */
public final class StorageShutdown {

    private StorageShutdown() {
    }

    /** Registers the task in phase {@code before-actor-system-terminate} (after HTTP has stopped serving). */
    public static void register(ActorSystem<?> system, StorageEngine engine) {
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "sibyl-storage-close", () -> engine.closeAsync().thenApply(x -> Done.getInstance()));
    }
}
