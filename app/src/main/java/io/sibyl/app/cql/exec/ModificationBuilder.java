package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.ast.Assignment;
import io.sibyl.app.cql.ast.Condition;
import io.sibyl.app.cql.ast.Delete;
import io.sibyl.app.cql.ast.Deletion;
import io.sibyl.app.cql.ast.Insert;
import io.sibyl.app.cql.ast.InsertJson;
import io.sibyl.app.cql.ast.Modification;
import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.Update;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.schema.ColumnKind;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.IntType;
import io.sibyl.storage.types.ListType;
import io.sibyl.storage.types.MapType;
import io.sibyl.storage.types.SetType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns INSERT, INSERT JSON, UPDATE and DELETE into rows, range tombstones and partition deletions in
 * a {@link MutationCollector}, validating everything first: nothing here talks to the cluster, so a
 * statement (or batch) that fails validation has written nothing.
 */
final class ModificationBuilder {

    private final MicrosClock clock;
    private final long maxValueBytes;

    ModificationBuilder(MicrosClock clock, long maxValueBytes) {
        this.clock = clock;
        this.maxValueBytes = maxValueBytes;
    }

    /** Adds the writes of {@code m}; returns its lightweight-transaction check, or null. */
    CasCheck add(Modification m, TableMetadata table, TermBinder binder, Long batchTimestamp, Long requestTimestamp,
                 MutationCollector out) {
        if (isConditional(m) && m.using().timestamp() != null) {
            throw new InvalidRequestException("Cannot provide custom timestamp for conditional updates");
        }
        WriteOptions o = WriteOptions.of(m.using(), binder, table, batchTimestamp, requestTimestamp, clock);
        if (m instanceof Insert i) {
            return insert(i, table, binder, o, out);
        }
        if (m instanceof InsertJson j) {
            Map<ColumnMetadata, Object> values = JsonRows.parseInsertJson(table, binder.bindJsonText(j.json()));
            return insertRow(table, values, o, out, true, j.ifNotExists());
        }
        if (m instanceof Update u) {
            return update(u, table, binder, o, out);
        }
        return delete((Delete) m, table, binder, o, out);
    }

    static boolean isConditional(Modification m) {
        if (m instanceof Insert i) {
            return i.ifNotExists();
        }
        if (m instanceof InsertJson j) {
            return j.ifNotExists();
        }
        if (m instanceof Update u) {
            return u.isConditional();
        }
        return ((Delete) m).isConditional();
    }

    // ------------------------------------------------------------------ INSERT

    private CasCheck insert(Insert i, TableMetadata table, TermBinder binder, WriteOptions o, MutationCollector out) {
        if (i.columns().size() != i.values().size()) {
            throw new InvalidRequestException("Unmatched column names/values");
        }
        Map<ColumnMetadata, Object> values = new LinkedHashMap<>();
        for (int k = 0; k < i.columns().size(); k++) {
            ColumnMetadata c = Tables.column(table, i.columns().get(k));
            if (values.containsKey(c)) {
                throw new InvalidRequestException("Multiple definitions found for column " + c.name());
            }
            values.put(c, c.isPrimaryKey() ? binder.bind(i.values().get(k), c.type(), c.name())
                    : binder.bindCellValue(i.values().get(k), c.type(), c.name()));
        }
        return insertRow(table, values, o, out, false, i.ifNotExists());
    }

