package io.sibyl.app.cql.exec;

import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.PayloadTooLargeException;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.types.CollectionCell;
import io.sibyl.storage.types.CollectionType;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.ListType;
import io.sibyl.storage.types.MapType;
import io.sibyl.storage.types.SetType;
import io.sibyl.storage.types.TimeUUIDs;
import io.sibyl.storage.types.TimeuuidType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cells one statement writes to one row (or the static row): plain values, whole collections
 * (a complex deletion just before the new elements, so the old elements go and the new stay),
 * element additions and removals, column and row deletions. Every serialized value is checked
 * against the node's max value size.
 */
final class RowUpdate {

    /** List prepends use paths before 2010-01-01 that count down, as Cassandra's Lists.PrecisionTime. */
    private static final long PREPEND_REFERENCE_UUID_TIME = 1262304000000L * 10_000 + 0x01b21dd213814000L;
    private static final AtomicLong PREPEND_COUNTER = new AtomicLong();
    private static final long PREPEND_CLOCK_SEQ_AND_NODE = TimeUUIDs.next().getLeastSignificantBits();

    private final Clustering clustering;
    private final long maxValueBytes;
    private LivenessInfo liveness = LivenessInfo.EMPTY;
    private DeletionTime deletion = DeletionTime.LIVE;
    private final List<Cell> cells = new ArrayList<>();
    private final Map<String, DeletionTime> complexDeletions = new HashMap<>();

    RowUpdate(Clustering clustering, long maxValueBytes) {
        this.clustering = clustering;
        this.maxValueBytes = maxValueBytes;
    }

    void marker(WriteOptions o) {
        liveness = o.liveness();
    }

    void deleteRow(WriteOptions o) {
        deletion = o.deletion();
    }

    /** {@code c = v}: null deletes the column. */
    void set(ColumnMetadata c, Object value, WriteOptions o) {
        CqlType type = c.type();
        if (type.isMultiCell()) {
            if (value == null) {
                complexDeletions.put(c.name(), o.deletion());
                return;
            }
            complexDeletions.put(c.name(), new DeletionTime(o.timestamp() - 1, o.nowInSec()));
            addElements(c, value, o);
            return;
        }
        if (value == null) {
            cells.add(Cell.tombstone(c.name(), null, o.timestamp(), o.nowInSec()));
        } else {
            cells.add(Cell.expiring(c.name(), null, serialize(type, value, c), o.timestamp(), o.ttl(), o.nowInSec()));
        }
    }

    /** {@code c = c + v}: list append, set union, map put. */
    void addElements(ColumnMetadata c, Object value, WriteOptions o) {
        if (value == null) {
            return; // adding null adds nothing (Cassandra ignores it)
        }
        CollectionType type = (CollectionType) c.type();
        for (CollectionCell cell : type.toCells(value)) {
            check(cell.value(), c);
            check(cell.path(), c);
            cells.add(Cell.expiring(c.name(), cell.path(), cell.value(), o.timestamp(), o.ttl(), o.nowInSec()));
        }
    }

    /** {@code l = v + l}: paths that sort before every existing element, in v's order. */
    void prepend(ColumnMetadata c, Object value, WriteOptions o) {
        if (value == null) {
            return;
        }
        ListType type = (ListType) c.type();
        List<?> list = (List<?>) value;
        long base = PREPEND_REFERENCE_UUID_TIME - PREPEND_COUNTER.addAndGet(list.size() + 1L);
        for (int i = 0; i < list.size(); i++) {
            byte[] path = TimeuuidType.INSTANCE.serialize(TimeUUIDs.of(base + i, PREPEND_CLOCK_SEQ_AND_NODE));
            byte[] element = serialize(type.elementType(), list.get(i), c);
            cells.add(Cell.expiring(c.name(), path, element, o.timestamp(), o.ttl(), o.nowInSec()));
        }
    }

    /** {@code c = c - v} for sets (elements) and maps (keys). */
    void removeElements(ColumnMetadata c, Object value, WriteOptions o) {
        if (value == null) {
            return;
        }
        CqlType pathType = c.type() instanceof SetType st ? st.elementType() : ((MapType) c.type()).keyType();
        for (Object e : (Collection<?>) value) {
            cells.add(Cell.tombstone(c.name(), pathType.serialize(e), o.timestamp(), o.nowInSec()));
        }
    }

