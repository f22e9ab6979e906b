package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.data.ClusteringComparator;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.schema.ColumnKind;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A WHERE clause bound and sorted out against a table, the way Cassandra's StatementRestrictions does:
 * the partition keys it names (EQ/IN on every component) or a token range; the clustering as a set of
 * equal prefixes (EQ/IN, cartesian) optionally followed by one bounded column or tuple comparisons;
 * and whatever is left, which can only be filtered row by row (ALLOW FILTERING).
 */
final class Restrictions {

    static final String REQUIRES_ALLOW_FILTERING = "Cannot execute this query as it might involve data filtering and "
            + "thus may have unpredictable performance. If you want to execute this query despite the performance "
            + "unpredictability, use ALLOW FILTERING";

    /** Restrictions on one clustering column by single-column relations. */
    private static final class ColumnRestriction {
        List<Object> eq; // EQ (one value) or IN values
        ClusteringSlices.Bound lower;
        ClusteringSlices.Bound upper;
        Relation lowerRelation;
        Relation upperRelation;
        final List<Relation> relations = new ArrayList<>();

        boolean isEqOrIn() {
            return eq != null;
        }

        boolean isSlice() {
            return lower != null || upper != null;
        }
    }

    /** A tuple relation over consecutive clustering columns from {@code first}. */
    record MultiRelation(int first, int arity, Operator operator, List<List<Object>> tuples) {}

    private final TableMetadata table;
    private final boolean forSelect;

    /** Every combination of partition-key values, or null when the partition key is not fully EQ/IN. */
    private List<List<Object>> partitionKeys;
    private boolean hasToken;
    private long tokenLo = Long.MIN_VALUE;
    private long tokenHi = Long.MAX_VALUE;

    private List<byte[][]> prefixes = new ArrayList<>();
    private int prefixLength;
    private ColumnRestriction slice; // single-column slice at position prefixLength
    private final List<MultiRelation> multiSlices = new ArrayList<>();
    private boolean clusteringRestricted;
    private boolean clusteringNeedsFiltering;
    private final List<RowFilter.Predicate> filters = new ArrayList<>();
    private boolean regularFilters;
    private boolean partitionKeyNeedsFiltering;
    private String firstFilteringError;

    private Restrictions(TableMetadata table, boolean forSelect) {
        this.table = table;
        this.forSelect = forSelect;
        prefixes.add(new byte[0][]);
    }

    static Restrictions forSelect(TableMetadata table, List<Relation> where, TermBinder binder) {
        Restrictions r = new Restrictions(table, true);
        r.analyze(where, binder);
        return r;
    }

    static Restrictions forModification(TableMetadata table, List<Relation> where, TermBinder binder, String statement) {
        Restrictions r = new Restrictions(table, false);
        r.analyze(where, binder);
        if (!r.filters.isEmpty() && r.regularFilters) {
            String names = r.filters.stream().filter(p -> !p.column().isPrimaryKey())
                    .map(p -> p.column().name()).distinct().collect(Collectors.joining(", "));
            throw new InvalidRequestException("Non PRIMARY KEY columns found in where clause: " + names);
        }
        if (r.hasToken) {
            throw new InvalidRequestException("The token function cannot be used in WHERE clauses for " + statement
                    + " statements");
        }
        if (r.partitionKeys == null) {
            r.throwMissingPartitionKeyParts();
        }
        if (r.firstFilteringError != null) {
            throw new InvalidRequestException(r.firstFilteringError);
        }
        return r;
    }

    // ------------------------------------------------------------------ analysis

