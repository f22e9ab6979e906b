package io.sibyl.storage.engine;

import io.sibyl.storage.commitlog.CommitLogPosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per table, the commit-log position of its last TRUNCATE: replay skips the table's records before it,
 * and SSTables whose data all lies before it are deleted at start (a crash may have stopped the truncate
 * before it deleted them). Kept in {@code <data_dir>/system/truncations}, one {@code <table id> <segment>
 * <offset>} line per table, rewritten atomically (temporary file, fsync, rename, fsync of the directory).
 */
final class TruncationRecords {

    private final Path file;
    private final Map<UUID, CommitLogPosition> records = new ConcurrentHashMap<>();

    private TruncationRecords(Path file) {
        this.file = file;
    }

    static TruncationRecords load(Path file) {
        TruncationRecords t = new TruncationRecords(file);
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] p = line.trim().split("\\s+");
                    if (p.length == 3) {
                        t.records.put(UUID.fromString(p[0]), new CommitLogPosition(Long.parseLong(p[1]), Integer.parseInt(p[2])));
                    } else if (!line.isBlank()) {
                        throw new IllegalStateException("bad line in " + file + ": " + line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return t;
    }

    CommitLogPosition get(UUID table) {
        return records.getOrDefault(table, CommitLogPosition.NONE);
    }

    long maxSegmentId() {
        return records.values().stream().mapToLong(CommitLogPosition::segmentId).max().orElse(0);
    }

    synchronized void record(UUID table, CommitLogPosition position) {
        records.merge(table, position, CommitLogPosition::max);
        save();
    }

    synchronized void remove(UUID table) {
        if (records.remove(table) != null) {
            save();
        }
    }

    private void save() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<UUID, CommitLogPosition> e : new TreeMap<>(records).entrySet()) {
            sb.append(e.getKey()).append(' ').append(e.getValue().segmentId()).append(' ').append(e.getValue().offset()).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write truncation records " + file, e);
        }
    }
}
