package io.sibyl.app.cql.exec;

import io.sibyl.app.cql.ast.Operator;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.ListType;
import io.sibyl.storage.types.MapType;
import io.sibyl.storage.types.SetType;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The restrictions a read applies to rows after fetching them (ALLOW FILTERING): on regular and
 * static columns, on clustering columns past the sliceable prefix, on partial partition keys.
 */
record RowFilter(List<Predicate> predicates) {

    static final RowFilter NONE = new RowFilter(List.of());

    /** One restriction; {@code value} is a typed value, or a List of them for IN. */
    record Predicate(ColumnMetadata column, Operator operator, Object value) {

        boolean test(Object actual) {
            if (actual == null) {
                return false;
            }
            CqlType type = column.type();
            return switch (operator) {
                case EQ -> type.compareValues(actual, value) == 0;
                case NEQ -> type.compareValues(actual, value) != 0;
                case LT -> type.compareValues(actual, value) < 0;
                case LTE -> type.compareValues(actual, value) <= 0;
                case GT -> type.compareValues(actual, value) > 0;
                case GTE -> type.compareValues(actual, value) >= 0;
                case IN -> {
                    for (Object v : (List<?>) value) {
                        if (type.compareValues(actual, v) == 0) {
                            yield true;
                        }
                    }
                    yield false;
                }
                case CONTAINS -> contains(type, actual);
                case CONTAINS_KEY -> {
                    MapType mt = (MapType) type;
                    for (Object k : ((Map<?, ?>) actual).keySet()) {
                        if (mt.keyType().compareValues(k, value) == 0) {
                            yield true;
                        }
                    }
                    yield false;
                }
            };
        }

        private boolean contains(CqlType type, Object actual) {
            CqlType elementType;
            Collection<?> elements;
            if (type instanceof ListType lt) {
                elementType = lt.elementType();
                elements = (Collection<?>) actual;
            } else if (type instanceof SetType st) {
                elementType = st.elementType();
                elements = (Collection<?>) actual;
            } else {
                MapType mt = (MapType) type;
                elementType = mt.valueType();
                elements = ((Map<?, ?>) actual).values();
            }
            for (Object e : elements) {
                if (elementType.compareValues(e, value) == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A row's values by column, as the filter reads them. */
    interface Values {
        Object value(ColumnMetadata column);
    }

    boolean isEmpty() {
        return predicates.isEmpty();
    }

    boolean test(Values row) {
        for (Predicate p : predicates) {
            if (!p.test(row.value(p.column()))) {
                return false;
            }
        }
        return true;
    }
}
