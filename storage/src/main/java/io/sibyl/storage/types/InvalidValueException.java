package io.sibyl.storage.types;

/**
 * A value that cannot be converted to a column's type, with a Cassandra-like message such as
 * {@code Invalid STRING constant (abc) for "age" of type int}. Maps to API code {@code INVALID}.
 */
public final class InvalidValueException extends IllegalArgumentException {

    private final String column;
    private final String typeName;

    public InvalidValueException(String message, String column, String typeName) {
        super(message);
        this.column = column;
        this.typeName = typeName;
    }

    /** The column the value was for, or null when none was named. */
    public String column() {
        return column;
    }

    /** The CQL name of the expected type. */
    public String typeName() {
        return typeName;
    }
}
