package io.sibyl.actors.persistence;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A durable pekko-persistence journal on local disk: each persistence id's events in append-only,
 * checksummed segment files under {@code <dir>/<url-encoded persistence id>/} (layout in
 * {@link JournalSegment}, docs/storage-format.md and docs/adr/006-hint-journal.md).
 *
 * <p>All file work happens synchronously inside the journal actor, one message at a time, so no two
 * operations on a log ever overlap (the journal runs on its own plugin dispatcher, off the default one).
 * A write is acknowledged only after its bytes are fsynced ({@code fsync = on}).
 *
 * <p>Config: {@code dir}, {@code segment-size} (bytes before a new segment starts), {@code fsync}.
 */
public final class SegmentedFileJournal extends AsyncWriteJournal {

    private final Path dir;
    private final long segmentSize;
    private final boolean fsync;
    private final Serialization serialization;
    private final Map<String, PersistenceIdLog> logs = new HashMap<>();

    public SegmentedFileJournal(Config config) {
        String configured = config.getString("dir");
        if (configured.isBlank()) {
            throw new IllegalArgumentException("journal plugin " + getClass().getSimpleName()
                    + ": 'dir' is not set (HintSettings.toPekkoConfig() sets it from sibyl.data_dir)");
        }
        this.dir = Path.of(configured).toAbsolutePath().normalize();
        this.segmentSize = config.getBytes("segment-size");
        this.fsync = config.getBoolean("fsync");
        this.serialization = SerializationExtension.get(context().system());
    }

    /** The persistence ids that have a log under {@code dir} (events, or only a deleted-to mark). */
    public static List<String> persistenceIds(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        TreeSet<String> ids = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path p : entries) {
                ids.add(URLDecoder.decode(p.getFileName().toString(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(ids);
    }

    static Path logDirectory(Path dir, String persistenceId) {
        String name = URLEncoder.encode(persistenceId, StandardCharsets.UTF_8);
        if (name.equals(".") || name.equals("..")) {
            name = name.replace(".", "%2E");
        }
        return dir.resolve(name);
    }

    private PersistenceIdLog log(String persistenceId) throws IOException {
        PersistenceIdLog log = logs.get(persistenceId);
        if (log == null) {
            log = PersistenceIdLog.open(logDirectory(dir, persistenceId), segmentSize, fsync);
            logs.put(persistenceId, log);
        }
        return log;
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        List<Optional<Exception>> results = new ArrayList<>();
        try {
            for (AtomicWrite write : messages) {
                List<JournalSegment.Entry> entries = new ArrayList<>();
                Exception rejected = null;
                for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
                    try {
                        entries.add(new JournalSegment.Entry(repr.sequenceNr(), serialization.serialize(repr).get()));
                    } catch (Exception e) {
                        // A serialization failure rejects this atomic write only; nothing of it is written.
                        rejected = e;
                        break;
                    }
                }
                if (rejected != null) {
                    results.add(Optional.of(rejected));
                    continue;
                }
                log(write.persistenceId()).append(entries);
                results.add(Optional.empty());
            }
        } catch (IOException | RuntimeException e) {
            return Futures.failed(e);
        }
        return Futures.successful(results);
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        try {
            log(persistenceId).deleteTo(toSequenceNr);
            return Futures.successful(null);
        } catch (IOException | RuntimeException e) {
            return Futures.failed(e);
        }
    }

    @Override
    public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
                                              Consumer<PersistentRepr> replayCallback) {
        try {
            log(persistenceId).replay(fromSequenceNr, toSequenceNr, max, entry -> {
                PersistentRepr repr = serialization.deserialize(entry.payload(), PersistentRepr.class).get();
                replayCallback.accept(repr);
            });
            return Futures.successful(null);
        } catch (IOException | RuntimeException e) {
            return Futures.failed(e);
        }
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        try {
            return Futures.successful(log(persistenceId).highestSequenceNr());
        } catch (IOException | RuntimeException e) {
            return Futures.failed(e);
        }
    }

    @Override
    public void postStop() throws Exception {
        for (PersistenceIdLog log : logs.values()) {
            log.close();
        }
        logs.clear();
        super.postStop();
    }
}
