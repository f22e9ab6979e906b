package io.sibyl.app.cql.parse;

/**
 * CQL text that does not parse: the API answers it as {@code SYNTAX_ERROR} with {@code line} and
 * {@code column}. Both are 1-based and the message starts with the same {@code line L:C}, in the style
 * of Cassandra's ANTLR messages ("line 1:10 no viable alternative at input 'FRO'").
 */
public final class CqlSyntaxException extends RuntimeException {

    private final int line;
    private final int column;

    public CqlSyntaxException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    static CqlSyntaxException at(int line, int column, String what) {
        return new CqlSyntaxException("line " + line + ":" + column + " " + what, line, column);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
