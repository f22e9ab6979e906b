package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Objects;

/** {@code BEGIN [UNLOGGED | COUNTER] BATCH [USING TIMESTAMP t] stmt; ... APPLY BATCH}; timestamp may be null. */
public record Batch(BatchType type, Term timestamp, List<Modification> statements) implements Statement {

    public Batch {
        Objects.requireNonNull(type, "type");
        statements = List.copyOf(statements);
    }

    @Override
    public String toCql() {
        StringBuilder sb = new StringBuilder("BEGIN ");
        if (type != BatchType.LOGGED) {
            sb.append(type).append(' ');
        }
        sb.append("BATCH");
        if (timestamp != null) {
            sb.append(" USING TIMESTAMP ").append(timestamp.toCql());
        }
        for (Modification m : statements) {
            sb.append(' ').append(m.toCql()).append(';');
        }
        return sb.append(" APPLY BATCH").toString();
    }
}