    private void analyze(List<Relation> where, TermBinder binder) {
        Map<Integer, List<Object>> pkValues = new LinkedHashMap<>();
        Map<Integer, ColumnRestriction> clustering = new LinkedHashMap<>();
        List<MultiRelation> multis = new ArrayList<>();
        for (Relation rel : where) {
            if (rel instanceof Relation.Token t) {
                token(t, binder);
            } else if (rel instanceof Relation.MultiColumn m) {
                multis.add(RelationTerms.multi(table, m, binder));
            } else {
                Relation.SingleColumn s = (Relation.SingleColumn) rel;
                ColumnMetadata c = Tables.column(table, s.column());
                if (c.kind() == ColumnKind.PARTITION_KEY) {
                    partitionKeyRelation(c, s, binder, pkValues);
                } else if (c.kind() == ColumnKind.CLUSTERING) {
                    clusteringRelation(c, s, binder, clustering.computeIfAbsent(c.position(), p -> new ColumnRestriction()));
                } else {
                    regularFilters = true;
                    filters.add(RelationTerms.predicate(c, s, binder));
                }
            }
        }
        resolvePartitionKey(pkValues);
        resolveClustering(clustering, multis);
    }

    private void token(Relation.Token t, TermBinder binder) {
        List<String> pk = table.partitionKeyColumns().stream().map(ColumnMetadata::name).toList();
        if (!t.columns().equals(pk)) {
            throw new InvalidRequestException("The token function arguments must be in the partition key order: "
                    + String.join(", ", pk));
        }
        long v = binder.bindLong(t.value(), "token");
        hasToken = true;
        switch (t.operator()) {
            case EQ -> {
                tokenLo = Math.max(tokenLo, v);
                tokenHi = Math.min(tokenHi, v);
            }
            case GT -> {
                if (v == Long.MAX_VALUE) {
                    tokenLo = Long.MAX_VALUE;
                    tokenHi = Long.MIN_VALUE; // empty
                } else {
                    tokenLo = Math.max(tokenLo, v + 1);
                }
            }
            case GTE -> tokenLo = Math.max(tokenLo, v);
            case LT -> {
                if (v == Long.MIN_VALUE) {
                    tokenHi = Long.MIN_VALUE;
                } else {
                    tokenHi = Math.min(tokenHi, v - 1);
                }
            }
            case LTE -> tokenHi = Math.min(tokenHi, v);
            default -> throw new InvalidRequestException("Unsupported \"" + t.operator().toCql() + "\" relation: "
                    + t.toCql());
        }
    }

    private void partitionKeyRelation(ColumnMetadata c, Relation.SingleColumn s, TermBinder binder,
                                      Map<Integer, List<Object>> pkValues) {
        Operator op = s.operator();
        if (op == Operator.EQ || op == Operator.IN) {
            List<Object> values = op == Operator.EQ
                    ? List.of(binder.bindNonNull(s.value(), c.type(), c.name()))
                    : binder.bindInValues(s.value(), c.type(), c.name());
            if (pkValues.put(c.position(), values) != null) {
                throw new InvalidRequestException(c.name() + " cannot be restricted by more than one relation if it "
                        + "includes an Equal");
            }
            return;
        }
        if (op == Operator.NEQ || op == Operator.CONTAINS || op == Operator.CONTAINS_KEY) {
            throw new InvalidRequestException("Unsupported \"" + op.toCql() + "\" relation: " + s.toCql());
        }
        if (!forSelect) {
            throw new InvalidRequestException("Only EQ and IN relation are supported on the partition key (unless you "
                    + "use the token() function)");
        }
        partitionKeyNeedsFiltering = true;
        noteFiltering("Only EQ and IN relation are supported on the partition key (unless you use the token() "
                + "function or allow filtering)");
        filters.add(RelationTerms.predicate(c, s, binder));
    }

