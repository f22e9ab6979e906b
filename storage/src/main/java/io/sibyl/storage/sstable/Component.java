package io.sibyl.storage.sstable;

/** The files that make one SSTable generation (layouts in docs/storage-format.md). */
public enum Component {
    /** Partitions in token order, rows in clustering order, as LZ4 chunks each followed by its CRC32. */
    DATA("Data.db"),
    /** Chunk length, uncompressed length and the file offset of every compressed chunk. */
    COMPRESSION_INFO("CompressionInfo.db"),
    /** One entry per partition: key, position in the data, and row index blocks for wide partitions. */
    INDEX("Index.db"),
    /** Every Nth index entry, held in memory to find where to start scanning the index. */
    SUMMARY("Summary.db"),
    /** The bloom filter over partition keys. */
    FILTER("Filter.db"),
    /** Timestamps, clusterings, counts, tombstone histogram, level, commit-log bound, column names. */
    STATISTICS("Statistics.db"),
    /** Table of contents: the component files, one per line. Written last: a generation without it is incomplete. */
    TOC("TOC.txt");

    private final String suffix;

    Component(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    public static Component ofSuffix(String s) {
        for (Component c : values()) {
            if (c.suffix.equals(s)) {
                return c;
            }
        }
        return null;
    }
}
