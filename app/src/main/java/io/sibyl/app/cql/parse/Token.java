package io.sibyl.app.cql.parse;

/**
 * A lexeme. {@code text} is its value (a string's or quoted identifier's content, unescaped; otherwise
 * the source text); {@code source} is how it was written, for error messages. line and column are 1-based.
 */
public record Token(TokenType type, String text, String source, int line, int column) {

    boolean isKeyword(String keyword) {
        return type == TokenType.IDENT && text.equalsIgnoreCase(keyword);
    }
}
