package io.sibyl.storage.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A partition's range tombstones in canonical form: sorted, non-overlapping ranges, each with the
 * latest deletion covering it, and touching ranges with equal deletions joined. Two replicas that
 * received the same deletions in any order and any split hold equal lists (digests rely on it).
 * Immutable; {@link #add} returns a new list in O(n), fine as range deletions are rare next to rows.
 */
public final class RangeTombstoneList {

    private final ClusteringComparator comparator;
    private final List<RangeTombstone> ranges;

    private RangeTombstoneList(ClusteringComparator comparator, List<RangeTombstone> ranges) {
        this.comparator = comparator;
        this.ranges = Collections.unmodifiableList(ranges);
    }

    public static RangeTombstoneList empty(ClusteringComparator comparator) {
        return new RangeTombstoneList(comparator, List.of());
    }

    public static RangeTombstoneList of(ClusteringComparator comparator, Iterable<RangeTombstone> tombstones) {
        RangeTombstoneList l = empty(comparator);
        for (RangeTombstone rt : tombstones) {
            l = l.add(rt);
        }
        return l;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public int size() {
        return ranges.size();
    }

    /** The ranges in clustering order. */
    public List<RangeTombstone> ranges() {
        return ranges;
    }

    public RangeTombstoneList add(RangeTombstone rt) {
        if (rt.deletion().isLive() || rt.slice().isEmpty(comparator)) {
            return this;
        }
        List<RangeTombstone> out = new ArrayList<>(ranges.size() + 2);
        ClusteringBound newStart = rt.slice().start(); // the part of rt not yet placed begins here
        ClusteringBound newEnd = rt.slice().end();
        DeletionTime d = rt.deletion();
        boolean placed = false;
        for (RangeTombstone r : ranges) {
            ClusteringBound rs = r.slice().start();
            ClusteringBound re = r.slice().end();
            if (placed || comparator.compareBounds(re, newStart) <= 0) {
                append(out, rs, re, r.deletion()); // wholly before the rest of rt, or rt is done
                continue;
            }
            if (comparator.compareBounds(newEnd, rs) <= 0) {
                append(out, newStart, newEnd, d); // rest of rt wholly before r
                placed = true;
                append(out, rs, re, r.deletion());
                continue;
            }
            // They overlap. Emit the leading part that belongs to only one of them.
            int startCmp = comparator.compareBounds(rs, newStart);
            if (startCmp < 0) {
                append(out, rs, newStart.complement(), r.deletion());
            } else if (startCmp > 0) {
                append(out, newStart, rs.complement(), d);
            }
            ClusteringBound overlapStart = startCmp < 0 ? newStart : rs;
            int endCmp = comparator.compareBounds(re, newEnd);
            ClusteringBound overlapEnd = endCmp < 0 ? re : newEnd;
            append(out, overlapStart, overlapEnd, DeletionTime.max(d, r.deletion()));
            if (endCmp > 0) {
                append(out, newEnd.complement(), re, r.deletion());
                placed = true;
            } else if (endCmp == 0) {
                placed = true;
            } else {
                newStart = re.complement();
            }
        }
        if (!placed) {
            append(out, newStart, newEnd, d);
        }
        return new RangeTombstoneList(comparator, out);
    }

    /** Appends a range, joining it to the previous one when they touch and delete alike. */
    private void append(List<RangeTombstone> out, ClusteringBound start, ClusteringBound end, DeletionTime d) {
        if (comparator.compareBounds(start, end) >= 0) {
            return;
        }
        int last = out.size() - 1;
        if (last >= 0) {
            RangeTombstone prev = out.get(last);
            if (prev.deletion().equals(d) && comparator.compareBounds(prev.slice().end(), start) == 0) {
                out.set(last, new RangeTombstone(new Slice(prev.slice().start(), end), d));
                return;
            }
        }
        out.add(new RangeTombstone(new Slice(start, end), d));
    }

    public RangeTombstoneList addAll(RangeTombstoneList other) {
        RangeTombstoneList l = this;
        for (RangeTombstone rt : other.ranges) {
            l = l.add(rt);
        }
        return l;
    }

    /** The deletion covering {@code c}, or LIVE. */
    public DeletionTime deletionFor(Clustering c) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Slice s = ranges.get(mid).slice();
            if (comparator.compare(s.end(), c) < 0) {
                lo = mid + 1;
            } else if (comparator.compare(s.start(), c) > 0) {
                hi = mid - 1;
            } else {
                return ranges.get(mid).deletion();
            }
        }
        return DeletionTime.LIVE;
    }

    /** The ranges (clipped) that fall inside any of {@code slices}. */
    public RangeTombstoneList restrictTo(List<Slice> slices) {
        if (ranges.isEmpty() || (slices.size() == 1 && slices.get(0).isAll())) {
            return this;
        }
        RangeTombstoneList out = empty(comparator);
        for (Slice s : slices) {
            for (RangeTombstone r : ranges) {
                if (!r.slice().intersects(comparator, s)) {
                    continue;
                }
                ClusteringBound start = comparator.compareBounds(r.slice().start(), s.start()) >= 0
                        ? r.slice().start() : s.start();
                ClusteringBound end = comparator.compareBounds(r.slice().end(), s.end()) <= 0 ? r.slice().end() : s.end();
                out = out.add(new RangeTombstone(new Slice(start, end), r.deletion()));
            }
        }
        return out;
    }

    /** Drops the parts no newer than {@code partitionDeletion}, which shadows them anyway. */
    public RangeTombstoneList withoutShadowedBy(DeletionTime partitionDeletion) {
        if (partitionDeletion.isLive()) {
            return this;
        }
        List<RangeTombstone> kept = new ArrayList<>();
        for (RangeTombstone r : ranges) {
            if (r.deletion().supersedes(partitionDeletion)) {
                append(kept, r.slice().start(), r.slice().end(), r.deletion());
            }
        }
        return kept.size() == ranges.size() ? this : new RangeTombstoneList(comparator, kept);
    }

    public long maxTimestamp() {
        long max = Long.MIN_VALUE;
        for (RangeTombstone r : ranges) {
            max = Math.max(max, r.deletion().markedForDeleteAt());
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeTombstoneList l && ranges.equals(l.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
