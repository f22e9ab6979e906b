package io.sibyl.actors.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What this node's data directory says about its ring membership, in
 * {@code <data_dir>/system/bootstrap-state} (Cassandra's {@code system.local.bootstrapped}):
 * {@code IN_PROGRESS} from a new node's first start until it is NORMAL, then {@code COMPLETED};
 * {@code LEFT} once it was decommissioned (it then refuses to start). A data directory whose identity
 * exists but has no such file predates this file and counts as COMPLETED.
 */
public enum BootstrapState {
    IN_PROGRESS, COMPLETED, LEFT;

    public static final String FILE_NAME = "bootstrap-state";

    public static Path file(Path dataDir) {
        return dataDir.resolve("system").resolve(FILE_NAME);
    }

    /** The stored state, or null when there is none. */
    public static BootstrapState read(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return valueOf(Files.readString(f, StandardCharsets.UTF_8).trim());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + f + " (" + e.getMessage() + "); refusing to start "
                    + "rather than guess whether this node finished bootstrapping", e);
        }
    }

    /** Stores the state durably (temp file, fsync, rename). */
    public void write(Path dataDir) {
        Path f = file(dataDir);
        Path tmp = f.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(tmp, name() + "\n", StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
