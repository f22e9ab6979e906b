package io.sibyl.app.cql.ast;

import java.util.Objects;

/** One element of UPDATE's SET clause. */
public sealed interface Assignment
        permits Assignment.SetValue, Assignment.SetElement, Assignment.Add, Assignment.Subtract, Assignment.Prepend {

    String column();

    Term value();

    String toCql();

    /** {@code c = t}. */
    record SetValue(String column, Term value) implements Assignment {
        public SetValue {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toCql() {
            return CqlIdentifiers.quoteIfNeeded(column) + " = " + value.toCql();
        }
    }

    /** {@code c[k] = t}: a list index or a map key. */
    record SetElement(String column, Term key, Term value) implements Assignment {
        public SetElement {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toCql() {
            return CqlIdentifiers.quoteIfNeeded(column) + "[" + key.toCql() + "] = " + value.toCql();
        }
    }

    /** {@code c = c + t}: counter increment, list append, set or map union. */
    record Add(String column, Term value) implements Assignment {
        public Add {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toCql() {
            String c = CqlIdentifiers.quoteIfNeeded(column);
            return c + " = " + c + " + " + value.toCql();
        }
    }

    /** {@code c = c - t}: counter decrement, list/set element removal, map key removal. */
    record Subtract(String column, Term value) implements Assignment {
        public Subtract {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toCql() {
            String c = CqlIdentifiers.quoteIfNeeded(column);
            return c + " = " + c + " - " + value.toCql();
        }
    }

    /** {@code c = t + c}: list prepend. */
    record Prepend(String column, Term value) implements Assignment {
        public Prepend {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toCql() {
            return CqlIdentifiers.quoteIfNeeded(column) + " = " + value.toCql() + " + " + CqlIdentifiers.quoteIfNeeded(column);
        }
    }
}
