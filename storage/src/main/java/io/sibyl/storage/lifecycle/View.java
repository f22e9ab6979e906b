package io.sibyl.storage.lifecycle;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.sstable.SSTableReader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One immutable state of a table's data (Cassandra's {@code db/lifecycle/View}): the current memtable,
 * the memtables switched out and not yet flushed (oldest first), the live SSTables and those of them a
 * running compaction has claimed. A {@link Tracker} replaces its View whole, so whoever holds one sees a
 * consistent table: a flushed memtable and its SSTable, or a compaction's inputs and outputs, are never
 * both missing.
 *
 * @param current    the memtable writes go to
 * @param flushing   switched memtables still readable until their SSTable is live, oldest first
 * @param live       the SSTables reads merge
 * @param compacting the live SSTables claimed by running compactions (a subset of {@code live})
 */
public record View(Memtable current, List<Memtable> flushing, List<SSTableReader> live, Set<SSTableReader> compacting) {

    public View {
        flushing = List.copyOf(flushing);
        live = List.copyOf(live);
        compacting = Set.copyOf(compacting);
        if (!new HashSet<>(live).containsAll(compacting)) {
            throw new IllegalStateException("compacting SSTables that are not live: " + compacting);
        }
    }

    static View empty(Memtable current) {
        return new View(current, List.of(), List.of(), Set.of());
    }

    /** Every source a read merges: the current memtable, the flushing ones, then the SSTables. */
    public List<PartitionSource> sources() {
        List<PartitionSource> s = new ArrayList<>(1 + flushing.size() + live.size());
        s.add(current);
        s.addAll(flushing);
        s.addAll(live);
        return s;
    }

    /** The live SSTable of generation {@code generation}, or null. */
    public SSTableReader liveSSTable(int generation) {
        for (SSTableReader r : live) {
            if (r.descriptor().generation() == generation) {
                return r;
            }
        }
        return null;
    }

    public Set<Integer> compactingGenerations() {
        Set<Integer> out = new HashSet<>();
        for (SSTableReader r : compacting) {
            out.add(r.descriptor().generation());
        }
        return out;
    }

    /** The highest {@code commit_log_upper_bound} of the live SSTables: replay's floor as far as they tell. */
    public CommitLogPosition maxLiveUpperBound() {
        return maxUpperBound(live);
    }

    /** Bytes held by the current and the flushing memtables. */
    public long memtableBytes() {
        long bytes = current.liveDataSize();
        for (Memtable m : flushing) {
            bytes += m.liveDataSize();
        }
        return bytes;
    }

    View withSwitched(Memtable fresh) {
        List<Memtable> f = new ArrayList<>(flushing);
        f.add(current);
        return new View(fresh, f, live, compacting);
    }

    View withFlushed(Memtable memtable, SSTableReader sstable) {
        List<Memtable> f = new ArrayList<>(flushing);
        f.remove(memtable);
        List<SSTableReader> l = live;
        if (sstable != null) {
            l = new ArrayList<>(live);
            l.add(sstable);
        }
        return new View(current, f, l, compacting);
    }

    View withLive(List<SSTableReader> newLive) {
        return new View(current, flushing, newLive, compacting);
    }

    /** {@code removed} leave the compacting set too (their compaction still holds its references). */
    View withReplaced(Collection<SSTableReader> removed, Collection<SSTableReader> added) {
        Set<SSTableReader> c = new HashSet<>(compacting);
        c.removeAll(removed);
        return new View(current, flushing, replacedLive(removed, added), c);
    }

    List<SSTableReader> replacedLive(Collection<SSTableReader> removed, Collection<SSTableReader> added) {
        List<SSTableReader> l = new ArrayList<>(live);
        l.removeAll(removed);
        l.addAll(added);
        return l;
    }

    View withCompacting(Collection<SSTableReader> claimed) {
        Set<SSTableReader> c = new HashSet<>(compacting);
        c.addAll(claimed);
        return new View(current, flushing, live, c);
    }

    View withoutCompacting(Collection<SSTableReader> released) {
        Set<SSTableReader> c = new HashSet<>(compacting);
        c.removeAll(released);
        return new View(current, flushing, live, c);
    }

    static CommitLogPosition maxUpperBound(Collection<SSTableReader> readers) {
        CommitLogPosition p = CommitLogPosition.NONE;
        for (SSTableReader r : readers) {
            p = CommitLogPosition.max(p, r.stats().commitLogUpperBound());
        }
        return p;
    }
}