    /** {@code m[k] = v} (null deletes the entry). */
    void setMapEntry(ColumnMetadata c, Object key, Object value, WriteOptions o) {
        MapType type = (MapType) c.type();
        byte[] path = serialize(type.keyType(), key, c);
        if (value == null) {
            cells.add(Cell.tombstone(c.name(), path, o.timestamp(), o.nowInSec()));
        } else {
            cells.add(Cell.expiring(c.name(), path, serialize(type.valueType(), value, c), o.timestamp(), o.ttl(),
                    o.nowInSec()));
        }
    }

    /** Overwrites the list element stored under {@code path} (found by reading the row). */
    void setListElement(ColumnMetadata c, byte[] path, Object value, WriteOptions o) {
        ListType type = (ListType) c.type();
        if (value == null) {
            cells.add(Cell.tombstone(c.name(), path, o.timestamp(), o.nowInSec()));
        } else {
            cells.add(Cell.expiring(c.name(), path, serialize(type.elementType(), value, c), o.timestamp(), o.ttl(),
                    o.nowInSec()));
        }
    }

    /** The live elements of a list column in a current row, in list order (paths are time-ordered). */
    static List<Cell> liveListCells(Row current, ColumnMetadata c, int nowInSec) {
        List<Cell> out = new ArrayList<>();
        if (current == null) {
            return out;
        }
        for (Cell cell : current.cells(c.name())) {
            if (cell.path() != null && cell.isLive(nowInSec)) {
                out.add(cell);
            }
        }
        out.sort((a, b) -> TimeuuidType.INSTANCE.compare(a.path(), b.path()));
        return out;
    }

    /** {@code l[i] = v} (null deletes), or {@code DELETE l[i]} when {@code delete}. */
    void setListIndex(ColumnMetadata c, Row current, int index, Object value, boolean delete, WriteOptions o) {
        List<Cell> elements = liveListCells(current, c, o.nowInSec());
        if (index < 0 || index >= elements.size()) {
            throw new InvalidRequestException("List index " + index + " out of bound, list has size " + elements.size());
        }
        byte[] path = elements.get(index).path();
        if (delete) {
            deletePath(c, path, o);
        } else {
            setListElement(c, path, value, o);
        }
    }

    /** {@code l = l - [x, y]}: deletes every element equal to one of the values. */
    void removeListValues(ColumnMetadata c, Row current, List<?> values, WriteOptions o) {
        if (values == null || values.isEmpty()) {
            return;
        }
        CqlType elementType = ((ListType) c.type()).elementType();
        List<byte[]> removed = new ArrayList<>();
        for (Object v : values) {
            removed.add(elementType.serialize(v));
        }
        for (Cell cell : liveListCells(current, c, o.nowInSec())) {
            for (byte[] r : removed) {
                if (elementType.compare(cell.value(), r) == 0) {
                    deletePath(c, cell.path(), o);
                    break;
                }
            }
        }
    }

    /** Deletes one element of a collection by its stored path. */
    void deletePath(ColumnMetadata c, byte[] path, WriteOptions o) {
        cells.add(Cell.tombstone(c.name(), path, o.timestamp(), o.nowInSec()));
    }

    /** {@code DELETE c}: a tombstone, or for a multi-cell collection a deletion of all its elements. */
    void deleteColumn(ColumnMetadata c, WriteOptions o) {
        if (c.type().isMultiCell()) {
            complexDeletions.put(c.name(), o.deletion());
        } else {
            cells.add(Cell.tombstone(c.name(), null, o.timestamp(), o.nowInSec()));
        }
    }

    /** {@code DELETE m[k]} / {@code DELETE s[e]}. */
    void deleteElement(ColumnMetadata c, Object key, WriteOptions o) {
        CqlType pathType;
        if (c.type() instanceof MapType mt) {
            pathType = mt.keyType();
        } else if (c.type() instanceof SetType st) {
            pathType = st.elementType();
        } else {
            throw new InvalidRequestException("Invalid operation (" + c.name() + "[...]) for non list/set/map column "
                    + c.name());
        }
        cells.add(Cell.tombstone(c.name(), pathType.serialize(key), o.timestamp(), o.nowInSec()));
    }

    boolean isEmpty() {
        return liveness.isEmpty() && deletion.isLive() && cells.isEmpty() && complexDeletions.isEmpty();
    }

    Row build() {
        return Row.of(clustering, liveness, deletion, cells, complexDeletions);
    }

    private byte[] serialize(CqlType type, Object value, ColumnMetadata c) {
        byte[] bytes = type.serialize(value);
        check(bytes, c);
        return bytes;
    }

    private void check(byte[] bytes, ColumnMetadata c) {
        if (bytes.length > maxValueBytes) {
            throw new PayloadTooLargeException("value of column " + c.name() + " (" + bytes.length + " bytes)",
                    maxValueBytes);
        }
    }
}
