package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.ast.Operator;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.ListType;
import io.sibyl.storage.types.MapType;
import io.sibyl.storage.types.TypeCoercion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides lightweight-transaction conditions against the current (merged, unfiltered) partition, and
 * renders the answer: {@code applied}, and when not applied the current values as Cassandra shows them
 * ({@code [applied]} plus the existing row for IF NOT EXISTS, plus the condition columns otherwise).
 */
final class CasEvaluator {

    static final String APPLIED = "[applied]";

    private final ReadResult current;

    CasEvaluator(ReadResult current) {
        this.current = current;
    }

    boolean applies(CasCheck check) {
        int now = current.nowInSec();
        Row row = row(check.clustering());
        return switch (check.kind()) {
            case NOT_EXISTS -> row == null || !row.hasLiveData(now);
            case EXISTS -> row != null && row.hasLiveData(now);
            case CONDITIONS -> {
                for (CasCheck.BoundCondition c : check.conditions()) {
                    if (!test(c, currentValue(c.column(), check.clustering()))) {
                        yield false;
                    }
                }
                yield true;
            }
        };
    }

    /** The not-applied answer for these checks (one row each). */
    QueryResult notApplied(List<CasCheck> checks, boolean withKeys) {
        TableMetadata table = checks.get(0).table();
        Set<ColumnMetadata> columns = new LinkedHashSet<>();
        for (CasCheck check : checks) {
            if (withKeys || check.kind() == CasCheck.Kind.NOT_EXISTS) {
                Row row = row(check.clustering());
                if (check.kind() == CasCheck.Kind.NOT_EXISTS && row != null) {
                    columns.addAll(Selection.wildcardColumns(table));
                } else if (withKeys) {
                    columns.addAll(table.partitionKeyColumns());
                    columns.addAll(table.clusteringColumns());
                }
            }
            for (CasCheck.BoundCondition c : check.conditions()) {
                columns.add(c.column());
            }
        }
        List<QueryResult.ResultColumn> specs = new ArrayList<>();
        specs.add(new QueryResult.ResultColumn(APPLIED, "boolean"));
        for (ColumnMetadata c : columns) {
            specs.add(new QueryResult.ResultColumn(c.name(), c.type().cqlName()));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CasCheck check : checks) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(APPLIED, false);
            Row row = row(check.clustering());
            boolean exists = row != null && row.hasLiveData(current.nowInSec());
            for (ColumnMetadata c : columns) {
                Object v = switch (c.kind()) {
                    case PARTITION_KEY -> exists || withKeys ? check.partitionKeyValues().get(c.position()) : null;
                    case CLUSTERING -> check.clustering().isStatic() || !(exists || withKeys) ? null
                            : c.type().deserialize(check.clustering().get(c.position()));
                    default -> currentValue(c, check.clustering());
                };
                out.put(c.name(), TypeCoercion.toJson(c.type(), v));
            }
            rows.add(out);
        }
        return new QueryResult(specs, rows, null, false, List.of());
    }

    private Row row(Clustering clustering) {
        for (PartitionUpdate p : current.partitions()) {
            if (clustering.isStatic()) {
                return p.staticRow();
            }
            for (Row r : p.rows()) {
                if (r.clustering().equals(clustering)) {
                    return r;
                }
            }
        }
        return null;
    }

    private Object currentValue(ColumnMetadata c, Clustering clustering) {
        Row row = row(c.isStatic() ? Clustering.STATIC : clustering);
        return row == null ? null : Selection.cellValue(row, c, current.nowInSec(), current.metadata());
    }

    private static boolean test(CasCheck.BoundCondition c, Object actual) {
        CqlType type = c.column().type();
        if (c.element() != null) {
            if (type instanceof MapType mt) {
                actual = actual == null ? null : ((Map<?, ?>) actual).entrySet().stream()
                        .filter(e -> mt.keyType().compareValues(e.getKey(), c.element()) == 0)
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                type = mt.valueType();
            } else {
                ListType lt = (ListType) type;
                int index = (Integer) c.element();
                List<?> list = (List<?>) actual;
                actual = list == null || index < 0 || index >= list.size() ? null : list.get(index);
                type = lt.elementType();
            }
        }
        Operator op = c.operator();
        if (op == Operator.IN) {
            for (Object v : (List<?>) c.value()) {
                if (equal(type, actual, v)) {
                    return true;
                }
            }
            return false;
        }
        if (op == Operator.EQ) {
            return equal(type, actual, c.value());
        }
        if (op == Operator.NEQ) {
            return !equal(type, actual, c.value());
        }
        if (actual == null) {
            return false;
        }
        int cmp = type.compareValues(actual, c.value());
        return switch (op) {
            case LT -> cmp < 0;
            case LTE -> cmp <= 0;
            case GT -> cmp > 0;
            case GTE -> cmp >= 0;
            default -> false;
        };
    }

    private static boolean equal(CqlType type, Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        return type.compareValues(a, b) == 0;
    }
}
