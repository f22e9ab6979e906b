package io.sibyl.app.cql.views;

import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.QueryResult.ResultColumn;
import io.sibyl.app.cql.ast.Literal;
import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Selectable;
import io.sibyl.app.cql.ast.Selector;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.errors.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The keyspace {@code system_views} (Cassandra 5's virtual tables): read-only tables computed from the node's
 * state when a SELECT reads them, over {@code POST /v1/cql} and the native protocol alike. A SELECT may name
 * columns or use {@code *}, and restrict columns with {@code =} or {@code IN} on literals; rows are this
 * node's only (as in Cassandra).
 */
public final class VirtualTables {
    public static final String KEYSPACE = "system_views";

    private final Map<String, VirtualTable> tables = new TreeMap<>();

    public VirtualTables add(VirtualTable t) {
        tables.put(t.name(), t);
        return this;
    }

    public Set<String> names() {
        return tables.keySet();
    }

    public static boolean isVirtual(String keyspace) {
        return KEYSPACE.equals(keyspace);
    }

    /** The rows of {@code select}'s table, filtered and projected as it asks. */
    public CompletionStage<QueryResult> select(Select select) {
        VirtualTable t = tables.get(select.table().name());
        if (t == null) {
            return CompletableFuture.failedFuture(new InvalidRequestException("unconfigured table " + KEYSPACE + "."
                    + select.table().name() + " (" + KEYSPACE + " has " + String.join(", ", tables.keySet()) + ")"));
        }
        List<ResultColumn> columns;
        try {
            columns = projection(t, select);
            for (Relation r : select.where()) {
                checkRestriction(t, r);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return t.rows().get().thenApply(rows -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                if (matches(row, select.where())) {
                    Map<String, Object> projected = new LinkedHashMap<>();
                    for (ResultColumn c : columns) {
                        projected.put(c.name(), row.get(c.name()));
                    }
                    out.add(projected);
                }
            }
            long limit = limit(select);
            return new QueryResult(columns, limit < out.size() ? out.subList(0, (int) limit) : out, null, null, List.of());
        });
    }

    private static List<ResultColumn> projection(VirtualTable t, Select select) {
        if (select.isWildcard()) {
            return t.columns();
        }
        List<ResultColumn> out = new ArrayList<>();
        for (Selector s : select.selectors()) {
            if (!(s.selectable() instanceof Selectable.Column c) || s.alias() != null) {
                throw new InvalidRequestException(KEYSPACE + " tables can be read with * or column names only");
            }
            out.add(column(t, c.name()));
        }
        return out;
    }

    private static ResultColumn column(VirtualTable t, String name) {
        return t.columns().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("Undefined column name " + name + " in " + KEYSPACE + "." + t.name()));
    }

    private static void checkRestriction(VirtualTable t, Relation r) {
        if (!(r instanceof Relation.SingleColumn sc)
                || !(sc.operator() == Operator.EQ && sc.value() instanceof Literal
                || sc.operator() == Operator.IN && sc.value() instanceof Term.ListLiteral)) {
            throw new InvalidRequestException(KEYSPACE + " tables take only column = literal and column IN (literals)");
        }
        column(t, sc.column());
    }

    private static boolean matches(Map<String, Object> row, List<Relation> where) {
        for (Relation r : where) {
            Relation.SingleColumn sc = (Relation.SingleColumn) r;
            Set<String> wanted = new TreeSet<>();
            if (sc.value() instanceof Literal lit) {
                wanted.add(String.valueOf(lit.value()));
            } else if (sc.value() instanceof Term.ListLiteral list) {
                for (Term term : list.elements()) {
                    if (term instanceof Literal lit) wanted.add(String.valueOf(lit.value()));
                }
            }
            if (!wanted.contains(String.valueOf(row.get(sc.column())))) {
                return false;
            }
        }
        return true;
    }

    private static long limit(Select select) {
        if (select.limit() == null) {
            return Long.MAX_VALUE;
        }
        if (select.limit() instanceof Literal lit && lit.value() instanceof Number n && n.longValue() > 0) {
            return n.longValue();
        }
        throw new InvalidRequestException("LIMIT must be a positive integer literal on " + KEYSPACE + " tables");
    }
}
