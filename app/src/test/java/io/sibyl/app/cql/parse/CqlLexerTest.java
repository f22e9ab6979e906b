package io.sibyl.app.cql.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CqlLexerTest {

    private static List<TokenType> types(String cql) {
        return CqlLexer.tokenize(cql).stream().map(Token::type).toList();
    }

    private static List<String> texts(String cql) {
        return CqlLexer.tokenize(cql).stream().map(Token::text).toList();
    }

    @Test
    void punctuationAndOperators() {
        assertEquals(List.of(TokenType.LPAREN, TokenType.RPAREN, TokenType.LBRACKET, TokenType.RBRACKET,
                TokenType.LBRACE, TokenType.RBRACE, TokenType.COMMA, TokenType.DOT, TokenType.SEMICOLON,
                TokenType.COLON, TokenType.QMARK, TokenType.EQ, TokenType.NEQ, TokenType.LT, TokenType.LTE,
                TokenType.GT, TokenType.GTE, TokenType.PLUS, TokenType.MINUS, TokenType.STAR, TokenType.EOF),
                types("()[]{},.;:?= != < <= > >= + - *"));
    }

    @Test
    void nestedTypeClosersAreSeparateTokens() {
        assertEquals(List.of(TokenType.IDENT, TokenType.LT, TokenType.IDENT, TokenType.LT, TokenType.IDENT,
                TokenType.GT, TokenType.GT, TokenType.EOF), types("list<frozen<int>>"));
    }

    @Test
    void stringsUnescapeDoubledQuotesAndDollarStringsAreVerbatim() {
        List<Token> tokens = CqlLexer.tokenize("'it''s' $$a 'b' $ c$$ ''");
        assertEquals(List.of(TokenType.STRING, TokenType.STRING, TokenType.STRING, TokenType.EOF),
                tokens.stream().map(Token::type).toList());
        assertEquals("it's", tokens.get(0).text());
        assertEquals("'it''s'", tokens.get(0).source());
        assertEquals("a 'b' $ c", tokens.get(1).text());
        assertEquals("", tokens.get(2).text());
    }

    @Test
    void quotedIdentifiersKeepCaseAndUnescape() {
        Token t = CqlLexer.tokenize("\"My \"\"Col\"\"\"").get(0);
        assertEquals(TokenType.QUOTED_IDENT, t.type());
        assertEquals("My \"Col\"", t.text());
    }

    @Test
    void numbersUuidsAndBlobs() {
        assertEquals(List.of(TokenType.INTEGER, TokenType.FLOAT, TokenType.FLOAT, TokenType.FLOAT, TokenType.FLOAT,
                TokenType.UUID, TokenType.UUID, TokenType.HEX, TokenType.HEX, TokenType.EOF),
                types("42 1.5 1. 2e10 3.5E-2 123e4567-e89b-12d3-a456-426614174000 "
                        + "ABCDEF01-e89b-12d3-a456-426614174000 0xCAFE 0x"));
        assertEquals("CAFE", CqlLexer.tokenize("0xCAFE").get(0).text());
    }

    @Test
    void minusIsItsOwnToken() {
        assertEquals(List.of(TokenType.IDENT, TokenType.MINUS, TokenType.INTEGER, TokenType.EOF), types("c-1"));
    }

    @Test
    void commentsAndWhitespaceAreSkipped() {
        assertEquals(List.of("SELECT", "a", "FROM", "t", "<EOF>"),
                texts("SELECT -- one\n a // two\r\n/* three\n lines */FROM\tt -- end"));
    }

    @Test
    void positionsAreOneBasedAcrossLines() {
        List<Token> tokens = CqlLexer.tokenize("SELECT *\n  FROM /* x\n */ t");
        assertEquals(List.of(1, 1, 2, 3), tokens.subList(0, 4).stream().map(Token::line).toList());
        assertEquals(List.of(1, 8, 3, 5), tokens.subList(0, 4).stream().map(Token::column).toList());
        Token eof = tokens.get(4);
        assertEquals(3, eof.line());
        assertEquals(6, eof.column());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT 'abc              | 1 | 8  | unterminated string literal",
        "SELECT $$abc             | 1 | 8  | unterminated string literal",
        "SELECT \"abc             | 1 | 8  | unterminated quoted identifier",
        "SELECT \"\" FROM t       | 1 | 8  | empty quoted identifier",
        "SELECT 1 /* never closed | 1 | 10 | unterminated comment",
        "SELECT # FROM t          | 1 | 8  | token recognition error at: '#'",
        "SELECT a ! b             | 1 | 10 | token recognition error at: '!'",
        "LIMIT 12abc              | 1 | 7  | invalid number '12abc'",
        "LIMIT 1.2.3              | 1 | 7  | invalid number '1.2.3'",
        "LIMIT 1e                 | 1 | 7  | invalid number '1e'",
        "x = 0xZZ                 | 1 | 5  | invalid hex literal '0xZZ'",
    })
    void lexicalErrorsReportPosition(String cql, int line, int column, String message) {
        CqlSyntaxException e = assertThrows(CqlSyntaxException.class, () -> CqlLexer.tokenize(cql));
        assertEquals(line, e.line());
        assertEquals(column, e.column());
        assertEquals("line " + line + ":" + column + " " + message, e.getMessage());
    }

    @Test
    void errorOnLaterLine() {
        CqlSyntaxException e = assertThrows(CqlSyntaxException.class,
                () -> CqlLexer.tokenize("SELECT *\nFROM t\nWHERE a = 'oops"));
        assertEquals(3, e.line());
        assertEquals(11, e.column());
    }
}
