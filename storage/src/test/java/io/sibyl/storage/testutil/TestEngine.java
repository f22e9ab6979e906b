package io.sibyl.storage.testutil;

import io.sibyl.storage.commitlog.CommitLogSync;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.stream.Materializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Real storage engines for tests (storage's, and through the test-jar the actors' and app's): the engine
 * the node runs, on a temporary directory, with periodic commit-log sync so a write does not wait for an
 * fsync. Tests that need an engine "just to hold tables" use {@link #inTempDir()} or {@link #freshTable}.
 */
public final class TestEngine {

    private static final List<Path> TEMP_DIRS = new CopyOnWriteArrayList<>();
    private static StorageEngine shared;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TEMP_DIRS.forEach(TestEngine::deleteQuietly),
                "test-engine-cleanup"));
    }

    private TestEngine() {
    }

    /** The node's defaults, but commit-log sync periodic: acknowledged once written, fsynced every period. */
    public static StorageSettings settings() {
        StorageSettings d = StorageSettings.defaults();
        return d.withCommitLog(d.commitLog().withSync(CommitLogSync.PERIODIC));
    }

    /** Opens a durable engine in {@code dir} with {@link #settings()}; it knows no tables until created. */
    public static StorageEngine open(Path dir) {
        return open(dir, TestStreams.materializer());
    }

    public static StorageEngine open(Path dir, Materializer materializer) {
        try {
            return StorageEngine.open(dir, settings(), id -> null, materializer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a test engine in " + dir, e);
        }
    }

    /** An engine in a fresh temporary directory, deleted when the JVM exits (the engine is left open). */
    public static StorageEngine inTempDir() {
        try {
            Path dir = Files.createTempDirectory("sibyl-test-engine");
            TEMP_DIRS.add(dir);
            return open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /**
     * An empty store of {@code table} on an engine shared by the whole JVM: any store it had with the same
     * id is dropped first. For tests (and property tries) that only write and read one table.
     */
    public static synchronized TableStore freshTable(TableMetadata table) {
        if (shared == null) {
            shared = inTempDir();
        }
        shared.dropTable(table.id());
        return shared.createTable(table);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete test directory " + dir + ": " + e); // harmless leftover
        }
    }
}
