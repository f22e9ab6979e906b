package io.sibyl.actors.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sibyl.actors.ring.TokenRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The ranges an incoming stream session has finished for one keyspace from one source, in
 * {@code <data_dir>/system/streams/<sessionId>/<keyspace>-from-<source>.json} (written to a temporary file,
 * fsynced, renamed over the old one): a retry of the session with the same id skips them. A range is
 * recorded only once its data is durable on this node. One file per (keyspace, source), because a change
 * fetches them all at once.
 */
final class StreamProgressFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** What the file holds. */
    record Content(String sessionId, String keyspace, String source, List<Done> done) {
    }

    /** One finished (table, range). */
    record Done(UUID table, long left, long right) {
    }

    private final Path file;
    private final String sessionId;
    private final String keyspace;
    private final String source;
    private final Set<Done> done = new LinkedHashSet<>();

    private StreamProgressFile(Path file, String sessionId, String keyspace, String source) {
        this.file = file;
        this.sessionId = sessionId;
        this.keyspace = keyspace;
        this.source = source;
    }

    static void checkSessionId(String sessionId) {
        if (sessionId == null || !SAFE_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("stream session id must be 1-128 characters of A-Z a-z 0-9 . _ -, not '"
                    + sessionId + "'");
        }
    }

    /** The session's progress so far (none if it never ran); {@code dir} null keeps it in memory only. */
    static synchronized StreamProgressFile open(Path dir, String sessionId, String keyspace, String source) {
        checkSessionId(sessionId);
        StreamProgressFile f = new StreamProgressFile(dir == null ? null : file(dir, sessionId, keyspace, source),
                sessionId, keyspace, source);
        if (f.file != null && Files.exists(f.file)) {
            try {
                Content c = JSON.readValue(f.file.toFile(), Content.class);
                if (!keyspace.equals(c.keyspace())) {
                    throw new IllegalArgumentException("stream session " + sessionId + " was for keyspace " + c.keyspace()
                            + ", not " + keyspace + "; use a new session id");
                }
                f.done.addAll(c.done());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read stream progress " + f.file, e);
            }
        }
        return f;
    }

    /** Where the progress of {@code sessionId}'s fetch of {@code keyspace} from {@code source} is kept. */
    static Path file(Path dir, String sessionId, String keyspace, String source) {
        return dir.resolve(sessionId).resolve(safe(keyspace) + "-from-" + safe(source) + ".json");
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    synchronized boolean isDone(UUID table, TokenRange range) {
        return done.contains(new Done(table, range.left(), range.right()));
    }

    synchronized void markDone(UUID table, TokenRange range) {
        if (done.add(new Done(table, range.left(), range.right()))) {
            write();
        }
    }

    synchronized int doneCount() {
        return done.size();
    }

    private void write() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Content(sessionId, keyspace, source, new ArrayList<>(done)));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dirCh = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dirCh.force(true);
            } catch (IOException ignored) {
                // some file systems cannot fsync a directory; the rename is still atomic
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record stream progress in " + file, e);
        }
    }
}
