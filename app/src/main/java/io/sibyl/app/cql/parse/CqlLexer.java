package io.sibyl.app.cql.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits CQL text into tokens, skipping whitespace and {@code --}, {@code //} and {@code /* *}{@code /}
 * comments. A minus sign is always its own token: the parser folds it into a following number, so that
 * {@code c = c-1} reads as a decrement (Cassandra's lexer would read {@code -1} there).
 */
public final class CqlLexer {

    private static final Pattern UUID_LITERAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int column = 1;

    private CqlLexer(String src) {
        this.src = src;
    }

    /** The tokens of {@code query}, ending with an EOF token placed just after the last character. */
    public static List<Token> tokenize(String query) {
        return new CqlLexer(query).run();
    }

    private List<Token> run() {
        while (true) {
            skipBlanks();
            if (pos >= src.length()) {
                tokens.add(new Token(TokenType.EOF, "<EOF>", "<EOF>", line, column));
                return tokens;
            }
            lexOne();
        }
    }

    private void lexOne() {
        int startLine = line;
        int startColumn = column;
        int start = pos;
        char c = src.charAt(pos);
        if (isHexDigit(c) && uuidAhead()) {
            advance(36);
            add(TokenType.UUID, src.substring(start, pos), start, startLine, startColumn);
        } else if (c == '0' && pos + 1 < src.length() && (src.charAt(pos + 1) == 'x' || src.charAt(pos + 1) == 'X')) {
            advance(2);
            while (pos < src.length() && isHexDigit(src.charAt(pos))) {
                advance(1);
            }
            rejectTrailingWordChars(start, startLine, startColumn, "invalid hex literal");
            add(TokenType.HEX, src.substring(start + 2, pos), start, startLine, startColumn);
        } else if (isDigit(c)) {
            number(start, startLine, startColumn);
        } else if (isLetter(c)) {
            while (pos < src.length() && isWordChar(src.charAt(pos))) {
                advance(1);
            }
            add(TokenType.IDENT, src.substring(start, pos), start, startLine, startColumn);
        } else if (c == '"') {
            String name = quoted('"', startLine, startColumn, "unterminated quoted identifier");
            if (name.isEmpty()) {
                throw CqlSyntaxException.at(startLine, startColumn, "empty quoted identifier");
            }
            add(TokenType.QUOTED_IDENT, name, start, startLine, startColumn);
        } else if (c == '\'') {
            add(TokenType.STRING, quoted('\'', startLine, startColumn, "unterminated string literal"),
                    start, startLine, startColumn);
        } else if (c == '$' && src.startsWith("$$", pos)) {
            int end = src.indexOf("$$", pos + 2);
            if (end < 0) {
                throw CqlSyntaxException.at(startLine, startColumn, "unterminated string literal");
            }
            String content = src.substring(pos + 2, end);
            advance(end + 2 - pos);
            add(TokenType.STRING, content, start, startLine, startColumn);
        } else {
            punctuation(c, start, startLine, startColumn);
        }
    }

    /** INTEGER: digits. FLOAT: digits '.' digits* exponent? | digits exponent (Cassandra's forms). */
    private void number(int start, int startLine, int startColumn) {
        boolean isFloat = false;
        skipDigits();
        if (pos < src.length() && src.charAt(pos) == '.') {
            isFloat = true;
            advance(1);
            skipDigits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            advance(1);
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                advance(1);
            }
            if (pos == src.length() || !isDigit(src.charAt(pos))) {
                pos = save; // let the check below report the whole malformed word
            } else {
                isFloat = true;
                skipDigits();
            }
        }
        rejectTrailingWordChars(start, startLine, startColumn, "invalid number");
        add(isFloat ? TokenType.FLOAT : TokenType.INTEGER, src.substring(start, pos), start, startLine, startColumn);
    }

    /** A number or blob immediately followed by letters (e.g. {@code 12abc}, {@code 0xZZ}) is one bad word. */
    private void rejectTrailingWordChars(int start, int startLine, int startColumn, String what) {
        if (pos < src.length() && (isWordChar(src.charAt(pos)) || src.charAt(pos) == '.')) {
            int end = pos;
            while (end < src.length() && (isWordChar(src.charAt(end)) || src.charAt(end) == '.')) {
                end++;
            }
            throw CqlSyntaxException.at(startLine, startColumn, what + " '" + src.substring(start, end) + "'");
        }
    }

    /** Reads a {@code quote}-delimited text where a doubled quote stands for one. */
    private String quoted(char quote, int startLine, int startColumn, String unterminated) {
        StringBuilder sb = new StringBuilder();
        advance(1);
        while (true) {
            if (pos >= src.length()) {
                throw CqlSyntaxException.at(startLine, startColumn, unterminated);
            }
            char ch = src.charAt(pos);
            if (ch == quote) {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == quote) {
                    sb.append(quote);
                    advance(2);
                    continue;
                }
                advance(1);
                return sb.toString();
            }
            sb.append(ch);
            advance(1);
        }
    }

    private void punctuation(char c, int start, int startLine, int startColumn) {
        char next = pos + 1 < src.length() ? src.charAt(pos + 1) : '\0';
        TokenType type;
        int length = 1;
        switch (c) {
            case '(' -> type = TokenType.LPAREN;
            case ')' -> type = TokenType.RPAREN;
            case '[' -> type = TokenType.LBRACKET;
            case ']' -> type = TokenType.RBRACKET;
            case '{' -> type = TokenType.LBRACE;
            case '}' -> type = TokenType.RBRACE;
            case ',' -> type = TokenType.COMMA;
            case '.' -> type = TokenType.DOT;
            case ';' -> type = TokenType.SEMICOLON;
            case ':' -> type = TokenType.COLON;
            case '?' -> type = TokenType.QMARK;
            case '=' -> type = TokenType.EQ;
            case '+' -> type = TokenType.PLUS;
            case '-' -> type = TokenType.MINUS;
            case '*' -> type = TokenType.STAR;
            case '<' -> {
                type = next == '=' ? TokenType.LTE : TokenType.LT;
                length = next == '=' ? 2 : 1;
            }
            case '>' -> {
                type = next == '=' ? TokenType.GTE : TokenType.GT;
                length = next == '=' ? 2 : 1;
            }
            case '!' -> {
                if (next != '=') {
                    throw CqlSyntaxException.at(startLine, startColumn, "token recognition error at: '!'");
                }
                type = TokenType.NEQ;
                length = 2;
            }
            default -> throw CqlSyntaxException.at(startLine, startColumn,
                    "token recognition error at: '" + new String(Character.toChars(src.codePointAt(pos))) + "'");
        }
        advance(length);
        add(type, src.substring(start, pos), start, startLine, startColumn);
    }

    private void skipBlanks() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c)) {
                advance(1);
            } else if (src.startsWith("--", pos) || src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    advance(1);
                }
            } else if (src.startsWith("/*", pos)) {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw CqlSyntaxException.at(line, column, "unterminated comment");
                }
                advance(end + 2 - pos);
            } else {
                return;
            }
        }
    }

    private boolean uuidAhead() {
        if (pos + 36 > src.length()) {
            return false;
        }
        Matcher m = UUID_LITERAL.matcher(src).region(pos, pos + 36);
        return m.matches() && (pos + 36 == src.length() || !isWordChar(src.charAt(pos + 36)));
    }

    private void skipDigits() {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            advance(1);
        }
    }

    private void advance(int n) {
        for (int i = 0; i < n; i++) {
            if (src.charAt(pos++) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
    }

    private void add(TokenType type, String text, int start, int startLine, int startColumn) {
        tokens.add(new Token(type, text, src.substring(start, pos), startLine, startColumn));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || isDigit(c) || c == '_';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
