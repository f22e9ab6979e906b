package io.sibyl.storage.read;

import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.RangeTombstoneList;
import io.sibyl.storage.data.Row;

import java.util.Iterator;

/**
 * One partition as a source yields it for a read: the partition-level parts up front, then its rows
 * lazily, in the read's order (reversed for reversed reads) and restricted to its slices. Rows may
 * still hold data shadowed by deletions (the merge removes it).
 *
 * <p>Range tombstones come in the header rather than interleaved with rows: they are few, and it keeps
 * the merge simple. A source returns those intersecting the read's slices.
 */
public interface UnfilteredRowIterator extends Iterator<Row> {

    DecoratedKey key();

    DeletionTime partitionDeletion();

    RangeTombstoneList rangeTombstones();

    /** The static row, empty (never null) when there is none. */
    Row staticRow();

    boolean isReverseOrder();

    static UnfilteredRowIterator of(DecoratedKey key, DeletionTime partitionDeletion, RangeTombstoneList rangeTombstones,
                                    Row staticRow, boolean reversed, Iterator<Row> rows) {
        return new UnfilteredRowIterator() {
            @Override
            public DecoratedKey key() {
                return key;
            }

            @Override
            public DeletionTime partitionDeletion() {
                return partitionDeletion;
            }

            @Override
            public RangeTombstoneList rangeTombstones() {
                return rangeTombstones;
            }

            @Override
            public Row staticRow() {
                return staticRow;
            }

            @Override
            public boolean isReverseOrder() {
                return reversed;
            }

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return rows.next();
            }
        };
    }
}
