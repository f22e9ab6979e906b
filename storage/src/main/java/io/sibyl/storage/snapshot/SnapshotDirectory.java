package io.sibyl.storage.snapshot;

import io.sibyl.storage.sstable.Component;
import io.sibyl.storage.sstable.Descriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The snapshots of table directories: {@code <data_dir>/data/<ks>/<table>-<id>/snapshots/<tag>/} holds a
 * hard link to every component of every SSTable that was live when the snapshot was taken, the table's
 * CQL ({@code schema.cql}) and {@code manifest.json} (the SSTable files). Hard links cost no space until
 * compaction deletes the originals, and a later compaction or TRUNCATE cannot change a snapshot's files.
 */
public final class SnapshotDirectory {

    private static final Logger log = LoggerFactory.getLogger(SnapshotDirectory.class);

    /** The subdirectory of a table directory that holds its snapshots. */
    public static final String SNAPSHOTS = "snapshots";
    public static final String SCHEMA_FILE = "schema.cql";
    public static final String MANIFEST_FILE = "manifest.json";
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}");

    private SnapshotDirectory() {
    }

    /** Throws IllegalArgumentException unless {@code tag} is a safe directory name (letters, digits, _ . -). */
    public static String validateTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid snapshot tag '" + tag
                    + "': 1-200 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        return tag;
    }

    public static Path of(Path tableDir, String tag) {
        return tableDir.resolve(SNAPSHOTS).resolve(validateTag(tag));
    }

    /** Creates the (new) snapshot directory; fails if the tag exists. */
    public static Path create(Path tableDir, String tag, String keyspace, String table) {
        Path dir = of(tableDir, tag);
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir);
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new SnapshotAlreadyExistsException(tag, keyspace, table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create snapshot directory " + dir, e);
        }
    }

    public static boolean exists(Path tableDir, String tag) {
        return Files.isDirectory(of(tableDir, tag));
    }

    /** Hard-links every existing component of {@code d} into {@code snapshotDir}; returns the file names. */
    public static List<String> link(Descriptor d, Path snapshotDir) {
        List<String> names = new ArrayList<>();
        for (Component c : Component.values()) {
            Path src = d.path(c);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = snapshotDir.resolve(src.getFileName());
            try {
                Files.createLink(dst, src);
            } catch (UnsupportedOperationException e) {
                copy(src, dst); // a file system without hard links: copy
            } catch (IOException e) {
                throw new UncheckedIOException("cannot link " + src + " into " + snapshotDir, e);
            }
            names.add(src.getFileName().toString());
        }
        return names;
    }

    private static void copy(Path src, Path dst) {
        try {
            Files.copy(src, dst);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + src + " to " + dst, e);
        }
    }

    /** Writes {@code schema.cql} and then {@code manifest.json} (last: a snapshot without it is incomplete). */
    public static void finish(Path snapshotDir, String schemaCql, List<String> files) {
        try {
            Files.writeString(snapshotDir.resolve(SCHEMA_FILE), schemaCql + "\n", StandardCharsets.UTF_8);
            StringBuilder m = new StringBuilder("{\"files\":[");
            for (int i = 0; i < files.size(); i++) {
                m.append(i == 0 ? "" : ",").append('"').append(files.get(i)).append('"');
            }
            m.append("]}\n");
            Files.writeString(snapshotDir.resolve(MANIFEST_FILE), m.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the schema and manifest of snapshot " + snapshotDir, e);
        }
    }

    /** Every snapshot under {@code <dataDir>/data}, dropped tables' included, sorted by tag, keyspace, table. */
    public static List<Snapshot> list(Path dataDir) {
        List<Snapshot> out = new ArrayList<>();
        Path data = dataDir.resolve("data");
        for (Path ks : children(data)) {
            for (Path tableDir : children(ks)) {
                String dirName = tableDir.getFileName().toString();
                int dash = dirName.lastIndexOf('-');
                String table = dash > 0 ? dirName.substring(0, dash) : dirName;
                for (Path snap : children(tableDir.resolve(SNAPSHOTS))) {
                    out.add(describe(snap, ks.getFileName().toString(), table));
                }
            }
        }
        out.sort(Comparator.comparing(Snapshot::tag).thenComparing(Snapshot::keyspace).thenComparing(Snapshot::table));
        return out;
    }

    /** What {@code snap} holds now. */
    public static Snapshot describe(Path snap, String keyspace, String table) {
        int files = 0;
        long bytes = 0;
        long trueBytes = 0;
        for (Path f : children(snap)) {
            files++;
            try {
                long size = Files.size(f);
                bytes += size;
                if (linkCount(f) <= 1) {
                    trueBytes += size;
                }
            } catch (IOException e) {
                log.warn("Cannot read the size of snapshot file {}", f, e);
            }
        }
        long created;
        try {
            Path manifest = snap.resolve(MANIFEST_FILE);
            created = Files.getLastModifiedTime(Files.exists(manifest) ? manifest : snap).toMillis();
        } catch (IOException e) {
            created = 0;
        }
        return new Snapshot(snap.getFileName().toString(), keyspace, table, snap, files, bytes, trueBytes, created);
    }

    private static int linkCount(Path f) {
        try {
            return (Integer) Files.getAttribute(f, "unix:nlink");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    /**
     * Deletes the snapshots named {@code tag} (null: every snapshot) of the tables of {@code keyspace}
     * (null: all keyspaces); returns how many table snapshots were deleted.
     */
    public static int clear(Path dataDir, String tag, String keyspace) {
        if (tag != null) {
            validateTag(tag);
        }
        int cleared = 0;
        for (Snapshot s : list(dataDir)) {
            if ((tag == null || s.tag().equals(tag)) && (keyspace == null || s.keyspace().equals(keyspace))) {
                deleteTree(s.directory());
                cleared++;
                log.info("Cleared snapshot {} of {}.{}", s.tag(), s.keyspace(), s.table());
            }
        }
        return cleared;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
