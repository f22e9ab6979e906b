package io.sibyl.app.cql.ast;

import java.util.stream.Collectors;

/** The comparison of a relation ({@code WHERE}) or a condition ({@code IF}). */
public enum Operator {
    EQ("="), NEQ("!="), LT("<"), LTE("<="), GT(">"), GTE(">="), IN("IN"),
    CONTAINS("CONTAINS"), CONTAINS_KEY("CONTAINS KEY");

    private final String cql;

    Operator(String cql) {
        this.cql = cql;
    }

    public String toCql() {
        return cql;
    }

    /** Renders the right-hand side: an IN list is written {@code (a, b)}, everything else as itself. */
    String valueToCql(Term value) {
        if (this == IN && value instanceof Term.ListLiteral list) {
            return "(" + list.elements().stream().map(Term::toCql)
                    .collect(Collectors.joining(", ")) + ")";
        }
        return value.toCql();
    }
}
