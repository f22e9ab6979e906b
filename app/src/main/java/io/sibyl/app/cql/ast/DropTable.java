package io.sibyl.app.cql.ast;

import java.util.Objects;

/** {@code DROP TABLE [IF EXISTS] t}. */
public record DropTable(QualifiedName table, boolean ifExists) implements Statement {

    public DropTable {
        Objects.requireNonNull(table, "table");
    }

    @Override
    public String toCql() {
        return "DROP TABLE " + (ifExists ? "IF EXISTS " : "") + table.toCql();
    }
}
