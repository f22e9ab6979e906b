package io.sibyl.storage.sstable;

import io.sibyl.storage.util.Checksums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The log that makes replacing a set of SSTables atomic across crashes (Cassandra's LogTransaction, made
 * small). A compaction first writes {@code remove} lines for its inputs, then an {@code add} line before it
 * creates each output, then — once every output is complete on disk — one {@code commit} line; each line is
 * fsynced and carries a CRC. At start ({@link #recover}), a log with a valid commit line means the new set
 * won: the removed generations are deleted. Any other log (no commit, or a torn one) means the old set
 * stays: the added generations are deleted. Then the log is deleted. So either the old or the new set is
 * live after a crash at any point — never both, never neither. The log is deleted at run time only once
 * every removed generation's files are gone.
 *
 * <p>File {@code txn-<uuid>.log} in the table directory; lines {@code remove:<gen>:<crc>},
 * {@code add:<gen>:<crc>}, {@code commit:0:<crc>}, crc being the CRC32 (hex) of the text before it.
 */
public final class TransactionLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionLog.class);
    static final String PREFIX = "txn-";
    static final String SUFFIX = ".log";

    private final Path file;
    private final Path directory;
    private final FileChannel channel;
    private final List<Integer> removed;
    private final List<Integer> added = new ArrayList<>();
    private boolean committed;

    private TransactionLog(Path directory, Path file, FileChannel channel, List<Integer> removed) {
        this.directory = directory;
        this.file = file;
        this.channel = channel;
        this.removed = List.copyOf(removed);
    }

    /** Starts a transaction replacing {@code removed} (generations in {@code directory}); durable on return. */
    public static TransactionLog begin(Path directory, Collection<Integer> removed) {
        Path file = directory.resolve(PREFIX + UUID.randomUUID() + SUFFIX);
        try {
            Files.createDirectories(directory);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            TransactionLog t = new TransactionLog(directory, file, ch, List.copyOf(removed));
            StringBuilder sb = new StringBuilder();
            for (int g : removed) {
                sb.append(line("remove", g));
            }
            t.append(sb.toString());
            SSTableDirectory.syncDirectory(directory);
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a transaction log in " + directory, e);
        }
    }

    /** Records that a new generation is about to be written (call before creating any of its files). */
    public void addOutput(int generation) {
        append(line("add", generation));
        added.add(generation);
    }

    /** The commit point: from here on a crash leaves the new set. Every output must be complete on disk. */
    public void commit() {
        append(line("commit", 0));
        committed = true;
    }

    public boolean isCommitted() {
        return committed;
    }

    public List<Integer> removed() {
        return removed;
    }

    /** Gives up before commit: deletes every added generation, then the log. */
    public void abort() {
        if (committed) {
            throw new IllegalStateException("transaction already committed");
        }
        for (int g : added) {
            SSTableDirectory.deleteGeneration(new Descriptor(directory, g));
        }
        close();
        delete();
    }

    /** Deletes the log once its outcome no longer needs recording (removed files gone, or aborted). */
    public void delete() {
        close();
        SSTableDirectory.deleteQuietly(file);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    public Path file() {
        return file;
    }

    private void append(String text) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write transaction log " + file, e);
        }
    }

    static String line(String type, int generation) {
        String body = type + ":" + generation;
        return body + ":" + Long.toHexString(Checksums.crc32(body)) + "\n";
    }

    /** What one log on disk says; lines after the first damaged one are ignored (a torn tail). */
    record Parsed(List<Integer> removed, List<Integer> added, boolean committed) {
        int maxGeneration() {
            int m = 0;
            for (int g : removed) {
                m = Math.max(m, g);
            }
            for (int g : added) {
                m = Math.max(m, g);
            }
            return m;
        }
    }

    static Parsed parse(Path file) throws IOException {
        List<Integer> removed = new ArrayList<>();
        List<Integer> added = new ArrayList<>();
        boolean committed = false;
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            boolean complete = i < lines.length - 1; // the last piece has no newline: torn (or empty)
            String[] parts = lines[i].split(":");
            if (!complete || parts.length != 3) {
                break;
            }
            String body = parts[0] + ":" + parts[1];
            int gen;
            try {
                gen = Integer.parseInt(parts[1]);
                if (Long.parseLong(parts[2], 16) != Checksums.crc32(body)) {
                    break;
                }
            } catch (NumberFormatException e) {
                break;
            }
            switch (parts[0]) {
                case "remove" -> removed.add(gen);
                case "add" -> added.add(gen);
                case "commit" -> committed = true;
                default -> {
                    return new Parsed(removed, added, committed);
                }
            }
        }
        return new Parsed(removed, added, committed);
    }

    /**
     * Finishes or rolls back every transaction left in {@code directory} by a crash (see the class comment)
     * and returns the highest generation any of them named, so generations are never reused.
     */
    static int recover(Path directory) {
        int maxGen = 0;
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(directory)) {
            logs = files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        for (Path f : logs) {
            Parsed p;
            try {
                p = parse(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read transaction log " + f, e);
            }
            maxGen = Math.max(maxGen, p.maxGeneration());
            List<Integer> gone = p.committed() ? p.removed() : p.added();
            log.info("Transaction log {} {}: deleting generations {}", f, p.committed() ? "committed" : "not committed",
                    gone);
            for (int g : gone) {
                SSTableDirectory.deleteGeneration(new Descriptor(directory, g));
            }
            try {
                SSTableDirectory.syncDirectory(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync " + directory, e);
            }
            SSTableDirectory.deleteQuietly(f);
        }
        return maxGen;
    }
}
