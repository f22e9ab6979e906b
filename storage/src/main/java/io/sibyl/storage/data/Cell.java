package io.sibyl.storage.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * One written value of one column of one row: live, expiring (written with a TTL) or a tombstone.
 *
 * @param column            the column's name (cells refer to columns by name so schema changes need no rewrite)
 * @param path              the element key inside a multi-cell collection (list: timeuuid, set: element,
 *                          map: key); null for every other column
 * @param value             the encoded value; null for a tombstone
 * @param timestamp         the write timestamp, microseconds
 * @param ttl               seconds to live, or {@link #NO_TTL}
 * @param localDeletionTime for an expiring cell the second it expires, for a tombstone the second it was
 *                          deleted (gc_grace counts from it), for a live cell {@link #NO_DELETION_TIME}
 */
public record Cell(String column, byte[] path, byte[] value, long timestamp, int ttl, int localDeletionTime) {

    public static final int NO_TTL = 0;
    public static final int NO_DELETION_TIME = Integer.MAX_VALUE;

    /** Cells of a row sort by column name, then by path (a cell without a path first, then unsigned bytes). */
    public static final Comparator<Cell> ORDER = (a, b) -> {
        int c = a.column.compareTo(b.column);
        return c != 0 ? c : comparePaths(a.path, b.path);
    };

    public Cell {
        if (column == null) {
            throw new IllegalArgumentException("cell column must not be null");
        }
        if (ttl < 0) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
        if (value == null && ttl != NO_TTL) {
            throw new IllegalArgumentException("a tombstone has no ttl");
        }
        if (value != null && ttl == NO_TTL && localDeletionTime != NO_DELETION_TIME) {
            throw new IllegalArgumentException("a live cell without ttl has no local deletion time");
        }
    }

    public static Cell live(String column, byte[] value, long timestamp) {
        return new Cell(column, null, value, timestamp, NO_TTL, NO_DELETION_TIME);
    }

    public static Cell live(String column, byte[] path, byte[] value, long timestamp) {
        return new Cell(column, path, value, timestamp, NO_TTL, NO_DELETION_TIME);
    }

    /** A cell that expires {@code ttl} seconds after {@code nowInSec}; ttl 0 makes a plain live cell. */
    public static Cell expiring(String column, byte[] path, byte[] value, long timestamp, int ttl, int nowInSec) {
        if (ttl == NO_TTL) {
            return live(column, path, value, timestamp);
        }
        return new Cell(column, path, value, timestamp, ttl, expiry(nowInSec, ttl));
    }

    public static Cell tombstone(String column, byte[] path, long timestamp, int nowInSec) {
        return new Cell(column, path, null, timestamp, NO_TTL, nowInSec);
    }

    /** The second at which something written at {@code nowInSec} with {@code ttl} expires, saturating. */
    public static int expiry(int nowInSec, int ttl) {
        long e = (long) nowInSec + ttl;
        return e >= NO_DELETION_TIME ? NO_DELETION_TIME - 1 : (int) e;
    }

    public boolean isTombstone() {
        return value == null;
    }

    public boolean isExpiring() {
        return ttl != NO_TTL;
    }

    /** Live at {@code nowInSec}: not a tombstone and, if expiring, not yet expired. */
    public boolean isLive(int nowInSec) {
        return value != null && (ttl == NO_TTL || nowInSec < localDeletionTime);
    }

    public int dataSize() {
        return column.length() + (path == null ? 0 : path.length) + (value == null ? 0 : value.length) + 16;
    }

    public boolean sameSlot(Cell o) {
        return ORDER.compare(this, o) == 0;
    }

    static int comparePaths(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return Arrays.compareUnsigned(a, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cell c && column.equals(c.column) && Arrays.equals(path, c.path)
                && Arrays.equals(value, c.value) && timestamp == c.timestamp && ttl == c.ttl
                && localDeletionTime == c.localDeletionTime;
    }

    @Override
    public int hashCode() {
        return ((column.hashCode() * 31 + Arrays.hashCode(path)) * 31 + Arrays.hashCode(value)) * 31
                + Long.hashCode(timestamp);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return column + (path == null ? "" : "[0x" + hex.formatHex(path) + "]") + "="
                + (value == null ? "<tombstone>" : "0x" + hex.formatHex(value)) + "@" + timestamp
                + (ttl != NO_TTL ? " ttl=" + ttl + " expires=" + localDeletionTime
                        : value == null ? " ldt=" + localDeletionTime : "");
    }
}
