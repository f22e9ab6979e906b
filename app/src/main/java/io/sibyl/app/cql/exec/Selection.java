package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.QueryResult;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Selectable;
import io.sibyl.app.cql.ast.Selector;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.CollectionCell;
import io.sibyl.storage.types.CollectionType;
import io.sibyl.storage.types.TypeCoercion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a SELECT returns per row: named outputs (columns, {@code token(...)}, {@code writetime(c)},
 * {@code ttl(c)}) with their CQL types, or a row count for {@code count(*)}. Names are Cassandra's:
 * the alias, else the column name, {@code system.token(k)}, {@code writetime(c)}, {@code ttl(c)},
 * {@code count}.
 */
final class Selection {

    record Output(String name, String type, Function<ResultRow, Object> value) {}

    private final List<Output> outputs;
    private final boolean count;
    private final String countName;
    private final List<ColumnMetadata> columns;

    private Selection(List<Output> outputs, boolean count, String countName, List<ColumnMetadata> columns) {
        this.outputs = outputs;
        this.count = count;
        this.countName = countName;
        this.columns = columns;
    }

    /** {@code SELECT *} order: partition key, clustering, then static and regular columns by name. */
    static List<ColumnMetadata> wildcardColumns(TableMetadata table) {
        List<ColumnMetadata> out = new ArrayList<>(table.partitionKeyColumns());
        out.addAll(table.clusteringColumns());
        Comparator<ColumnMetadata> byName = Comparator.comparing(ColumnMetadata::name);
        out.addAll(table.staticColumns().stream().sorted(byName).toList());
        out.addAll(table.regularColumns().stream().sorted(byName).toList());
        return out;
    }

    /** The last wildcard selection built per table id, with the metadata instance it was built from. */
    private record Cached(TableMetadata table, Selection selection) {}

    private static final java.util.concurrent.ConcurrentHashMap<java.util.UUID, Cached> WILDCARDS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * {@code SELECT *} of a table. Built once per table metadata instance (every REST point read asks for
     * it; building it sorts the columns and allocates an output per column): a schema change gives the
     * table a new metadata instance, which misses the cache and replaces the entry.
     */
    static Selection wildcard(TableMetadata table) {
        Cached c = WILDCARDS.get(table.id());
        if (c != null && c.table == table) {
            return c.selection;
        }
        Selection s = buildWildcard(table);
        WILDCARDS.put(table.id(), new Cached(table, s));
        return s;
    }

    private static Selection buildWildcard(TableMetadata table) {
        List<ColumnMetadata> cols = wildcardColumns(table);
        List<Output> outputs = new ArrayList<>(cols.size());
        for (ColumnMetadata c : cols) {
            outputs.add(column(c, c.name()));
        }
        return new Selection(outputs, false, null, cols);
    }

    static Selection of(TableMetadata table, Select select) {
        if (select.isWildcard()) {
            return wildcard(table);
        }
        List<Output> outputs = new ArrayList<>();
        List<ColumnMetadata> columns = new ArrayList<>();
        String countName = null;
        for (Selector s : select.selectors()) {
            Selectable sel = s.selectable();
            if (sel instanceof Selectable.CountRows) {
                countName = s.alias() != null ? s.alias() : "count";
                continue;
            }
            if (sel instanceof Selectable.Column col) {
                ColumnMetadata c = Tables.column(table, col.name());
                columns.add(c);
                outputs.add(column(c, s.alias() != null ? s.alias() : c.name()));
            } else if (sel instanceof Selectable.Token t) {
                List<String> pk = table.partitionKeyColumns().stream().map(ColumnMetadata::name).toList();
                if (!t.columns().equals(pk)) {
                    throw new InvalidRequestException("Invalid arguments for function system.token: expected the "
                            + "partition key columns (" + String.join(", ", pk) + ")");
                }
                String name = s.alias() != null ? s.alias() : "system.token(" + String.join(", ", pk) + ")";
                outputs.add(new Output(name, "bigint", r -> r.partition.key.token()));
            } else if (sel instanceof Selectable.WriteTime w) {
                ColumnMetadata c = metadataColumn(table, w.column(), "writeTime");
                columns.add(c);
                outputs.add(new Output(s.alias() != null ? s.alias() : "writetime(" + c.name() + ")", "bigint", r -> {
                    Cell cell = r.cell(c);
                    return cell == null ? null : cell.timestamp();
                }));
            } else if (sel instanceof Selectable.Ttl t) {
                ColumnMetadata c = metadataColumn(table, t.column(), "ttl");
                columns.add(c);
                outputs.add(new Output(s.alias() != null ? s.alias() : "ttl(" + c.name() + ")", "int", r -> {
                    Cell cell = r.cell(c);
                    return cell == null || !cell.isExpiring() ? null
                            : Math.max(0, cell.localDeletionTime() - r.partition.nowInSec);
                }));
            } else if (sel instanceof Selectable.Function f) {
                throw new InvalidRequestException("Unknown function '" + f.name() + "' in selection (supported: "
                        + "token, writetime, ttl, count(*))");
            } else {
                throw new InvalidRequestException("Constants are not supported in the selection: " + sel.toCql());
            }
        }
        if (countName != null && !outputs.isEmpty()) {
            throw new InvalidRequestException("count(*) cannot be mixed with other selectors in Sibyl");
        }
        return new Selection(outputs, countName != null, countName, columns);
    }

