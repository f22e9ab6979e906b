package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One restriction of a WHERE clause. For {@link Operator#IN} the value is a {@link Term.ListLiteral}
 * (from {@code IN (a, b)}) or a {@link Term.BindMarker} (from {@code IN ?}).
 */
public sealed interface Relation permits Relation.SingleColumn, Relation.MultiColumn, Relation.Token {

    Operator operator();

    Term value();

    String toCql();

    /** {@code c = t}, {@code c > t}, {@code c IN (...)}, {@code c CONTAINS t}, {@code c CONTAINS KEY t}. */
    record SingleColumn(String column, Operator operator, Term value) implements Relation {
        public SingleColumn {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toCql() {
            return CqlIdentifiers.quoteIfNeeded(column) + " " + operator.toCql() + " " + operator.valueToCql(value);
        }
    }

    /** {@code (c1, c2) > (t1, t2)} or {@code (c1, c2) IN ((..), (..))}; the value is a tuple or a marker. */
    record MultiColumn(List<String> columns, Operator operator, Term value) implements Relation {
        public MultiColumn {
            columns = List.copyOf(columns);
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toCql() {
            return names(columns) + " " + operator.toCql() + " " + operator.valueToCql(value);
        }
    }

    /** {@code token(a, b) > t}. */
    record Token(List<String> columns, Operator operator, Term value) implements Relation {
        public Token {
            columns = List.copyOf(columns);
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toCql() {
            return "token" + names(columns) + " " + operator.toCql() + " " + operator.valueToCql(value);
        }
    }

    private static String names(List<String> columns) {
        return columns.stream().map(CqlIdentifiers::quoteIfNeeded).collect(Collectors.joining(", ", "(", ")"));
    }

    static String whereClause(List<Relation> where) {
        return where.isEmpty() ? ""
                : " WHERE " + where.stream().map(Relation::toCql).collect(Collectors.joining(" AND "));
    }
}
