package io.sibyl.storage.read;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MergeIteratorTest {

    @Property(tries = 300)
    void mergesSortedSourcesGroupingEqualItems(@ForAll @Size(max = 5) List<@Size(max = 20) List<@IntRange(min = 0, max = 30) Integer>> lists) {
        List<Iterator<Integer>> sources = new ArrayList<>();
        TreeMap<Integer, Integer> expected = new TreeMap<>();
        for (List<Integer> l : lists) {
            List<Integer> distinctSorted = l.stream().distinct().sorted().toList();
            distinctSorted.forEach(x -> expected.merge(x, 1, Integer::sum));
            sources.add(distinctSorted.iterator());
        }
        MergeIterator<Integer, String> merged = MergeIterator.of(sources, Comparator.naturalOrder(),
                equal -> equal.get(0) + "x" + equal.size());
        List<String> actual = new ArrayList<>();
        merged.forEachRemaining(actual::add);
        List<String> want = new ArrayList<>();
        expected.forEach((k, n) -> want.add(k + "x" + n));
        assertEquals(want, actual);
    }

    @Test
    void reducerReturningNullDropsTheGroup() {
        MergeIterator<Integer, Integer> merged = MergeIterator.of(List.of(List.of(1, 2, 3).iterator(), List.of(2).iterator()),
                Comparator.naturalOrder(), equal -> equal.size() > 1 ? null : equal.get(0));
        List<Integer> out = new ArrayList<>();
        merged.forEachRemaining(out::add);
        assertEquals(List.of(1, 3), out);
    }

    @Test
    void sourcesAreAdvancedOnlyWhenTheNextOutputIsAskedFor() {
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Integer> counting = new Iterator<>() {
            private final Iterator<Integer> it = List.of(1, 2, 3).iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Integer next() {
                pulled.incrementAndGet();
                return it.next();
            }
        };
        MergeIterator<Integer, Integer> merged = MergeIterator.of(List.of(counting), Comparator.naturalOrder(), e -> e.get(0));
        assertEquals(1, merged.next());
        assertEquals(1, pulled.get(), "the source must not be advanced past the item being handed out");
        assertEquals(2, merged.next());
        assertEquals(3, merged.next());
        assertFalse(merged.hasNext());
    }
}
