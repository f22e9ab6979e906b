package io.sibyl.storage.engine;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.LivenessInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An obviously correct (and slow) model of the events table: it keeps every write as a fact and
 * answers a read by brute force — per cell slot the winning write, then all deletions that could
 * cover it. Nothing is merged or purged incrementally, so write order cannot matter.
 *
 * <p>Last-write-wins is restated here independently of Reconciler, as one lexicographic key:
 * (timestamp, has a deletion time, is a tombstone, local deletion time, value as unsigned bytes, ttl).
 */
final class ReferenceModel {

    /** A row position; ck1 ASC, ck2 DESC. Null in place of a CK means the static row. */
    record CK(long ck1, long ck2) {
    }

    static final Comparator<CK> CLUSTERING_ORDER = Comparator.comparingLong(CK::ck1)
            .thenComparing(Comparator.comparingLong(CK::ck2).reversed());

    private record CellFact(long pk, CK ck, Cell cell) {
    }

    private record MarkerFact(long pk, CK ck, LivenessInfo info) {
    }

    private record Deletion(long pk, CK row, Restriction range, String complexColumn, long timestamp) {
    }

    private final List<CellFact> cells = new ArrayList<>();
    private final List<MarkerFact> markers = new ArrayList<>();
    private final List<Deletion> deletions = new ArrayList<>();

    void cell(long pk, CK ck, Cell c) {
        cells.add(new CellFact(pk, ck, c));
    }

    void marker(long pk, CK ck, LivenessInfo info) {
        markers.add(new MarkerFact(pk, ck, info));
    }

    void deletePartition(long pk, long ts) {
        deletions.add(new Deletion(pk, null, null, null, ts));
    }

    void deleteRow(long pk, CK ck, long ts) {
        deletions.add(new Deletion(pk, ck, null, null, ts));
    }

    void deleteRange(long pk, Restriction r, long ts) {
        deletions.add(new Deletion(pk, null, r, null, ts));
    }

    void deleteCollection(long pk, CK ck, String column, long ts) {
        deletions.add(new Deletion(pk, ck, null, column, ts));
    }

    private static final Comparator<byte[]> UNSIGNED = (a, b) -> Arrays.compareUnsigned(
            a == null ? new byte[0] : a, b == null ? new byte[0] : b);

    static final Comparator<Cell> LWW = Comparator.comparingLong(Cell::timestamp)
            .thenComparing(c -> c.localDeletionTime() != Cell.NO_DELETION_TIME)
            .thenComparing(c -> c.value() == null)
            .thenComparingInt(Cell::localDeletionTime)
            .thenComparing(Cell::value, UNSIGNED)
            .thenComparingInt(Cell::ttl);

    static final Comparator<LivenessInfo> MARKER_LWW = Comparator.comparingLong(LivenessInfo::timestamp)
            .thenComparing(l -> l.ttl() != 0)
            .thenComparingInt(LivenessInfo::localExpirationTime)
            .thenComparingInt(LivenessInfo::ttl);

    static boolean live(Cell c, int now) {
        return c.value() != null && (c.ttl() == 0 || now < c.localDeletionTime());
    }

    /** The highest deletion timestamp covering a cell of (pk, ck, column with path?) — MIN if none. */
    private long deletedUpTo(long pk, CK ck, String column, boolean inCollection) {
        long max = Long.MIN_VALUE;
        for (Deletion d : deletions) {
            if (d.pk != pk) {
                continue;
            }
            boolean covers;
            if (d.complexColumn != null) {
                covers = inCollection && d.complexColumn.equals(column) && d.row.equals(ck);
            } else if (d.row != null) {
                covers = d.row.equals(ck);
            } else if (d.range != null) {
                covers = ck != null && d.range.matches(ck.ck1, ck.ck2);
            } else {
                covers = true;
            }
            if (covers) {
                max = Math.max(max, d.timestamp);
            }
        }
        return max;
    }

    /** The live cells of a row (static row when ck is null), keyed "column" or "column[path]"; and its existence. */
    record ModelRow(CK ck, Map<String, String> cells, boolean exists) {
    }

    ModelRow row(long pk, CK ck, int now) {
        Map<String, Cell> winners = new HashMap<>();
        for (CellFact f : cells) {
            if (f.pk == pk && java.util.Objects.equals(f.ck, ck)) {
                winners.merge(slot(f.cell), f.cell, (a, b) -> LWW.compare(a, b) >= 0 ? a : b);
            }
        }
        TreeMap<String, String> visible = new TreeMap<>();
        for (Map.Entry<String, Cell> e : winners.entrySet()) {
            Cell c = e.getValue();
            if (c.timestamp() > deletedUpTo(pk, ck, c.column(), c.path() != null) && live(c, now)) {
                visible.put(e.getKey(), describe(c));
            }
        }
        boolean markerLive = false;
        if (ck != null) {
            LivenessInfo best = null;
            for (MarkerFact m : markers) {
                if (m.pk == pk && m.ck.equals(ck) && (best == null || MARKER_LWW.compare(m.info, best) > 0)) {
                    best = m.info;
                }
            }
            markerLive = best != null && best.timestamp() > deletedUpTo(pk, ck, null, false)
                    && (best.ttl() == 0 || now < best.localExpirationTime());
        }
        return new ModelRow(ck, visible, markerLive || !visible.isEmpty());
    }

    static String slot(Cell c) {
        return c.path() == null ? c.column() : c.column() + "[" + HexFormat.of().formatHex(c.path()) + "]";
    }

    static String describe(Cell c) {
        return HexFormat.of().formatHex(c.value()) + "@" + c.timestamp() + (c.ttl() == 0 ? "" : "/ttl" + c.ttl());
    }

    /** What a client should see: partitions in ring order, rows in read order, limits applied. */
    record Expected(long pk, boolean staticOnly, Map<String, String> staticCells, List<ModelRow> rows) {
    }

    List<Expected> read(List<Long> pksInRingOrder, List<Restriction> restrictions, boolean reversed, int limit,
                        int perPartitionLimit, int now) {
        boolean full = restrictions.isEmpty();
        List<Expected> out = new ArrayList<>();
        int total = 0;
        for (long pk : pksInRingOrder) {
            if (total >= limit) {
                break;
            }
            TreeSet<CK> cks = new TreeSet<>(reversed ? CLUSTERING_ORDER.reversed() : CLUSTERING_ORDER);
            for (CellFact f : cells) {
                if (f.pk == pk && f.ck != null) {
                    cks.add(f.ck);
                }
            }
            for (MarkerFact m : markers) {
                if (m.pk == pk) {
                    cks.add(m.ck);
                }
            }
            List<ModelRow> rows = new ArrayList<>();
            for (CK ck : cks) {
                if (!full && restrictions.stream().noneMatch(r -> r.matches(ck.ck1, ck.ck2))) {
                    continue;
                }
                ModelRow r = row(pk, ck, now);
                if (r.exists && rows.size() < perPartitionLimit && total < limit) {
                    rows.add(r);
                    total++;
                }
            }
            ModelRow st = row(pk, null, now);
            boolean staticOnly = rows.isEmpty() && full && st.exists;
            if (staticOnly) {
                total++;
            }
            if (!rows.isEmpty() || staticOnly) {
                out.add(new Expected(pk, staticOnly, st.cells, rows));
            }
        }
        return out;
    }
}
