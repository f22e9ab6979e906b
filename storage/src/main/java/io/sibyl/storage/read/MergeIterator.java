package io.sibyl.storage.read;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The one merge primitive of the read path, flushes and compactions: a k-way merge of sorted
 * iterators through a heap, handing each group of equal items (one per source at most, in source
 * order) to a reducer that turns them into one output (or null to drop the group).
 *
 * <p>Sources are advanced lazily — only when the next output is asked for — so a consumer may still
 * be reading the previous output (e.g. a partition's rows) from the same underlying source.
 */
public final class MergeIterator<T, R> implements Iterator<R> {

    /** Combines the equal items from several sources into one result; null drops them. */
    @FunctionalInterface
    public interface Reducer<T, R> {
        R reduce(List<T> equalItems);
    }

    private record Candidate<T>(Iterator<? extends T> source, int index, T item) {
    }

    private final Comparator<? super T> comparator;
    private final Reducer<T, R> reducer;
    private final PriorityQueue<Candidate<T>> heap;
    private final List<Candidate<T>> toAdvance = new ArrayList<>();
    private R next;

    public MergeIterator(List<? extends Iterator<? extends T>> sources, Comparator<? super T> comparator,
                         Reducer<T, R> reducer) {
        this.comparator = comparator;
        this.reducer = reducer;
        this.heap = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> {
            int c = comparator.compare(a.item, b.item);
            return c != 0 ? c : Integer.compare(a.index, b.index);
        });
        for (int i = 0; i < sources.size(); i++) {
            toAdvance.add(new Candidate<>(sources.get(i), i, null));
        }
    }

    public static <T, R> MergeIterator<T, R> of(List<? extends Iterator<? extends T>> sources,
                                                Comparator<? super T> comparator, Reducer<T, R> reducer) {
        return new MergeIterator<>(sources, comparator, reducer);
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            for (Candidate<T> c : toAdvance) {
                if (c.source.hasNext()) {
                    heap.add(new Candidate<>(c.source, c.index, c.source.next()));
                }
            }
            toAdvance.clear();
            if (heap.isEmpty()) {
                return false;
            }
            Candidate<T> first = heap.poll();
            toAdvance.add(first);
            while (!heap.isEmpty() && comparator.compare(heap.peek().item, first.item) == 0) {
                toAdvance.add(heap.poll());
            }
            List<T> equal = new ArrayList<>(toAdvance.size());
            for (Candidate<T> c : toAdvance) {
                equal.add(c.item);
            }
            next = reducer.reduce(equal);
        }
        return true;
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        R r = next;
        next = null;
        return r;
    }
}
