package io.sibyl.app.cql.parse;

import io.sibyl.app.cql.ast.CqlIdentifiers;
import io.sibyl.app.cql.ast.Literal;
import io.sibyl.app.cql.ast.Term;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Terms (constants, collections, tuples, calls, markers, casts) and type names. */
final class TermParser {

    private final TokenCursor cur;

    TermParser(TokenCursor cur) {
        this.cur = cur;
    }

    Term term() {
        cur.enter();
        try {
            return termAtThisLevel();
        } finally {
            cur.leave();
        }
    }

    private Term termAtThisLevel() {
        Token t = cur.peek();
        switch (t.type()) {
            case STRING, INTEGER, FLOAT, UUID, HEX, MINUS:
                return constant();
            case QMARK:
                cur.next();
                return new Term.BindMarker(cur.nextBindIndex(), null);
            case COLON:
                cur.next();
                return new Term.BindMarker(cur.nextBindIndex(), cur.identifier());
            case LBRACKET:
                return listLiteral();
            case LBRACE:
                return setOrMapLiteral();
            case LPAREN:
                return castOrTuple();
            case IDENT:
                if (isConstantWord(t)) {
                    return constant();
                }
                if (cur.peek(1).type() == TokenType.LPAREN
                        && (!CqlIdentifiers.isReserved(t.text()) || t.isKeyword("token"))) {
                    return functionCall();
                }
                throw cur.noViableAlternative();
            case QUOTED_IDENT:
                if (cur.peek(1).type() == TokenType.LPAREN) {
                    return functionCall();
                }
                throw cur.noViableAlternative();
            default:
                throw cur.noViableAlternative();
        }
    }

    /** Whether {@code t} can begin a term (decides between a cast and a parenthesized tuple). */
    static boolean startsTerm(Token t) {
        return switch (t.type()) {
            case STRING, INTEGER, FLOAT, UUID, HEX, MINUS, QMARK, COLON, LBRACKET, LBRACE, LPAREN,
                    IDENT, QUOTED_IDENT -> true;
            default -> false;
        };
    }

