package io.sibyl.storage.snapshot;

import java.nio.file.Path;

/**
 * One table's snapshot on disk, {@code <table dir>/snapshots/<tag>/}, as {@code GET /v1/admin/snapshots}
 * lists it.
 *
 * @param tag        the snapshot's name
 * @param keyspace   the table's keyspace
 * @param table      the table's name
 * @param directory  where the snapshot's files are
 * @param files      files in it (SSTable components, {@code schema.cql}, {@code manifest.json})
 * @param bytes      their total size ("size on disk": what copying the snapshot elsewhere takes)
 * @param trueBytes  the size of the files no longer shared with the live table (Cassandra's "true size":
 *                   what clearing the snapshot frees)
 * @param createdAtMillis when the snapshot was taken (the manifest's modification time)
 */
public record Snapshot(String tag, String keyspace, String table, Path directory, int files, long bytes,
                       long trueBytes, long createdAtMillis) {
}
