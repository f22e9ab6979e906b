package io.sibyl.storage.snapshot;

/** A snapshot with this tag already exists for the table (tags are never overwritten). */
public final class SnapshotAlreadyExistsException extends RuntimeException {

    private final String tag;

    public SnapshotAlreadyExistsException(String tag, String keyspace, String table) {
        super("snapshot " + tag + " already exists for " + keyspace + "." + table);
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
