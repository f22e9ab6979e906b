package io.sibyl.actors.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Lets tests outside this package look into a journal directory. */
public final class JournalInspector {
    private JournalInspector() {
    }

    /** Events still in the log of one persistence id (its directory). */
    public static long countEvents(Path logDirectory) {
        try (PersistenceIdLog log = PersistenceIdLog.open(logDirectory, 1 << 20, false)) {
            AtomicLong n = new AtomicLong();
            log.replay(1, Long.MAX_VALUE, Long.MAX_VALUE, e -> n.incrementAndGet());
            return n.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
