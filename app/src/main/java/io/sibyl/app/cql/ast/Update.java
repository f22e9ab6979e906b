package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** {@code UPDATE t [USING ...] SET ... WHERE ... [IF EXISTS | IF conditions]}. */
public record Update(QualifiedName table, Using using, List<Assignment> assignments, List<Relation> where,
                     boolean ifExists, List<Condition> conditions) implements Modification {

    public Update {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(using, "using");
        assignments = List.copyOf(assignments);
        where = List.copyOf(where);
        conditions = List.copyOf(conditions);
    }

    /** Whether this is a lightweight transaction. */
    public boolean isConditional() {
        return ifExists || !conditions.isEmpty();
    }

    @Override
    public String toCql() {
        return "UPDATE " + table.toCql() + using.toCql()
                + " SET " + assignments.stream().map(Assignment::toCql).collect(Collectors.joining(", "))
                + Relation.whereClause(where) + Condition.ifClause(ifExists, conditions);
    }
}
