package io.sibyl.app.errors;

import java.util.Map;

/** CQL that does not parse: {@code SYNTAX_ERROR}, 400, with the 1-based line and column. */
public final class SyntaxErrorException extends RequestException {
    private final int line;
    private final int column;

    public SyntaxErrorException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    @Override public String code() { return "SYNTAX_ERROR"; }
    @Override public int status() { return 400; }

    @Override
    public Map<String, Object> details() {
        return Map.of("line", line, "column", column);
    }
}
