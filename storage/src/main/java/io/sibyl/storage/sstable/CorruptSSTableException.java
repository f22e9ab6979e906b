package io.sibyl.storage.sstable;

import java.nio.file.Path;

/**
 * An SSTable file failed its checksum or does not decode. Only the reads touching the damaged part fail;
 * the message names the file so an operator can scrub or replace it.
 */
public final class CorruptSSTableException extends RuntimeException {

    private final Path file;

    public CorruptSSTableException(Path file, String detail, Throwable cause) {
        super("corrupt SSTable file " + file + ": " + detail, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
