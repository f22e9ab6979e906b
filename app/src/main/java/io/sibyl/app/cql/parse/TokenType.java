package io.sibyl.app.cql.parse;

/** Token kinds; keywords are IDENT tokens, recognized by the parser case-insensitively. */
public enum TokenType {
    IDENT, QUOTED_IDENT, STRING, INTEGER, FLOAT, UUID, HEX,
    QMARK, LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE, COMMA, DOT, SEMICOLON, COLON,
    EQ, NEQ, LT, LTE, GT, GTE, PLUS, MINUS, STAR, EOF
}