    private void clusteringRelation(ColumnMetadata c, Relation.SingleColumn s, TermBinder binder, ColumnRestriction r) {
        Operator op = s.operator();
        r.relations.add(s);
        switch (op) {
            case EQ, IN -> {
                if (r.eq != null || r.isSlice()) {
                    throw new InvalidRequestException(c.name() + " cannot be restricted by more than one relation if it "
                            + "includes an Equal");
                }
                r.eq = op == Operator.EQ
                        ? List.of(binder.bindNonNull(s.value(), c.type(), c.name()))
                        : binder.bindInValues(s.value(), c.type(), c.name());
            }
            case GT, GTE, LT, LTE -> {
                if (r.eq != null) {
                    throw new InvalidRequestException(c.name() + " cannot be restricted by more than one relation if "
                            + "it includes an Equal");
                }
                Object v = binder.bindNonNull(s.value(), c.type(), c.name());
                ClusteringSlices.Bound b = new ClusteringSlices.Bound(c.type().serialize(v),
                        op == Operator.GTE || op == Operator.LTE);
                if (op == Operator.GT || op == Operator.GTE) {
                    if (r.lower != null) {
                        throw new InvalidRequestException("More than one restriction was found for the start bound on "
                                + c.name());
                    }
                    r.lower = b;
                    r.lowerRelation = s;
                } else {
                    if (r.upper != null) {
                        throw new InvalidRequestException("More than one restriction was found for the end bound on "
                                + c.name());
                    }
                    r.upper = b;
                    r.upperRelation = s;
                }
            }
            default -> throw new InvalidRequestException("Unsupported \"" + op.toCql() + "\" relation: " + s.toCql());
        }
    }

