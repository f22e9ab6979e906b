package io.sibyl.app.cql.ast;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** {@code ALTER TABLE t ADD ... | DROP ... | WITH ...}. */
public record AlterTable(QualifiedName table, Action action) implements Statement {

    public AlterTable {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
    }

    @Override
    public String toCql() {
        return "ALTER TABLE " + table.toCql() + " " + action.toCql();
    }

    public sealed interface Action permits AddColumns, DropColumns, SetOptions {
        String toCql();
    }

    /** {@code ADD c t [STATIC]} or {@code ADD (c1 t1, c2 t2)}. */
    public record AddColumns(List<ColumnDefinition> columns) implements Action {
        public AddColumns {
            columns = List.copyOf(columns);
        }

        @Override
        public String toCql() {
            return "ADD (" + columns.stream().map(ColumnDefinition::toCql).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** {@code DROP c} or {@code DROP (c1, c2)}. */
    public record DropColumns(List<String> columns) implements Action {
        public DropColumns {
            columns = List.copyOf(columns);
        }

        @Override
        public String toCql() {
            return "DROP (" + columns.stream().map(CqlIdentifiers::quoteIfNeeded).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** {@code WITH option = value AND ...}. */
    public record SetOptions(Map<String, Term> options) implements Action {
        public SetOptions {
            options = Options.copy(options);
        }

        @Override
        public String toCql() {
            return "WITH " + Options.toCql(options);
        }
    }
}
