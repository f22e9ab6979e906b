package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One lightweight-transaction condition, {@code IF c = t} or {@code IF c[k] = t} (element null when
 * absent). For IN the value is a ListLiteral or a BindMarker, as in {@link Relation}.
 */
public record Condition(String column, Term element, Operator operator, Term value) {

    public Condition {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(value, "value");
    }

    public String toCql() {
        return CqlIdentifiers.quoteIfNeeded(column) + (element == null ? "" : "[" + element.toCql() + "]")
                + " " + operator.toCql() + " " + operator.valueToCql(value);
    }

    /** The IF clause of UPDATE and DELETE: IF EXISTS, IF conditions, or nothing. */
    static String ifClause(boolean ifExists, List<Condition> conditions) {
        if (ifExists) {
            return " IF EXISTS";
        }
        return conditions.isEmpty() ? ""
                : " IF " + conditions.stream().map(Condition::toCql).collect(Collectors.joining(" AND "));
    }
}