    private void resolvePartitionKey(Map<Integer, List<Object>> pkValues) {
        List<ColumnMetadata> pk = table.partitionKeyColumns();
        if (hasToken && !pkValues.isEmpty()) {
            throw new InvalidRequestException("Columns \"" + pk.get(pkValues.keySet().iterator().next()).name()
                    + "\" cannot be restricted by both a normal relation and a token relation");
        }
        if (pkValues.size() == pk.size() && !partitionKeyNeedsFiltering) {
            List<List<Object>> keys = new ArrayList<>();
            keys.add(new ArrayList<>());
            for (int i = 0; i < pk.size(); i++) {
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> k : keys) {
                    for (Object v : pkValues.get(i)) {
                        List<Object> e = new ArrayList<>(k);
                        e.add(v);
                        next.add(e);
                    }
                }
                keys = next;
            }
            partitionKeys = keys;
            return;
        }
        if (!pkValues.isEmpty()) {
            // Some components only: the others are unknown, so this is a filtered scan.
            partitionKeyNeedsFiltering = true;
            noteFiltering(REQUIRES_ALLOW_FILTERING);
            for (Map.Entry<Integer, List<Object>> e : pkValues.entrySet()) {
                ColumnMetadata c = pk.get(e.getKey());
                filters.add(e.getValue().size() == 1
                        ? new RowFilter.Predicate(c, Operator.EQ, e.getValue().get(0))
                        : new RowFilter.Predicate(c, Operator.IN, e.getValue()));
            }
        }
    }

    private void throwMissingPartitionKeyParts() {
        List<String> missing = new ArrayList<>();
        for (ColumnMetadata c : table.partitionKeyColumns()) {
            boolean restricted = filters.stream().anyMatch(p -> p.column().equals(c));
            if (!restricted) {
                missing.add(c.name());
            }
        }
        if (missing.isEmpty()) {
            throw new InvalidRequestException("Only EQ and IN relation are supported on the partition key");
        }
        throw new InvalidRequestException("Some partition key parts are missing: " + String.join(", ", missing));
    }

    private void resolveClustering(Map<Integer, ColumnRestriction> single, List<MultiRelation> multis) {
        List<ColumnMetadata> cc = table.clusteringColumns();
        clusteringRestricted = !single.isEmpty() || !multis.isEmpty();
        int i = 0;
        boolean stoppedBySlice = false;
        while (i < cc.size()) {
            MultiRelation eqMulti = null;
            List<MultiRelation> sliceMultis = new ArrayList<>();
            for (MultiRelation m : multis) {
                if (m.first == i) {
                    if (m.operator == Operator.EQ || m.operator == Operator.IN) {
                        eqMulti = m;
                    } else {
                        sliceMultis.add(m);
                    }
                }
            }
            ColumnRestriction r = single.get(i);
            if (eqMulti != null) {
                multis.remove(eqMulti);
                addPrefixTuples(eqMulti);
                i += eqMulti.arity;
            } else if (r != null && r.isEqOrIn()) {
                single.remove(i);
                List<List<Object>> tuples = new ArrayList<>();
                for (Object v : r.eq) {
                    tuples.add(List.of(v));
                }
                addPrefixTuples(new MultiRelation(i, 1, Operator.IN, tuples));
                i++;
            } else if (r != null && r.isSlice()) {
                single.remove(i);
                slice = r;
                stoppedBySlice = true;
                break;
            } else if (!sliceMultis.isEmpty()) {
                multis.removeAll(sliceMultis);
                multiSlices.addAll(sliceMultis);
                stoppedBySlice = true;
                break;
            } else {
                break;
            }
        }
        prefixLength = i;
        // Whatever is left restricts columns the slices cannot express: filter it, if allowed.
        for (MultiRelation m : multis) {
            throw new InvalidRequestException("Clustering column \"" + cc.get(m.first).name() + "\" cannot be "
                    + "restricted by a multi-column relation here (preceding column \"" + cc.get(Math.max(0, i - 1)).name()
                    + "\" is not restricted by an EQ relation)");
        }
        for (Map.Entry<Integer, ColumnRestriction> e : single.entrySet()) {
            ColumnMetadata c = cc.get(e.getKey());
            String preceding = cc.get(e.getKey() - 1 >= 0 ? Math.min(i, e.getKey() - 1) : 0).name();
            if (stoppedBySlice) {
                noteFiltering("Clustering column \"" + c.name() + "\" cannot be restricted (preceding column \""
                        + cc.get(i).name() + "\" is restricted by a non-EQ relation)");
            } else {
                noteFiltering("PRIMARY KEY column \"" + c.name() + "\" cannot be restricted as preceding column \""
                        + (i < cc.size() ? cc.get(i).name() : preceding) + "\" is not restricted");
            }
            clusteringNeedsFiltering = true;
            for (Relation rel : e.getValue().relations) {
                Relation.SingleColumn s = (Relation.SingleColumn) rel;
                filters.add(new RowFilter.Predicate(c, s.operator(), s.operator() == Operator.IN
                        ? e.getValue().eq : bindAgain(c, s, e.getValue())));
            }
        }
    }

    /** The typed value a clustering relation already bound (kept serialized in bounds). */
    private static Object bindAgain(ColumnMetadata c, Relation.SingleColumn s, ColumnRestriction r) {
        if (s.operator() == Operator.EQ) {
            return r.eq.get(0);
        }
        ClusteringSlices.Bound b = s == r.lowerRelation ? r.lower : r.upper;
        return c.type().deserialize(b.value());
    }

    private void addPrefixTuples(MultiRelation m) {
        List<ColumnMetadata> cc = table.clusteringColumns();
        List<byte[][]> next = new ArrayList<>(prefixes.size() * m.tuples.size());
        for (byte[][] p : prefixes) {
            for (List<Object> t : m.tuples) {
                byte[][] e = p;
                for (int k = 0; k < t.size(); k++) {
                    e = ClusteringSlices.append(e, serializeKey(cc.get(m.first + k), t.get(k)));
                }
                next.add(e);
            }
        }
        prefixes = dedupe(next);
    }

    private static List<byte[][]> dedupe(List<byte[][]> prefixes) {
        List<byte[][]> out = new ArrayList<>(prefixes.size());
        outer:
        for (byte[][] p : prefixes) {
            for (byte[][] q : out) {
                if (java.util.Arrays.deepEquals(p, q)) {
                    continue outer;
                }
            }
            out.add(p);
        }
        return out;
    }

    private static byte[] serializeKey(ColumnMetadata c, Object v) {
        byte[] b = c.type().serialize(v);
        if (b.length > Keys.MAX_KEY_BYTES) {
            throw new InvalidRequestException("Key length of " + b.length + " is longer than maximum of "
                    + Keys.MAX_KEY_BYTES);
        }
        return b;
    }

    private void noteFiltering(String message) {
        if (firstFilteringError == null) {
            firstFilteringError = message;
        }
    }

    // ------------------------------------------------------------------ results

    TableMetadata table() {
        return table;
    }

    /** Partition-key value lists (each complete), or null when the read is a range scan. */
    List<List<Object>> partitionKeys() {
        return partitionKeys;
    }

    boolean hasToken() {
        return hasToken;
    }

    long tokenLo() {
        return tokenLo;
    }

    long tokenHi() {
        return tokenHi;
    }

    boolean clusteringRestricted() {
        return clusteringRestricted;
    }

    /** True when some restriction can only be applied row by row. */
    boolean needsFiltering() {
        return !filters.isEmpty();
    }

    /** The message Cassandra gives when such a query lacks ALLOW FILTERING. */
    String filteringError() {
        return firstFilteringError != null ? firstFilteringError : REQUIRES_ALLOW_FILTERING;
    }

    boolean partitionKeyNeedsFiltering() {
        return partitionKeyNeedsFiltering;
    }

    boolean clusteringNeedsFiltering() {
        return clusteringNeedsFiltering;
    }

    RowFilter rowFilter() {
        return filters.isEmpty() ? RowFilter.NONE : new RowFilter(List.copyOf(filters));
    }

    /** How many leading clustering columns are fixed by EQ/IN. */
    int prefixLength() {
        return prefixLength;
    }

    boolean hasSlice() {
        return slice != null || !multiSlices.isEmpty();
    }

    /** The EQ/IN prefixes, serialized; full clusterings when prefixLength equals the clustering size. */
    List<byte[][]> prefixes() {
        return prefixes;
    }

    /** The clustering slices, normalized; empty when an IN list is empty. */
    List<Slice> slices() {
        ClusteringComparator cmp = table.clusteringComparator();
        List<Slice> out = new ArrayList<>();
        for (byte[][] p : prefixes) {
            if (slice != null) {
                out.add(ClusteringSlices.slice(p, slice.lower, slice.upper,
                        table.clusteringColumns().get(prefixLength).reversed()));
            } else if (!multiSlices.isEmpty()) {
                List<Slice> set = List.of(Slice.prefix(p));
                for (MultiRelation m : multiSlices) {
                    set = ClusteringSlices.intersect(set, tupleSlices(p, m), cmp);
                }
                out.addAll(set);
            } else {
                out.add(Slice.prefix(p));
            }
        }
        return ClusteringSlices.normalize(out, cmp);
    }

    /** {@code (a, b, c) > (x, y, z)} = a > x, or a = x and b > y, or a = x and b = y and c > z. */
    private List<Slice> tupleSlices(byte[][] prefix, MultiRelation m) {
        List<ColumnMetadata> cc = table.clusteringColumns();
        List<Object> t = m.tuples.get(0);
        boolean lowerBound = m.operator == Operator.GT || m.operator == Operator.GTE;
        boolean inclusiveLast = m.operator == Operator.GTE || m.operator == Operator.LTE;
        List<Slice> out = new ArrayList<>();
        byte[][] p = prefix;
        for (int k = 0; k < m.arity; k++) {
            ColumnMetadata c = cc.get(m.first + k);
            byte[] v = c.type().serialize(t.get(k));
            ClusteringSlices.Bound b = new ClusteringSlices.Bound(v, k == m.arity - 1 && inclusiveLast);
            out.add(ClusteringSlices.slice(p, lowerBound ? b : null, lowerBound ? null : b, c.reversed()));
            p = ClusteringSlices.append(p, v);
        }
        return ClusteringSlices.normalize(out, table.clusteringComparator());
    }
}
