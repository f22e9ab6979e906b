package io.sibyl.actors.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema of one node, kept in {@code <data_dir>/system/schema.json}. A change is written to a
 * temporary file, fsynced and renamed over the old one, so a crash leaves the old or the new schema.
 */
public final class LocalSchemaStore implements SchemaStore {
    private static final Logger log = LoggerFactory.getLogger(LocalSchemaStore.class);

    private final Path file;
    private final List<Consumer<Schema>> listeners = new CopyOnWriteArrayList<>();
    private volatile Schema current;

    private LocalSchemaStore(Path file, Schema initial) {
        this.file = file;
        this.current = initial;
    }

    public static LocalSchemaStore open(Path dataDir) {
        Path dir = dataDir.resolve("system");
        Path file = dir.resolve("schema.json");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("schema.json.tmp"));
            Schema initial = Files.exists(file) ? SchemaCodec.decode(Files.readAllBytes(file)) : Schema.EMPTY;
            log.info("schema loaded from {}: {} keyspaces, version {}", file, initial.keyspaces().size(), initial.version());
            return new LocalSchemaStore(file, initial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open schema in " + dir, e);
        }
    }

    @Override
    public Schema current() {
        return current;
    }

    @Override
    public CompletionStage<Schema> update(UnaryOperator<Schema> change) {
        Schema next;
        synchronized (this) {
            try {
                next = change.apply(current);
                if (next.equals(current)) {
                    return CompletableFuture.completedFuture(current);
                }
                persist(next);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            current = next;
        }
        for (Consumer<Schema> l : listeners) {
            l.accept(next);
        }
        return CompletableFuture.completedFuture(next);
    }

    @Override
    public void addListener(Consumer<Schema> listener) {
        listeners.add(listener);
    }

    private void persist(Schema schema) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(SchemaCodec.encode(schema));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write schema to " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install schema file " + file, e);
        }
    }
}
