package io.sibyl.storage.lifecycle;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.sstable.ChunkCache;
import io.sibyl.storage.sstable.KeyCache;
import io.sibyl.storage.sstable.SSTableReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The memtables and SSTables of one table and every change to them (Cassandra's
 * {@code db/lifecycle/Tracker}). Invariants, each kept here and nowhere else:
 * <ul>
 *   <li>Every change is one swap of an immutable {@link View} under this object's lock; readers take
 *       {@link #view()} without locking and see each change whole.</li>
 *   <li>A compaction claims live SSTables ({@link #tryMarkCompacting}) by generation, at most one
 *       compaction each, and holds a reference to each until {@link #unmarkCompacting}; the View's
 *       compacting set is always a subset of its live set.</li>
 *   <li>An SSTable set swap ({@link #replaceSSTables}) happens only if every SSTable it removes is still
 *       live and the table is neither dropped nor shut down; its commit point (the transaction log's)
 *       runs under the lock, so disk and View agree.</li>
 *   <li>Replay's floor never moves back: a swap that would lower the highest
 *       {@code commit_log_upper_bound} of the live set first records the old bound ({@link ReplayFloor}).</li>
 *   <li>A flushed memtable's SSTable becomes live in the same swap that removes the memtable, and only
 *       if the memtable is still flushing (not truncated or dropped meanwhile); else the SSTable is deleted.</li>
 * </ul>
 */
public final class Tracker {

    private final Path directory;
    private final KeyCache keyCache;
    private final ChunkCache chunkCache;
    private volatile View view;
    private volatile CommitLogPosition recordedFloor = CommitLogPosition.NONE;
    private boolean dropped; // guarded by this
    private boolean closed; // guarded by this
    // Generations marked obsolete whose files are not deleted yet (a read still holds them): refresh skips them.
    private final java.util.Set<Integer> obsoleting = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param directory the table's directory, where the replay floor is recorded */
    public Tracker(Memtable initial, Path directory) {
        this(initial, directory, KeyCache.DISABLED, ChunkCache.DISABLED);
    }

    /** @param keyCache the node's key and chunk caches, which every SSTable that becomes live here reads through */
    public Tracker(Memtable initial, Path directory, KeyCache keyCache, ChunkCache chunkCache) {
        this.directory = directory;
        this.keyCache = keyCache;
        this.chunkCache = chunkCache;
        this.view = View.empty(initial);
    }

    private void useCaches(Collection<SSTableReader> sstables) {
        for (SSTableReader r : sstables) {
            useCaches(r);
        }
    }

    private void useCaches(SSTableReader r) {
        r.keyCache(keyCache);
        r.chunkCache(chunkCache);
    }

    public View view() {
        return view;
    }

    /** At open: the SSTables found on disk become live, and the recorded replay floor is read. */
    public synchronized void load(Collection<SSTableReader> sstables) {
        recordedFloor = ReplayFloor.load(directory);
        useCaches(sstables);
        List<SSTableReader> l = new ArrayList<>(view.live());
        l.addAll(sstables);
        view = view.withLive(l);
    }

    /**
     * Switches in {@code fresh} as the current memtable and returns the old one, now flushing, once no write
     * is still being applied to it. {@code upperBound} is read under the lock just before the switch: see
     * {@link Memtable#markSwitched}.
     */
    public synchronized Memtable switchMemtable(Memtable fresh, Supplier<CommitLogPosition> upperBound) {
        CommitLogPosition upper = upperBound.get();
        Memtable old = view.current();
        view = view.withSwitched(fresh);
        old.markSwitched(upper);
        old.awaitPendingWrites();
        return old;
    }

    /**
     * Makes {@code sstable} (null: none, the memtable was empty) live in place of the flushing
     * {@code memtable}; false, deleting {@code sstable}, if the memtable was truncated or dropped meanwhile.
     */
    public synchronized boolean replaceFlushed(Memtable memtable, SSTableReader sstable) {
        if (dropped || !view.flushing().contains(memtable)) {
            if (sstable != null) {
                markObsolete(sstable);
            }
            return false;
        }
        if (sstable != null) {
            useCaches(sstable);
        }
        view = view.withFlushed(memtable, sstable);
        return true;
    }

    /** True while {@code memtable} is switched and not yet flushed (nor truncated away). */
    public boolean isFlushing(Memtable memtable) {
        return view.flushing().contains(memtable);
    }

    /**
     * Claims live SSTables for a compaction (each referenced, so its files outlive the compaction's reads);
     * null if one is gone or already claimed, or the table is dropped or shut down.
     */
    public synchronized List<SSTableReader> tryMarkCompacting(Collection<Integer> generations) {
        if (dropped || closed) {
            return null;
        }
        List<SSTableReader> out = new ArrayList<>();
        for (int g : generations) {
            SSTableReader found = view.liveSSTable(g);
            if (found == null || view.compacting().contains(found) || out.contains(found)) {
                return null;
            }
            out.add(found);
        }
        List<SSTableReader> refd = new ArrayList<>();
        for (SSTableReader r : out) {
            if (!r.tryRef()) {
                refd.forEach(SSTableReader::unref);
                return null;
            }
            refd.add(r);
        }
        view = view.withCompacting(out);
        return out;
    }

    /** Ends a compaction's claim and drops its references; the SSTables' files go once no read uses them. */
    public void unmarkCompacting(Collection<SSTableReader> inputs) {
        synchronized (this) {
            view = view.withoutCompacting(inputs);
        }
        inputs.forEach(SSTableReader::unref);
    }

    /**
     * Atomically (for reads, and across crashes through {@code commit}) replaces {@code removed} by
     * {@code added}: false, with nothing changed, if the table was dropped, truncated or shut down meanwhile.
     * {@code commit} (the transaction log's commit point) runs under the lock, so it and the swap agree.
     */
    public synchronized boolean replaceSSTables(Collection<SSTableReader> removed, Collection<SSTableReader> added,
                                                Runnable commit) {
        if (dropped || closed || !view.live().containsAll(removed)) {
            return false;
        }
        CommitLogPosition before = view.maxLiveUpperBound();
        if (View.maxUpperBound(view.replacedLive(removed, added)).compareTo(before) < 0
                && before.compareTo(recordedFloor) > 0) {
            ReplayFloor.store(directory, before); // durable before the old SSTables can go
            recordedFloor = before;
        }
        commit.run();
        useCaches(added);
        view = view.withReplaced(removed, added);
        removed.forEach(this::markObsolete);
        return true;
    }

    /**
     * Truncate: {@code fresh} becomes the current memtable, and no memtable flushes or SSTable stays live.
     * Returns the View before, whose SSTables the caller deletes once the truncation is durable.
     */
    public synchronized View reset(Memtable fresh) {
        View old = view;
        view = View.empty(fresh);
        old.current().markSwitched(CommitLogPosition.NONE);
        old.current().awaitPendingWrites();
        return old;
    }

    /** DROP TABLE: {@link #reset} for good; nothing is added or claimed afterwards. */
    public synchronized View drop(Memtable fresh) {
        dropped = true;
        return reset(fresh);
    }

    public synchronized boolean isDropped() {
        return dropped;
    }

    /** Node shutdown: a compaction finishing now rolls back rather than swap files it could not delete. */
    public synchronized void close() {
        closed = true;
    }

    /**
     * Replay may skip this table's records before this position: they are in its live SSTables, or were
     * flushed into SSTables a compaction has since purged away (the recorded floor).
     */
    public CommitLogPosition replayFloor() {
        return CommitLogPosition.max(recordedFloor, view.maxLiveUpperBound());
    }

    /** A View whose live SSTables are all referenced (their files stay until {@link #release}): what a read merges. */
    public View selectAndReference() {
        while (true) {
            View v = view;
            List<SSTableReader> live = v.live();
            int got = 0;
            while (got < live.size() && live.get(got).tryRef()) {
                got++;
            }
            if (got == live.size()) {
                return v;
            }
            // one was replaced meanwhile: give back what was taken and take a fresh look
            for (int i = 0; i < got; i++) {
                live.get(i).unref();
            }
        }
    }

    /** The SSTable leaves the table: its files are deleted once no read uses it (until then {@link #isObsoleting}). */
    public void markObsolete(SSTableReader r) {
        int generation = r.descriptor().generation();
        obsoleting.add(generation);
        r.onRelease().whenComplete((deleted, e) -> obsoleting.remove(generation));
        r.markObsolete();
    }

    /** True while an obsolete SSTable of this generation still has its files on disk. */
    public boolean isObsoleting(int generation) {
        return obsoleting.contains(generation);
    }

    /**
     * Refresh: {@code sstables}, found in the table directory, become live; false (nothing changed) if the
     * table was dropped or shut down meanwhile.
     */
    public synchronized boolean addSSTables(Collection<SSTableReader> sstables) {
        if (dropped || closed) {
            return false;
        }
        useCaches(sstables);
        List<SSTableReader> l = new ArrayList<>(view.live());
        l.addAll(sstables);
        view = view.withLive(l);
        return true;
    }

    /**
     * Records {@code floor} durably as the replay floor if it is above the recorded one: refresh replaces a
     * truncation record by it, so replay still skips what the truncation discarded.
     */
    public synchronized void raiseReplayFloor(CommitLogPosition floor) {
        if (floor.compareTo(recordedFloor) > 0) {
            ReplayFloor.store(directory, floor);
            recordedFloor = floor;
        }
    }

    /** Releases the references {@link #selectAndReference} took. */
    public static void release(View referenced) {
        for (SSTableReader r : referenced.live()) {
            r.unref();
        }
    }
}