    private static ColumnMetadata metadataColumn(TableMetadata table, String name, String function) {
        ColumnMetadata c = Tables.column(table, name);
        if (c.isPrimaryKey()) {
            throw new InvalidRequestException("Cannot use selection function " + function + " on PRIMARY KEY part "
                    + c.name());
        }
        if (c.type().isMultiCell()) {
            throw new InvalidRequestException("Cannot use selection function " + function
                    + " on non-frozen collection " + c.name());
        }
        return c;
    }

    private static Output column(ColumnMetadata c, String name) {
        return new Output(name, c.type().cqlName(), r -> TypeCoercion.toJson(c.type(), r.value(c)));
    }

    boolean isCount() {
        return count;
    }

    /** The table columns the selection reads (not counting token, which needs none). */
    List<ColumnMetadata> columns() {
        return columns;
    }

    /** The non-key columns to fetch: those selected plus those filtered on; null means all. */
    Set<String> fetchedColumns(RowFilter filter, boolean wildcard) {
        if (wildcard || count) {
            return null;
        }
        Set<String> out = new HashSet<>();
        for (ColumnMetadata c : columns) {
            if (!c.isPrimaryKey()) {
                out.add(c.name());
            }
        }
        for (RowFilter.Predicate p : filter.predicates()) {
            out.add(p.column().name());
        }
        return out;
    }

    /** Immutable, built on first use (a selection may be shared, see {@link #wildcard}). */
    private volatile List<QueryResult.ResultColumn> specs;

    List<QueryResult.ResultColumn> specs() {
        List<QueryResult.ResultColumn> s = specs;
        if (s == null) {
            s = count ? List.of(new QueryResult.ResultColumn(countName, "bigint"))
                    : List.copyOf(outputs.stream().map(o -> new QueryResult.ResultColumn(o.name, o.type)).toList());
            specs = s;
        }
        return s;
    }

    String countName() {
        return countName;
    }

    Map<String, Object> render(ResultRow row) {
        Map<String, Object> out = new LinkedHashMap<>(outputs.size() * 2);
        for (Output o : outputs) {
            out.put(o.name, o.value.apply(row));
        }
        return out;
    }

    /** The typed value of a column in an (unfiltered or filtered) row: live cells only; null when none. */
    static Object cellValue(Row row, ColumnMetadata c, int nowInSec, TableMetadata table) {
        if (c.type().isMultiCell()) {
            CollectionType type = (CollectionType) c.type();
            List<Cell> cells = row.cells(c.name());
            if (cells.isEmpty()) {
                return null;
            }
            List<CollectionCell> live = new ArrayList<>(cells.size());
            for (Cell cell : cells) {
                if (cell.path() != null && cell.isLive(nowInSec) && table.isVisible(c.name(), cell.timestamp())) {
                    live.add(new CollectionCell(cell.path(), cell.value()));
                }
            }
            if (live.isEmpty()) {
                return null;
            }
            Comparator<byte[]> order = type.pathComparator();
            live.sort((a, b) -> order.compare(a.path(), b.path()));
            return type.fromCells(live);
        }
        Cell cell = row.cell(c.name());
        if (cell == null || !cell.isLive(nowInSec) || !table.isVisible(c.name(), cell.timestamp())) {
            return null;
        }
        return c.type().deserialize(cell.value());
    }
}