    /** A literal constant, including negative numbers, NaN and Infinity. */
    Literal constant() {
        boolean negative = cur.accept(TokenType.MINUS);
        Token t = cur.next();
        switch (t.type()) {
            case INTEGER: {
                BigInteger n = new BigInteger(t.text());
                return Literal.integer(negative ? n.negate() : n);
            }
            case FLOAT: {
                BigDecimal d = new BigDecimal(t.text());
                return Literal.decimal(negative ? d.negate() : d);
            }
            default:
                break;
        }
        if (t.isKeyword("nan")) {
            return Literal.special(Double.NaN);
        }
        if (t.isKeyword("infinity")) {
            return Literal.special(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (!negative) {
            switch (t.type()) {
                case STRING:
                    return Literal.string(t.text());
                case UUID:
                    return Literal.uuid(UUID.fromString(t.text()));
                case HEX:
                    if (t.text().length() % 2 != 0) {
                        throw cur.error(t, "invalid hex literal '" + t.source() + "' (odd number of digits)");
                    }
                    return Literal.hex(HexFormat.of().parseHex(t.text()));
                default:
                    break;
            }
            if (t.isKeyword("true") || t.isKeyword("false")) {
                return Literal.bool(t.isKeyword("true"));
            }
            if (t.isKeyword("null")) {
                return Literal.NULL;
            }
        }
        throw cur.noViableAlternative(t);
    }

    /** An integer (TTL, TIMESTAMP, LIMIT) or a bind marker, as Cassandra's grammar requires there. */
    Term intValue() {
        if (cur.is(TokenType.QMARK) || cur.is(TokenType.COLON)) {
            return term();
        }
        Token start = cur.peek();
        if (start.type() == TokenType.INTEGER
                || (start.type() == TokenType.MINUS && cur.peek(1).type() == TokenType.INTEGER)) {
            return constant();
        }
        throw cur.noViableAlternative();
    }

    private static boolean isConstantWord(Token t) {
        return t.isKeyword("true") || t.isKeyword("false") || t.isKeyword("null")
                || t.isKeyword("nan") || t.isKeyword("infinity");
    }

    /** The right side of IN: {@code (t, ...)} (possibly empty) as a ListLiteral, or a bind marker. */
    Term inValues() {
        if (cur.is(TokenType.QMARK) || cur.is(TokenType.COLON)) {
            return term();
        }
        cur.expect(TokenType.LPAREN, "(");
        List<Term> values = new ArrayList<>();
        if (!cur.accept(TokenType.RPAREN)) {
            do {
                values.add(term());
            } while (cur.accept(TokenType.COMMA));
            cur.expect(TokenType.RPAREN, ")");
        }
        return new Term.ListLiteral(values);
    }

    /** A property value: a constant or a map of constants ({@code {'class': 'SimpleStrategy', ...}}). */
    Term propertyValue() {
        if (!cur.accept(TokenType.LBRACE)) {
            return constant();
        }
        List<Term.Entry> entries = new ArrayList<>();
        if (!cur.accept(TokenType.RBRACE)) {
            do {
                Literal key = constant();
                cur.expect(TokenType.COLON, ":");
                entries.add(new Term.Entry(key, constant()));
            } while (cur.accept(TokenType.COMMA));
            cur.expect(TokenType.RBRACE, "}");
        }
        return new Term.MapLiteral(entries);
    }

    private Term listLiteral() {
        cur.expect(TokenType.LBRACKET, "[");
        List<Term> elements = new ArrayList<>();
        if (!cur.accept(TokenType.RBRACKET)) {
            do {
                elements.add(term());
            } while (cur.accept(TokenType.COMMA));
            cur.expect(TokenType.RBRACKET, "]");
        }
        return new Term.ListLiteral(elements);
    }

    private Term setOrMapLiteral() {
        cur.expect(TokenType.LBRACE, "{");
        if (cur.accept(TokenType.RBRACE)) {
            return new Term.SetLiteral(List.of());
        }
        Term first = term();
        if (cur.accept(TokenType.COLON)) {
            List<Term.Entry> entries = new ArrayList<>();
            entries.add(new Term.Entry(first, term()));
            while (cur.accept(TokenType.COMMA)) {
                Term key = term();
                cur.expect(TokenType.COLON, ":");
                entries.add(new Term.Entry(key, term()));
            }
            cur.expect(TokenType.RBRACE, "}");
            return new Term.MapLiteral(entries);
        }
        List<Term> elements = new ArrayList<>();
        elements.add(first);
        while (cur.accept(TokenType.COMMA)) {
            elements.add(term());
        }
        cur.expect(TokenType.RBRACE, "}");
        return new Term.SetLiteral(elements);
    }

    /** {@code (type) term} when a type, ')' and a term follow; otherwise a tuple {@code (t, ...)}. */
    private Term castOrTuple() {
        cur.expect(TokenType.LPAREN, "(");
        int afterParen = cur.mark();
        // A cast names its type; a string after '(' always starts a tuple, so that a map key such as
        // {('a') : now()} is not misread as the cast ('a') :now of a bind marker.
        if (cur.is(TokenType.IDENT) || cur.is(TokenType.QUOTED_IDENT)) {
            try {
                String type = type();
                if (cur.is(TokenType.RPAREN) && startsTerm(cur.peek(1))) {
                    cur.next();
                    return new Term.TypeCast(type, term());
                }
            } catch (CqlSyntaxException notAType) {
                // fall through: it is a tuple
            }
            cur.reset(afterParen);
        }
        List<Term> elements = new ArrayList<>();
        do {
            elements.add(term());
        } while (cur.accept(TokenType.COMMA));
        cur.expect(TokenType.RPAREN, ")");
        return new Term.TupleLiteral(elements);
    }

    private Term functionCall() {
        String name = functionName();
        cur.expect(TokenType.LPAREN, "(");
        List<Term> args = new ArrayList<>();
        if (!cur.accept(TokenType.RPAREN)) {
            do {
                args.add(term());
            } while (cur.accept(TokenType.COMMA));
            cur.expect(TokenType.RPAREN, ")");
        }
        return new Term.FunctionCall(name, args);
    }

    /** A function name: like an identifier, but {@code token} is allowed. */
    String functionName() {
        Token t = cur.next();
        if (t.type() == TokenType.QUOTED_IDENT) {
            return t.text();
        }
        if (t.type() == TokenType.IDENT) {
            return t.text().toLowerCase(Locale.ROOT);
        }
        throw cur.noViableAlternative(t);
    }

    /**
     * A type, returned as normalized text: lower-cased names, {@code ", "} between parameters, quoted
     * names kept quoted ({@code map<text, frozen<list<int>>>}, {@code 'org.Custom'}, {@code ks."Udt"}).
     */
    String type() {
        cur.enter();
        try {
            return typeAtThisLevel();
        } finally {
            cur.leave();
        }
    }

    private String typeAtThisLevel() {
        Token t = cur.peek();
        if (t.type() == TokenType.STRING) {
            cur.next();
            return "'" + t.text().replace("'", "''") + "'";
        }
        if (t.type() == TokenType.IDENT && cur.peek(1).type() == TokenType.LT) {
            String name = t.text().toLowerCase(Locale.ROOT);
            int arity = switch (name) {
                case "list", "set", "frozen" -> 1;
                case "map" -> 2;
                case "tuple" -> -1;
                default -> 0;
            };
            if (arity != 0) {
                cur.next();
                cur.next();
                List<String> params = new ArrayList<>();
                do {
                    params.add(type());
                } while ((arity < 0 || params.size() < arity) && cur.accept(TokenType.COMMA));
                if (params.size() < arity) {
                    throw cur.mismatched("','");
                }
                cur.expect(TokenType.GT, ">");
                return name + "<" + String.join(", ", params) + ">";
            }
        }
        String name = CqlIdentifiers.quoteIfNeeded(cur.identifier());
        if (cur.accept(TokenType.DOT)) {
            name = name + "." + CqlIdentifiers.quoteIfNeeded(cur.identifier());
        }
        return name;
    }
}
