package io.sibyl.app.cql.parse;

import io.sibyl.app.cql.ast.CqlIdentifiers;
import io.sibyl.app.cql.ast.Ordering;
import io.sibyl.app.cql.ast.QualifiedName;
import io.sibyl.app.cql.ast.SortOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parsers' shared position in one statement's tokens, plus the bind-marker counter (markers are
 * numbered in the order they are consumed, which is textual order). One cursor per parse call: no
 * state outlives it, which is what makes {@link CqlParser#parse} thread-safe.
 */
final class TokenCursor {

    /**
     * How deeply terms, types and selectors may nest (casts, tuples, collection literals, function calls,
     * {@code list<list<...>>}). The parsers recurse per level: without a bound, a statement of some
     * thousand parentheses overflowed the stack (a 500 over HTTP; on the native protocol's dispatcher a
     * fatal error that ended the JVM). No real statement comes near it.
     */
    static final int MAX_NESTING = 100;

    private final List<Token> tokens;
    private int index;
    private int nextBindIndex;
    private int depth;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token peek() {
        return tokens.get(index);
    }

    /** The token {@code ahead} places after the current one (EOF past the end). */
    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(index);
        if (t.type() != TokenType.EOF) {
            index++;
        }
        return t;
    }

    int mark() {
        return index;
    }

    void reset(int mark) {
        index = mark;
    }

    boolean is(TokenType type) {
        return peek().type() == type;
    }

    boolean accept(TokenType type) {
        if (is(type)) {
            next();
            return true;
        }
        return false;
    }

    Token expect(TokenType type, String display) {
        if (!is(type)) {
            throw mismatched("'" + display + "'");
        }
        return next();
    }

    boolean isKeyword(String keyword) {
        return peek().isKeyword(keyword);
    }

    boolean acceptKeyword(String keyword) {
        if (isKeyword(keyword)) {
            next();
            return true;
        }
        return false;
    }

    void expectKeyword(String keyword) {
        if (!acceptKeyword(keyword)) {
            throw mismatched(keyword);
        }
    }

    /** A keyspace, table, column, alias or property name: unquoted names are lower-cased and may not be reserved. */
    String identifier() {
        Token t = peek();
        if (t.type() == TokenType.QUOTED_IDENT) {
            next();
            return t.text();
        }
        if (t.type() == TokenType.IDENT && !CqlIdentifiers.isReserved(t.text())) {
            next();
            return t.text().toLowerCase(Locale.ROOT);
        }
        throw t.type() == TokenType.EOF || t.type() == TokenType.IDENT ? noViableAlternative() : mismatched("identifier");
    }

    boolean isIdentifier() {
        Token t = peek();
        return t.type() == TokenType.QUOTED_IDENT
                || (t.type() == TokenType.IDENT && !CqlIdentifiers.isReserved(t.text()));
    }

    /** {@code ks.t} or {@code t}. */
    QualifiedName qualifiedName() {
        String first = identifier();
        if (accept(TokenType.DOT)) {
            return new QualifiedName(first, identifier());
        }
        return QualifiedName.of(first);
    }

    /** {@code ( ident, ... )}, at least one. */
    List<String> identifierList() {
        expect(TokenType.LPAREN, "(");
        List<String> names = new ArrayList<>();
        do {
            names.add(identifier());
        } while (accept(TokenType.COMMA));
        expect(TokenType.RPAREN, ")");
        return names;
    }

    /** {@code c [ASC|DESC], ...}, in parentheses when {@code parenthesized}. */
    List<Ordering> orderings(boolean parenthesized) {
        if (parenthesized) {
            expect(TokenType.LPAREN, "(");
        }
        List<Ordering> orderings = new ArrayList<>();
        do {
            String column = identifier();
            SortOrder order = acceptKeyword("DESC") ? SortOrder.DESC : SortOrder.ASC;
            if (order == SortOrder.ASC) {
                acceptKeyword("ASC");
            }
            orderings.add(new Ordering(column, order));
        } while (accept(TokenType.COMMA));
        if (parenthesized) {
            expect(TokenType.RPAREN, ")");
        }
        return orderings;
    }

    int nextBindIndex() {
        return nextBindIndex++;
    }

    CqlSyntaxException mismatched(String expecting) {
        Token t = peek();
        return CqlSyntaxException.at(t.line(), t.column(),
                "mismatched input '" + t.source() + "' expecting " + expecting);
    }

    CqlSyntaxException noViableAlternative() {
        return noViableAlternative(peek());
    }

    CqlSyntaxException noViableAlternative(Token t) {
        return CqlSyntaxException.at(t.line(), t.column(), "no viable alternative at input '" + t.source() + "'");
    }

    /** Enters one level of nesting; a SYNTAX_ERROR at the current token past {@link #MAX_NESTING}. */
    void enter() {
        if (++depth > MAX_NESTING) {
            depth = 0; // the parse ends here; the cursor is not reused
            throw error(peek(), "nesting deeper than " + MAX_NESTING + " levels at input '" + peek().source() + "'");
        }
    }

    void leave() {
        depth--;
    }

    CqlSyntaxException error(Token at, String message) {
        return CqlSyntaxException.at(at.line(), at.column(), message);
    }
}
