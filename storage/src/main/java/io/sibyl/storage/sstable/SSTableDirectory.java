package io.sibyl.storage.sstable;

import io.sibyl.storage.schema.TableMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The directory of one table, {@code <data_dir>/data/<keyspace>/<table>-<table id without dashes>/}: finds
 * its complete SSTables, deletes the debris of interrupted writes (temporary files, generations without
 * a TOC), finishes or rolls back compactions a crash interrupted ({@link TransactionLog}), and hands out
 * generation numbers.
 */
public final class SSTableDirectory {

    private static final Logger log = LoggerFactory.getLogger(SSTableDirectory.class);

    /** The subdirectory holding snapshots (see io.sibyl.storage.snapshot.SnapshotDirectory). */
    public static final String SNAPSHOTS = "snapshots";

    private final Path directory;
    private final AtomicInteger lastGeneration = new AtomicInteger();

    public SSTableDirectory(Path directory) {
        this.directory = directory;
    }

    public static Path of(Path dataDir, TableMetadata table) {
        return dataDir.resolve("data").resolve(table.keyspace())
                .resolve(table.name() + "-" + table.id().toString().replace("-", ""));
    }

    public Path path() {
        return directory;
    }

    /**
     * Deletes temporary files and incomplete generations, then returns the complete generations in
     * ascending order. Call once, before any writer uses this directory.
     */
    public List<Descriptor> cleanupAndList() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        // Interrupted compactions first: each either completes (committed) or rolls back.
        lastGeneration.accumulateAndGet(TransactionLog.recover(directory), Math::max);
        Map<Integer, Set<Component>> found = new HashMap<>();
        List<Path> debris = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Descriptor.ParsedName n = Descriptor.parse(f);
                if (n == null) {
                    continue;
                }
                lastGeneration.accumulateAndGet(n.generation(), Math::max);
                if (n.temporary()) {
                    debris.add(f);
                } else {
                    found.computeIfAbsent(n.generation(), g -> new HashSet<>()).add(n.component());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        for (Path f : debris) {
            log.info("Deleting temporary SSTable file {} left by an interrupted write", f);
            deleteQuietly(f);
        }
        TreeSet<Integer> complete = new TreeSet<>();
        for (Map.Entry<Integer, Set<Component>> e : found.entrySet()) {
            Descriptor d = new Descriptor(directory, e.getKey());
            if (e.getValue().contains(Component.TOC)) {
                complete.add(e.getKey());
            } else {
                log.info("Deleting incomplete SSTable {} (no TOC: its write never finished)", d);
                deleteGeneration(d);
            }
        }
        List<Descriptor> out = new ArrayList<>();
        for (int g : complete) {
            out.add(new Descriptor(directory, g));
        }
        return out;
    }

    /** A fresh descriptor for a new SSTable. */
    public Descriptor newDescriptor() {
        return new Descriptor(directory, lastGeneration.incrementAndGet());
    }

    /** Deletes every file, final or temporary, of one generation (the TOC first, so a crash midway leaves debris, not a broken SSTable). */
    public static void deleteGeneration(Descriptor d) {
        deleteQuietly(d.path(Component.TOC));
        for (Component c : Component.values()) {
            deleteQuietly(d.path(c));
            deleteQuietly(d.tmpPath(c));
        }
    }

    /**
     * Deletes the table directory and everything in it (DROP TABLE) except its {@code snapshots}
     * subdirectory: a directory holding snapshots stays, with only them.
     */
    public void deleteAll() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> !f.getFileName().toString().equals(SNAPSHOTS)).forEach(SSTableDirectory::deleteQuietly);
        } catch (IOException e) {
            log.warn("Could not list {} to delete it", directory, e);
        }
        if (!Files.isDirectory(directory.resolve(SNAPSHOTS))) {
            deleteQuietly(directory);
        }
    }

    /**
     * The complete (TOC present), final SSTable generations now in the directory, ascending; unlike
     * {@link #cleanupAndList} it deletes nothing (flushes and compactions may be writing meanwhile).
     */
    public List<Descriptor> listComplete() {
        TreeSet<Integer> complete = new TreeSet<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Descriptor.ParsedName n = Descriptor.parse(f);
                    if (n != null && !n.temporary() && n.component() == Component.TOC) {
                        complete.add(n.generation());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + directory, e);
            }
        }
        List<Descriptor> out = new ArrayList<>();
        for (int g : complete) {
            out.add(new Descriptor(directory, g));
        }
        return out;
    }

    /**
     * Gives SSTable {@code from} (placed here by an operator) a fresh generation of this directory, so it
     * cannot collide with generations flushes and compactions hand out. Crash-safe by links: the new
     * generation is linked with its TOC last, then the old one is deleted TOC first; a crash leaves either
     * generation complete (or both, holding the same data).
     */
    public Descriptor adopt(Descriptor from) {
        lastGeneration.accumulateAndGet(from.generation(), Math::max);
        Descriptor to = newDescriptor();
        try {
            for (Component c : Component.values()) {
                if (c != Component.TOC && Files.exists(from.path(c))) {
                    Files.createLink(to.path(c), from.path(c));
                }
            }
            Files.createLink(to.path(Component.TOC), from.path(Component.TOC));
            syncDirectory(directory);
        } catch (IOException e) {
            deleteGeneration(to);
            throw new UncheckedIOException("cannot adopt SSTable " + from + " as " + to, e);
        }
        deleteGeneration(from);
        return to;
    }

    static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            log.warn("Could not delete {}", f, e);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