    /**
     * One row written as INSERT does (with a row marker). With {@code nullMissing} (INSERT JSON) the
     * columns not given are set to null, as Cassandra's DEFAULT NULL; otherwise they are left alone.
     */
    CasCheck insertRow(TableMetadata table, Map<ColumnMetadata, Object> values, WriteOptions o, MutationCollector out,
                       boolean nullMissing, boolean ifNotExists) {
        List<Object> pk = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ColumnMetadata c : table.partitionKeyColumns()) {
            if (!values.containsKey(c)) {
                missing.add(c.name());
            }
            pk.add(values.get(c));
        }
        if (!missing.isEmpty()) {
            throw new InvalidRequestException("Some partition key parts are missing: " + String.join(", ", missing));
        }
        List<Object> ck = new ArrayList<>();
        for (ColumnMetadata c : table.clusteringColumns()) {
            if (!values.containsKey(c)) {
                missing.add(c.name());
            }
            ck.add(values.get(c));
        }
        boolean anyRegular = false;
        boolean anyStatic = false;
        for (ColumnMetadata c : values.keySet()) { // a loop, not two streams: this runs for every REST row
            anyRegular |= c.kind() == ColumnKind.REGULAR;
            anyStatic |= c.isStatic();
        }
        // Only the partition key and static columns: the write goes to the static row alone.
        boolean staticOnly = !missing.isEmpty() && missing.size() == ck.size() && !anyRegular && anyStatic;
        if (!missing.isEmpty() && !staticOnly) {
            throw new InvalidRequestException("Some clustering keys are missing: " + String.join(", ", missing));
        }
        DecoratedKey key = Keys.partitionKey(table, pk);
        Clustering clustering = staticOnly ? Clustering.STATIC : Keys.clustering(table, ck);
        RowUpdate row = new RowUpdate(clustering, maxValueBytes);
        RowUpdate statics = staticOnly ? row : new RowUpdate(Clustering.STATIC, maxValueBytes);
        if (!staticOnly) {
            row.marker(o);
        }
        for (ColumnMetadata c : table.columns()) {
            if (c.isPrimaryKey()) {
                continue;
            }
            boolean given = values.containsKey(c);
            if (!given && (!nullMissing || (staticOnly && !c.isStatic()))) {
                continue;
            }
            (c.isStatic() ? statics : row).set(c, given ? values.get(c) : null, o);
        }
        PartitionUpdate.Builder partition = out.partition(table, key);
        partition.add(row.build());
        if (statics != row && !statics.isEmpty()) {
            partition.add(statics.build());
        }
        return ifNotExists ? new CasCheck(table, key, pk, clustering, CasCheck.Kind.NOT_EXISTS, List.of()) : null;
    }

    // ------------------------------------------------------------------ UPDATE

    private record BoundAssignment(ColumnMetadata column, Assignment assignment, Object key, Object value) {}

    private CasCheck update(Update u, TableMetadata table, TermBinder binder, WriteOptions o, MutationCollector out) {
        Restrictions r = Restrictions.forModification(table, u.where(), binder, "UPDATE");
        List<BoundAssignment> assignments = new ArrayList<>();
        boolean onlyStatic = true;
        for (Assignment a : u.assignments()) {
            ColumnMetadata c = Tables.column(table, a.column());
            if (c.isPrimaryKey()) {
                throw new InvalidRequestException("PRIMARY KEY part " + c.name() + " found in SET part");
            }
            onlyStatic &= c.isStatic();
            assignments.add(bindAssignment(c, a, binder));
        }
        List<Clustering> clusterings = clusterings(table, r, onlyStatic, "UPDATE");
        CasCheck check = conditional(u.isConditional(), u.ifExists(), u.conditions(), table, r, clusterings, binder,
                "updates");
        for (List<Object> pk : r.partitionKeys()) {
            DecoratedKey key = Keys.partitionKey(table, pk);
            for (Clustering clustering : clusterings) {
                RowUpdate row = new RowUpdate(clustering, maxValueBytes);
                RowUpdate statics = clustering.isStatic() ? row : new RowUpdate(Clustering.STATIC, maxValueBytes);
                for (BoundAssignment a : assignments) {
                    if (readsBeforeWrite(a)) {
                        Clustering target = a.column.isStatic() ? Clustering.STATIC : clustering;
                        out.readBeforeWrite(table, key, target, current -> {
                            RowUpdate listWrite = new RowUpdate(target, maxValueBytes);
                            if (a.assignment instanceof Assignment.SetElement) {
                                listWrite.setListIndex(a.column, current, (Integer) a.key, a.value, false, o);
                            } else {
                                listWrite.removeListValues(a.column, current, (List<?>) a.value, o);
                            }
                            return listWrite.build();
                        });
                    } else {
                        apply(a, a.column.isStatic() ? statics : row, o);
                    }
                }
                out.add(table, key, row.build());
                if (statics != row && !statics.isEmpty()) {
                    out.add(table, key, statics.build());
                }
            }
            if (check != null) {
                return new CasCheck(table, key, pk, check.clustering(), check.kind(), check.conditions());
            }
        }
        return null;
    }

    private BoundAssignment bindAssignment(ColumnMetadata c, Assignment a, TermBinder binder) {
        CqlType type = c.type();
        if (a instanceof Assignment.SetValue) {
            return new BoundAssignment(c, a, null, binder.bind(a.value(), type, c.name()));
        }
        if (a instanceof Assignment.SetElement e) {
            if (type instanceof MapType mt && mt.isMultiCell()) {
                return new BoundAssignment(c, a, binder.bindNonNull(e.key(), mt.keyType(), c.name()),
                        binder.bind(e.value(), mt.valueType(), c.name()));
            }
            if (type instanceof ListType lt && lt.isMultiCell()) {
                return new BoundAssignment(c, a, binder.bindNonNull(e.key(), IntType.INSTANCE, c.name()),
                        binder.bind(e.value(), lt.elementType(), c.name()));
            }
            throw new InvalidRequestException("Invalid operation (" + a.toCql() + ") for non list/map column " + c.name());
        }
        if (!type.isCollection()) {
            throw new InvalidRequestException("Invalid operation (" + a.toCql() + ") for non counter column " + c.name());
        }
        if (!type.isMultiCell()) {
            throw new InvalidRequestException("Invalid operation (" + a.toCql() + ") for frozen collection column "
                    + c.name());
        }
        if (a instanceof Assignment.Prepend && !(type instanceof ListType)) {
            throw new InvalidRequestException("Invalid operation (" + a.toCql() + ") for non list column " + c.name());
        }
        if (a instanceof Assignment.Subtract) {
            CqlType removed = type instanceof MapType mt ? new SetType(mt.keyType(), false) : type;
            return new BoundAssignment(c, a, null, binder.bind(a.value(), removed, c.name()));
        }
        return new BoundAssignment(c, a, null, binder.bind(a.value(), type, c.name()));
    }

    /** List element by index and list removal by value need the current list (Cassandra reads it too). */
    private static boolean readsBeforeWrite(BoundAssignment a) {
        return a.column.type() instanceof ListType
                && (a.assignment instanceof Assignment.SetElement || a.assignment instanceof Assignment.Subtract);
    }

    private static void apply(BoundAssignment a, RowUpdate row, WriteOptions o) {
        Assignment as = a.assignment;
        if (as instanceof Assignment.SetValue) {
            row.set(a.column, a.value, o);
        } else if (as instanceof Assignment.SetElement) {
            row.setMapEntry(a.column, a.key, a.value, o);
        } else if (as instanceof Assignment.Add) {
            row.addElements(a.column, a.value, o);
        } else if (as instanceof Assignment.Prepend) {
            row.prepend(a.column, a.value, o);
        } else {
            row.removeElements(a.column, a.value, o);
        }
    }

    /** The rows an UPDATE or column DELETE writes: full clusterings, or the static row. */
    private static List<Clustering> clusterings(TableMetadata table, Restrictions r, boolean onlyStatic, String stmt) {
        if (table.clusteringColumns().isEmpty()) {
            return List.of(Clustering.EMPTY);
        }
        if (onlyStatic && table.hasStaticColumns()) {
            if (r.clusteringRestricted()) {
                throw new InvalidRequestException("Invalid restrictions on clustering columns since the " + stmt
                        + " statement modifies only static columns");
            }
            return List.of(Clustering.STATIC);
        }
        if (r.prefixLength() < table.clusteringColumns().size() || r.hasSlice()) {
            List<String> missing = new ArrayList<>();
            for (int i = r.prefixLength(); i < table.clusteringColumns().size(); i++) {
                missing.add(table.clusteringColumns().get(i).name());
            }
            throw new InvalidRequestException("Some clustering keys are missing: " + String.join(", ", missing));
        }
        List<Clustering> out = new ArrayList<>();
        for (byte[][] p : r.prefixes()) {
            out.add(Clustering.of(p));
        }
        return out;
    }

    // ------------------------------------------------------------------ DELETE

    private CasCheck delete(Delete d, TableMetadata table, TermBinder binder, WriteOptions o, MutationCollector out) {
        Restrictions r = Restrictions.forModification(table, d.where(), binder, "DELETE");
        if (d.targets().isEmpty()) {
            return deleteRows(d, table, r, binder, o, out);
        }
        List<ColumnMetadata> columns = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        boolean onlyStatic = true;
        for (Deletion t : d.targets()) {
            ColumnMetadata c = Tables.column(table, t.column());
            if (c.isPrimaryKey()) {
                throw new InvalidRequestException("Invalid identifier " + c.name()
                        + " for deletion (should not be a PRIMARY KEY part)");
            }
            onlyStatic &= c.isStatic();
            columns.add(c);
            keys.add(t.key() == null ? null : bindElementKey(c, t, binder));
        }
        if (!onlyStatic && !table.clusteringColumns().isEmpty()
                && (r.prefixLength() < table.clusteringColumns().size() || r.hasSlice())) {
            throw new InvalidRequestException("Range deletions are not supported for specific columns");
        }
        List<Clustering> clusterings = clusterings(table, r, onlyStatic, "DELETE");
        CasCheck check = conditional(d.isConditional(), d.ifExists(), d.conditions(), table, r, clusterings, binder,
                "deletions");
        for (List<Object> pk : r.partitionKeys()) {
            DecoratedKey key = Keys.partitionKey(table, pk);
            for (Clustering clustering : clusterings) {
                RowUpdate row = new RowUpdate(clustering, maxValueBytes);
                RowUpdate statics = clustering.isStatic() ? row : new RowUpdate(Clustering.STATIC, maxValueBytes);
                for (int i = 0; i < columns.size(); i++) {
                    ColumnMetadata c = columns.get(i);
                    RowUpdate target = c.isStatic() ? statics : row;
                    if (keys.get(i) == null) {
                        target.deleteColumn(c, o);
                    } else if (c.type() instanceof ListType) {
                        Clustering at = c.isStatic() ? Clustering.STATIC : clustering;
                        int index = (Integer) keys.get(i);
                        out.readBeforeWrite(table, key, at, current -> {
                            RowUpdate u = new RowUpdate(at, maxValueBytes);
                            u.setListIndex(c, current, index, null, true, o);
                            return u.build();
                        });
                    } else {
                        target.deleteElement(c, keys.get(i), o);
                    }
                }
                out.add(table, key, row.build());
                if (statics != row && !statics.isEmpty()) {
                    out.add(table, key, statics.build());
                }
            }
            if (check != null) {
                return new CasCheck(table, key, pk, check.clustering(), check.kind(), check.conditions());
            }
        }
        return null;
    }

    private static Object bindElementKey(ColumnMetadata c, Deletion t, TermBinder binder) {
        if (c.type() instanceof MapType mt && mt.isMultiCell()) {
            return binder.bindNonNull(t.key(), mt.keyType(), c.name());
        }
        if (c.type() instanceof SetType st && st.isMultiCell()) {
            return binder.bindNonNull(t.key(), st.elementType(), c.name());
        }
        if (c.type() instanceof ListType lt && lt.isMultiCell()) {
            return binder.bindNonNull(t.key(), IntType.INSTANCE, c.name());
        }
        throw new InvalidRequestException("Invalid operation (" + t.toCql() + ") for non list/set/map column " + c.name());
    }

    private CasCheck deleteRows(Delete d, TableMetadata table, Restrictions r, TermBinder binder, WriteOptions o,
                                MutationCollector out) {
        boolean wholePartition = !r.clusteringRestricted();
        boolean singleRows = !wholePartition && r.prefixLength() == table.clusteringColumns().size() && !r.hasSlice();
        CasCheck check = null;
        if (d.isConditional()) {
            if (!singleRows && !table.clusteringColumns().isEmpty()) {
                boolean staticConditions = !d.conditions().isEmpty()
                        && d.conditions().stream().allMatch(c -> Tables.column(table, c.column()).isStatic());
                if (!wholePartition || !staticConditions) {
                    throw new InvalidRequestException("DELETE statements must restrict all PRIMARY KEY columns with "
                            + "equality relations in order to use IF conditions");
                }
                check = conditional(true, d.ifExists(), d.conditions(), table, r, List.of(Clustering.STATIC), binder,
                        "deletions");
            } else {
                List<Clustering> rows = table.clusteringColumns().isEmpty() ? List.of(Clustering.EMPTY)
                        : r.prefixes().stream().map(Clustering::of).toList();
                check = conditional(true, d.ifExists(), d.conditions(), table, r, rows, binder, "deletions");
            }
        }
        List<Slice> slices = wholePartition || singleRows ? List.of() : r.slices();
        for (List<Object> pk : r.partitionKeys()) {
            DecoratedKey key = Keys.partitionKey(table, pk);
            PartitionUpdate.Builder partition = out.partition(table, key);
            if (wholePartition) {
                partition.deletePartition(o.deletion());
            } else if (singleRows) {
                for (byte[][] p : r.prefixes()) {
                    RowUpdate row = new RowUpdate(Clustering.of(p), maxValueBytes);
                    row.deleteRow(o);
                    partition.add(row.build());
                }
            } else {
                for (Slice s : slices) {
                    partition.addRangeTombstone(s, o.deletion());
                }
            }
            if (check != null) {
                return new CasCheck(table, key, pk, check.clustering(), check.kind(), check.conditions());
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ conditions

    /** The bound conditions of an UPDATE/DELETE (key filled in by the caller), or null when unconditional. */
    private static CasCheck conditional(boolean conditional, boolean ifExists, List<Condition> conditions,
                                        TableMetadata table, Restrictions r, List<Clustering> clusterings,
                                        TermBinder binder, String what) {
        if (!conditional) {
            return null;
        }
        if (r.partitionKeys().size() != 1) {
            throw new InvalidRequestException("IN on the partition key is not supported with conditional " + what);
        }
        if (clusterings.size() != 1) {
            throw new InvalidRequestException("IN on the clustering key columns is not supported with conditional "
                    + what);
        }
        List<CasCheck.BoundCondition> bound = new ArrayList<>();
        for (Condition c : conditions) {
            bound.add(bindCondition(table, c, binder));
        }
        return new CasCheck(table, null, r.partitionKeys().get(0), clusterings.get(0),
                ifExists ? CasCheck.Kind.EXISTS : CasCheck.Kind.CONDITIONS, bound);
    }

    static CasCheck.BoundCondition bindCondition(TableMetadata table, Condition c, TermBinder binder) {
        ColumnMetadata col = Tables.column(table, c.column());
        if (col.isPrimaryKey()) {
            throw new InvalidRequestException("PRIMARY KEY column '" + col.name() + "' cannot have IF conditions");
        }
        Object element = null;
        CqlType valueType = col.type();
        if (c.element() != null) {
            if (col.type() instanceof MapType mt) {
                element = binder.bindNonNull(c.element(), mt.keyType(), col.name());
                valueType = mt.valueType();
            } else if (col.type() instanceof ListType lt) {
                element = binder.bindNonNull(c.element(), IntType.INSTANCE, col.name());
                valueType = lt.elementType();
            } else {
                throw new InvalidRequestException("Invalid element access syntax for non-collection column " + col.name());
            }
        }
        Operator op = c.operator();
        Object value;
        switch (op) {
            case IN -> value = binder.bindInValues(c.value(), valueType, col.name());
            case EQ, NEQ -> value = binder.bind(c.value(), valueType, col.name());
            case LT, LTE, GT, GTE -> {
                value = binder.bind(c.value(), valueType, col.name());
                if (value == null) {
                    throw new InvalidRequestException("Invalid comparison with null for operator \"" + op.toCql() + "\"");
                }
            }
            default -> throw new InvalidRequestException("Unsupported operator " + op.toCql() + " in IF condition on "
                    + col.name());
        }
        return new CasCheck.BoundCondition(col, element, op, value);
    }
}
