package io.sibyl.storage.sstable;

import io.sibyl.storage.util.Checksums;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Small components (CompressionInfo, Summary, Filter, Statistics) are read whole at open: their bytes
 * are followed by a CRC32 of them, so a damaged one is found at once rather than misread.
 */
final class ChecksummedFile {

    private ChecksummedFile() {
    }

    static void write(Path file, byte[] content, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(length + 4);
            b.put(content, 0, length).putInt(Checksums.crc32(content, 0, length)).flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    static byte[] read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CorruptSSTableException(file, "cannot read: " + e.getMessage(), e);
        }
        if (all.length < 4) {
            throw new CorruptSSTableException(file, "too short (" + all.length + " bytes)", null);
        }
        int n = all.length - 4;
        int stored = ((all[n] & 0xFF) << 24) | ((all[n + 1] & 0xFF) << 16) | ((all[n + 2] & 0xFF) << 8) | (all[n + 3] & 0xFF);
        if (stored != Checksums.crc32(all, 0, n)) {
            throw new CorruptSSTableException(file, "checksum mismatch", null);
        }
        return Arrays.copyOf(all, n);
    }
}
