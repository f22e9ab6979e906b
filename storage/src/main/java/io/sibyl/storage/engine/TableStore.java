package io.sibyl.storage.engine;

import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The storage of one table on this node (Cassandra's ColumnFamilyStore): the current memtable, the
 * memtables being flushed, and (later) the live SSTables. Writes go to the current memtable; reads
 * merge every source. Kept thin: the commit log sits in front of {@link #apply}, and SSTables join
 * {@link #sources()}.
 */
public final class TableStore {

    private volatile TableMetadata metadata;
    private volatile Memtable current;
    private final CopyOnWriteArrayList<Memtable> flushing = new CopyOnWriteArrayList<>();

    public TableStore(TableMetadata metadata) {
        this.metadata = metadata;
        this.current = new Memtable(metadata);
    }

    public TableMetadata metadata() {
        return metadata;
    }

    /** ALTER TABLE: the same table (same id) with new columns or params. */
    public void updateMetadata(TableMetadata newMetadata) {
        if (!newMetadata.id().equals(metadata.id())) {
            throw new IllegalArgumentException("table id changed from " + metadata.id() + " to " + newMetadata.id());
        }
        this.metadata = newMetadata;
    }

    public void apply(PartitionUpdate update) {
        if (!update.tableId().equals(metadata.id())) {
            throw new IllegalArgumentException("update for " + update.metadata() + " applied to " + metadata);
        }
        while (!current.tryApply(update)) {
            Thread.onSpinWait(); // the memtable was switched under us; the new one is already current
        }
    }

    public Memtable currentMemtable() {
        return current;
    }

    /**
     * Starts a flush: a fresh memtable becomes current, and the old one stays readable in the flushing
     * list until {@link #flushed} removes it. Returns the old memtable once no write is still being
     * applied to it, so the flush writer sees everything it holds.
     */
    public synchronized Memtable switchMemtable() {
        Memtable old = current;
        flushing.add(old);
        current = new Memtable(metadata);
        old.markSwitched();
        old.awaitPendingWrites();
        return old;
    }

    /** Called by the flush when {@code memtable}'s data is readable elsewhere (an SSTable). */
    public void flushed(Memtable memtable) {
        flushing.remove(memtable);
    }

    public List<Memtable> flushingMemtables() {
        return List.copyOf(flushing);
    }

    /** Every source a read must merge, newest first. */
    public List<PartitionSource> sources() {
        List<PartitionSource> s = new ArrayList<>(1 + flushing.size());
        s.add(current);
        s.addAll(flushing);
        return s;
    }

    public ReadResult read(SinglePartitionReadCommand command) {
        return command.execute(sources());
    }

    public ReadResult scan(PartitionRangeReadCommand command) {
        return command.execute(sources());
    }

    /** Discards all data of the table. */
    public synchronized void truncate() {
        Memtable old = current;
        current = new Memtable(metadata);
        old.markSwitched();
        old.awaitPendingWrites();
        flushing.clear();
    }
}
