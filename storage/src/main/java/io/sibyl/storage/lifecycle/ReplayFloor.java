package io.sibyl.storage.lifecycle;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.util.Checksums;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A table's replay floor when its SSTables no longer carry it. Replay skips a table's records before the
 * highest {@code commit_log_upper_bound} of its SSTables; a compaction that purges everything (no
 * output) or drops fully expired SSTables can remove the SSTable holding that bound, and replay would then
 * re-apply writes whose tombstones are gone. Before such a swap the old bound is written here, so the
 * floor never moves back. File {@code <table dir>/replay_floor}: one line {@code <segment id> <offset>
 * <crc32 hex of the text before it>}, replaced atomically (temporary file, fsync, rename, directory fsync).
 */
final class ReplayFloor {

    static final String FILE = "replay_floor";

    private ReplayFloor() {
    }

    /** The recorded floor, or NONE if there is none (a damaged file counts as none: SSTables still bound it). */
    static CommitLogPosition load(Path tableDir) {
        Path f = tableDir.resolve(FILE);
        if (!Files.exists(f)) {
            return CommitLogPosition.NONE;
        }
        try {
            String[] p = Files.readString(f, StandardCharsets.UTF_8).trim().split(" ");
            if (p.length != 3 || Long.parseLong(p[2], 16) != Checksums.crc32(p[0] + " " + p[1])) {
                return CommitLogPosition.NONE;
            }
            return new CommitLogPosition(Long.parseLong(p[0]), Integer.parseInt(p[1]));
        } catch (IOException | NumberFormatException e) {
            return CommitLogPosition.NONE;
        }
    }

    static void store(Path tableDir, CommitLogPosition floor) {
        String body = floor.segmentId() + " " + floor.offset();
        byte[] bytes = (body + " " + Long.toHexString(Checksums.crc32(body)) + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = tableDir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(tableDir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bb = ByteBuffer.wrap(bytes);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                ch.force(true);
            }
            Files.move(tmp, tableDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(tableDir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the replay floor in " + tableDir, e);
        }
    }
}
