package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.schema.ColumnKind;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.TypeCoercion;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Binds the values of WHERE relations that are not plain EQ/IN/slices: tuples and row filters. */
final class RelationTerms {

    private RelationTerms() {
    }

    static Restrictions.MultiRelation multi(TableMetadata table, Relation.MultiColumn m, TermBinder binder) {
        List<ColumnMetadata> cols = new ArrayList<>();
        for (String name : m.columns()) {
            ColumnMetadata c = Tables.column(table, name);
            if (c.kind() != ColumnKind.CLUSTERING) {
                throw new InvalidRequestException("Multi-column relations can only be applied to clustering columns but "
                        + "was applied to: " + c.name());
            }
            cols.add(c);
        }
        for (int i = 1; i < cols.size(); i++) {
            if (cols.get(i).position() != cols.get(i - 1).position() + 1) {
                throw new InvalidRequestException("Clustering columns must appear in the PRIMARY KEY order in "
                        + "multi-column relations: " + m.toCql());
            }
        }
        List<List<Object>> tuples = new ArrayList<>();
        switch (m.operator()) {
            case EQ, GT, GTE, LT, LTE -> tuples.add(tuple(m.value(), cols, binder));
            case IN -> {
                if (m.value() instanceof Term.ListLiteral list) {
                    for (Term t : list.elements()) {
                        tuples.add(tuple(t, cols, binder));
                    }
                } else if (m.value() instanceof Term.BindMarker marker && binder.raw(marker) instanceof List<?> raw) {
                    for (Object t : raw) {
                        tuples.add(rawTuple(t, cols));
                    }
                } else {
                    throw new InvalidRequestException("Invalid IN value for " + m.toCql());
                }
            }
            default -> throw new InvalidRequestException("Unsupported \"" + m.operator().toCql() + "\" relation: "
                    + m.toCql());
        }
        return new Restrictions.MultiRelation(cols.get(0).position(), cols.size(), m.operator(), tuples);
    }

    private static List<Object> tuple(Term term, List<ColumnMetadata> cols, TermBinder binder) {
        if (term instanceof Term.BindMarker marker) {
            return rawTuple(binder.raw(marker), cols);
        }
        List<Term> elements = binder.tupleElements(term, cols.size(), "(" + cols.stream().map(ColumnMetadata::name)
                .collect(Collectors.joining(", ")) + ")");
        List<Object> out = new ArrayList<>(cols.size());
        for (int i = 0; i < cols.size(); i++) {
            out.add(binder.bindNonNull(elements.get(i), cols.get(i).type(), cols.get(i).name()));
        }
        return out;
    }

    private static List<Object> rawTuple(Object raw, List<ColumnMetadata> cols) {
        if (!(raw instanceof List<?> list) || list.size() != cols.size()) {
            throw new InvalidRequestException("Expected a tuple of " + cols.size() + " values, got " + raw);
        }
        List<Object> out = new ArrayList<>(cols.size());
        for (int i = 0; i < cols.size(); i++) {
            Object v = TypeCoercion.coerce(cols.get(i).type(), list.get(i), cols.get(i).name());
            if (v == null) {
                throw new InvalidRequestException("Invalid null value in condition for column " + cols.get(i).name());
            }
            out.add(v);
        }
        return out;
    }

    static RowFilter.Predicate predicate(ColumnMetadata c, Relation.SingleColumn s, TermBinder binder) {
        Operator op = s.operator();
        Object value;
        switch (op) {
            case IN -> value = binder.bindInValues(s.value(), c.type(), c.name());
            case CONTAINS -> {
                if (!c.type().isCollection()) {
                    throw new InvalidRequestException("Cannot use CONTAINS on non-collection column " + c.name());
                }
                value = binder.bindNonNull(s.value(), elementType(c), c.name());
            }
            case CONTAINS_KEY -> {
                if (!(c.type() instanceof io.sibyl.storage.types.MapType mt)) {
                    throw new InvalidRequestException("Cannot use CONTAINS KEY on non-map column " + c.name());
                }
                value = binder.bindNonNull(s.value(), mt.keyType(), c.name());
            }
            case NEQ -> throw new InvalidRequestException("Unsupported \"!=\" relation: " + s.toCql());
            default -> value = binder.bindNonNull(s.value(), c.type(), c.name());
        }
        return new RowFilter.Predicate(c, op, value);
    }

    private static io.sibyl.storage.types.CqlType elementType(ColumnMetadata c) {
        if (c.type() instanceof io.sibyl.storage.types.ListType lt) {
            return lt.elementType();
        }
        if (c.type() instanceof io.sibyl.storage.types.SetType st) {
            return st.elementType();
        }
        return ((io.sibyl.storage.types.MapType) c.type()).valueType();
    }
}
