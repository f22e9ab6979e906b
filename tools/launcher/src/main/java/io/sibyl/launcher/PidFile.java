package io.sibyl.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code <data dir>/sibyl.pid}: the process id of the node that runs on a data directory. {@code sibyl start}
 * writes it once the node runs and removes it on a clean exit; tools (local-cluster's "already runs" check,
 * {@code sibyl verify --target-data-dirs}) read it. Written to a temporary file and moved into place, so a reader
 * never sees a half-written number.
 */
public final class PidFile {
    public static final String NAME = "sibyl.pid";

    private PidFile() {
    }

    public static Path in(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    public static void write(Path file, long pid) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, NAME, ".tmp");
        try {
            Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The pid in the file; empty when there is no file or it holds no number. */
    public static Optional<Long> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The pid in the file if that process lives and is a Sibyl JVM (a recycled pid belongs to some other program). */
    public static Optional<Long> liveSibylPid(Path file) {
        return read(file).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains("io.sibyl")).orElse(true))
                .map(ProcessHandle::pid);
    }

    /** Removes the file if it still names {@code pid} (a newer process on the same directory keeps its own). */
    public static void deleteIfOwn(Path file, long pid) throws IOException {
        if (read(file).filter(p -> p == pid).isPresent()) {
            Files.deleteIfExists(file);
        }
    }
}
